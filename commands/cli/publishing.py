"""The mandates on a date and the Blå Bog edition (design/mandates.md)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from commands.cli.context import session, user_errors
from commands.cli.output import (
    chosen_format,
    format_options,
    print_csv,
    print_json,
    print_table,
    resolve_times,
    time_options,
)

MANDATE_COLUMNS = ("region", "body", "name", "seat", "person_id", "person", "municipality",
                   "party", "group", "substitute", "from", "to")


@click.command()
@click.argument("region", required=False)
@click.option("--all", "all_regions", is_flag=True, help="The bodies of all five KKR.")
@time_options
@format_options
@click.pass_context
@user_errors
def mandates(ctx: click.Context, region: str | None, all_regions: bool, on: datetime | None,
             known_at: datetime | None, fmt: str, as_json: bool) -> None:
    """The bodies a KKR designates to, on a date, and who holds their seats.

    Without REGION (or with --all): every region's bodies.

    Example:


    \b
        kkr mandates nordjylland --on 2023-06-01
    """
    from commands.service import questions
    from ledger.geography import region_slug

    day, moment = resolve_times(on, known_at)
    named = None if all_regions or region is None else region_slug(region)
    result = questions.mandates(session(ctx), named, day, moment)
    fmt = chosen_format(fmt, as_json)
    if fmt == "json":
        print_json(result)
        return
    rows = [_row(body, d) for body in result["bodies"] for d in _seats(body)]
    if fmt == "csv":
        print_csv(MANDATE_COLUMNS, rows)
        return
    click.echo(f"Mandates on {result['on']}: {len(result['bodies'])} bodies, "
               f"{sum(len(b['designations']) for b in result['bodies'])} designations, "
               f"{sum(b['vacant'] for b in result['bodies'])} vacant seats")
    print_table(MANDATE_COLUMNS[1:], [row[1:] for row in rows])


def _seats(body: dict[str, Any]) -> list[dict[str, Any] | None]:
    """The body's designations, then one empty row per vacant seat."""
    return [*body["designations"], *([None] * body["vacant"])]


def _row(body: dict[str, Any], d: dict[str, Any] | None) -> list[Any]:
    if d is None:
        return [body["region"], body["body"], body["name"], "vacant", *[None] * 8]
    p, sub = d["person"], d["substitute"]
    return [body["region"], body["body"], body["name"], d["seat"], p["person_id"],
            p.get("name"), p.get("municipality"), p.get("party"), d["group"],
            sub["name"] if sub else None, d["from"], d["to"]]


@click.command()
@click.argument("region")
@time_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx", "html"]),
              default="table", show_default=True,
              help="table to read, json (the contract), csv, xlsx (two sheets), html (print).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file (needed for xlsx unless stdout is redirected).")
@click.pass_context
@user_errors
def bluebook(ctx: click.Context, region: str, on: datetime | None, known_at: datetime | None,
             fmt: str, as_json: bool, output: str | None) -> None:
    """The dated Blå Bog edition of a KKR: its members and substitutes, and every person it
    has designated, with all their posts. A leave shows as leave, never its reason.

    Example:


    \b
        kkr bluebook nordjylland --on 2023-06-01 --format xlsx -o blaa-bog.xlsx
    """
    from commands.service import questions
    from ledger.geography import region_slug

    day, moment = resolve_times(on, known_at)
    data = questions.bluebook(session(ctx), region_slug(region), day, moment)
    _write(_render(data, chosen_format(fmt, as_json)), output)


def _render(data: dict[str, Any], fmt: str) -> str | bytes:
    if fmt == "json":
        import json

        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from commands.bluebook.as_csv import render_csv

        return render_csv(data)
    if fmt == "xlsx":
        from commands.bluebook.as_xlsx import render_xlsx

        return render_xlsx(data)
    if fmt == "html":
        from commands.bluebook.as_html import render_html

        return render_html(data)
    from commands.bluebook.as_table import render_table

    return render_table(data)


def _write(content: str | bytes, output: str | None) -> None:
    from commands.cli.context import UserError

    if output is not None:
        with open(output, "wb") as file:
            file.write(content.encode() if isinstance(content, str) else content)
        click.echo(f"wrote {output}", err=True)
    elif isinstance(content, bytes):
        if sys.stdout.isatty():
            raise UserError("xlsx is binary: give --output FILE or redirect stdout", 2)
        sys.stdout.buffer.write(content)
    else:
        click.echo(content if content.endswith("\n") else content + "\n", nl=False)
