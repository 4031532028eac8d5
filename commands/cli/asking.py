"""Asking the ledger: who was a member on a date, where a person sat, why, and what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from commands.cli.context import UserError, session, user_errors
from commands.cli.output import (
    DATE,
    TIMESTAMP,
    chosen_format,
    emit,
    format_options,
    print_csv,
    print_json,
    print_table,
    resolve_times,
    time_options,
)

ROSTER_COLUMNS = ("term", "seat", "municipality", "party", "member", "status", "acting",
                  "substitute", "roles")


# CSV: each person also by person_id, beside the name, for `kkr who` and spreadsheets.
ROSTER_CSV_COLUMNS = ("term", "seat", "municipality", "party", "member", "member_id", "status",
                      "acting", "acting_id", "substitute", "substitute_id", "roles")


@click.command()
@click.argument("target", required=False, metavar="REGION|TERM")
@click.option("--all", "all_regions", is_flag=True, help="All five KKR in force on the date.")
@time_options
@format_options
@click.pass_context
@user_errors
def roster(ctx: click.Context, target: str | None, all_regions: bool, on: datetime | None,
           known_at: datetime | None, fmt: str, as_json: bool) -> None:
    """Who was a member of a KKR on a date: members, status, acting substitutes, roles.

    REGION (e.g. nordjylland, sjælland) picks the term in force on the date; TERM
    (e.g. nordjylland/2022) names one.

    Example:


    \b
        kkr roster nordjylland --on 2023-06-01 --format csv
    """
    from commands.service import questions

    day, moment = resolve_times(on, known_at)
    if all_regions == (target is not None):
        raise UserError("give either REGION|TERM or --all", 2)
    named = questions.Target.parse(target)  # before the ledger is opened: bad input first
    _print_rosters(questions.roster(session(ctx), named, day, moment),
                   chosen_format(fmt, as_json))


def _print_rosters(result: dict[str, Any], fmt: str) -> None:
    for r in result.get("rosters", [result]):
        for warning in r["warnings"]:
            click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        print_json(result)
        return
    rosters = result.get("rosters", [result])
    if fmt == "csv":
        print_csv(ROSTER_CSV_COLUMNS, [row for r in rosters for row in _roster_csv_rows(r)])
        return
    for index, one in enumerate(rosters):
        if index:
            click.echo()
        click.echo(_roster_title(one))
        print_table(ROSTER_COLUMNS[1:], [row[1:] for row in _roster_rows(one)])


def _roster_title(r: dict[str, Any]) -> str:
    from ledger.geography import REGION_NAMES
    from ledger.vocabulary import ROLES

    def name(holder: dict[str, str] | None) -> str:
        return holder["name"] if holder else "(vacant)"

    roles = ", ".join(f"{words.danish} {name(r[role])}" for role, words in ROLES.items())
    return (f"KKR {REGION_NAMES[r['region']]} — {r['term']} on {r['on']}: {r['size']} members "
            f"(cap {r['max_size']}); {roles}")


def _roster_rows(r: dict[str, Any]) -> list[list[Any]]:
    """Table rows: a person is `Name (party) person_id`, the id to copy into `kkr who`."""
    return [[" ".join(cell).strip() if isinstance(cell, tuple) else cell for cell in row]
            for row in _seat_rows(r)]


def _roster_csv_rows(r: dict[str, Any]) -> list[list[Any]]:
    """CSV rows: a person is two cells, `Name (party)` and the person_id."""
    return [[part for cell in row for part in (cell if isinstance(cell, tuple) else (cell,))]
            for row in _seat_rows(r)]


def _seat_rows(r: dict[str, Any]) -> list[list[Any]]:
    """One row a seat; each person as a pair (`Name (party)`, person_id)."""
    def person(held: dict[str, Any] | None) -> tuple[str, str]:
        return ("", "") if held is None else \
            (f"{held['name']} ({held['party'] or '-'})", held["person_id"])

    return [[r["term"], s["seat"], s["municipality"], s["party"], person(s["member"]),
             s["status"], person(s["acting"]), person(s["substitute"]), " ".join(s["roles"])]
            for s in r["seats"]]


@click.command()
@click.argument("person_id", metavar="PERSON")
@click.option("--known-at", "known_at", type=TIMESTAMP,
              help="What the ledger knew at this moment; default now.")
@format_options
@click.pass_context
@user_errors
def who(ctx: click.Context, person_id: str, known_at: datetime | None, fmt: str,
        as_json: bool) -> None:
    """Every place PERSON has held, across terms: member, substitute or acting, with dates,
    the roles held in it (chair, vice chair) and the leaves taken from it. PERSON is a
    person_id or a name; Danish letters may be spelled either way (ø/oe/o, å/aa/a, æ/ae).

    Example:


    \b
        kkr who jens-hansen --json
    """
    from commands.service import questions

    _day, moment = resolve_times(None, known_at)
    result = questions.who(session(ctx), person_id, moment)
    fmt = chosen_format(fmt, as_json)
    if fmt == "json":
        print_json(result)
        return
    header = ("term|body", "seat", "capacity", "from", "to", "end_reason", "roles", "leaves")
    rows = [[p["term"] or p["body"], p["seat"], p["capacity"], p["from"], p["to"] or "",
             p["end_reason"] or "",
             " ".join(f"{r['role']} {_period(r)}" for r in p["roles"]),
             " ".join(_period(leave) for leave in p["leaves"])]
            for p in result["places"]]
    if fmt == "csv":
        print_csv(header, rows)
    else:
        click.echo(f"{result['name']} ({result['person_id']})")
        print_table(header, rows)
        for off in result["off_council"]:
            click.echo(f"off the council {_period(off)} ({off['reason'].replace('_', ' ')})")


def _period(item: dict[str, Any]) -> str:
    return f"{item['from']}..{item['to'] or ''}"


@click.command()
@click.argument("person_id", metavar="PERSON")
@time_options
@format_options
@click.pass_context
@user_errors
def explain(ctx: click.Context, person_id: str, on: datetime | None, known_at: datetime | None,
            fmt: str, as_json: bool) -> None:
    """Why PERSON holds, acts in, or no longer holds a place on a date: the chain of
    events and the rule ids applied. PERSON is a person_id or a name (ø/oe/o, å/aa/a).

    Example:

        \b
        kkr explain jens-hansen --on 2023-06-01
    """
    from commands.service import questions

    day, moment = resolve_times(on, known_at)
    result = questions.explain(session(ctx), person_id, day, moment)
    emit(result, "explanation", ("text", "rule_ids"), chosen_format(fmt, as_json),
         f"{result['name']} ({result['person_id']})"
         + (f" in {result['term']}" if result["term"] else "")
         + f" on {result['on']}: {result['status']}")


@click.command()
@click.argument("term")
@click.option("--from", "start", required=True, type=DATE, help="The earlier date.")
@click.option("--to", "end", required=True, type=DATE, help="The later date.")
@click.option("--known-at", type=TIMESTAMP, help="As the ledger knew it at this moment.")
@format_options
@click.pass_context
@user_errors
def diff(ctx: click.Context, term: str, start: datetime, end: datetime,
         known_at: datetime | None, fmt: str, as_json: bool) -> None:
    """Who joined, left, went on leave, came back, changed party or role between two dates,
    each with its cause.

    Example:

        \b
        kkr diff nordjylland/2022 --from 2023-01-01 --to 2024-01-01
    """
    from commands.service import questions

    _day, moment = resolve_times(None, known_at)
    result = questions.diff(session(ctx), term, start.date(), end.date(), moment)
    emit(result, "changes", ("date", "change", "name", "person_id", "seat", "reason", "event"),
         chosen_format(fmt, as_json))
