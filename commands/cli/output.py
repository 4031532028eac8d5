"""Reading commands print tables for people, JSON for programs, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def parameter_name(param: click.Parameter | None) -> str:
    """How a user wrote the parameter: `--on`, `--from/--since`, or an argument's NAME."""
    if param is None:
        return "value"
    return "/".join(param.opts) if isinstance(param, click.Option) else \
        param.human_readable_name


class BadValue(click.BadParameter):
    """A bad option value as one plain line: `--on: '2023-13-01' is not a date (YYYY-MM-DD)`."""

    def format_message(self) -> str:
        return f"{parameter_name(self.param)}: {self.message}"


class IsoDate(click.ParamType[datetime]):
    """A calendar date written YYYY-MM-DD (given to the command as a datetime at midnight)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value)
        try:
            if len(text) == 10 and text[4] == text[7] == "-":
                return datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            pass
        raise BadValue(f"{text!r} is not a date (YYYY-MM-DD)", ctx, param)


class IsoTimestamp(click.ParamType[datetime]):
    """An ISO 8601 moment: a date, or a date and time with an optional UTC offset."""

    name = "timestamp"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            raise BadValue(f"{str(value)!r} is not a moment (YYYY-MM-DD or "
                           "YYYY-MM-DDTHH:MM:SS, optionally with +HH:MM or Z)", ctx, param) \
                from None


TIMESTAMP = IsoTimestamp()
DATE = IsoDate()


def format_options(function: F) -> F:
    return formats(function)


def formats(function: F, extra: tuple[str, ...] = ()) -> F:
    """--format table|json|csv (and `extra` formats), --json as shorthand."""
    function = click.option("--json", "as_json", is_flag=True,
                            help="Shorthand for --format json.")(function)
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", *extra]),
                        default="table", show_default=True,
                        help=f"table for people, json (the contract), {', '.join(['csv', *extra])}."
                        )(function)


def format_options_with(*extra: str) -> Callable[[F], F]:
    """As format_options, with more formats, e.g. `@format_options_with("ndjson")`."""
    return lambda function: formats(function, extra)


def time_options(function: F) -> F:
    function = click.option(
        "--known-at", "known_at", type=TIMESTAMP,
        help="What the ledger knew at this moment (UTC unless an offset is given); default now.",
    )(function)
    function = click.option("--on", "on", type=DATE,
                            help="The date asked about (YYYY-MM-DD); default today.")(function)
    return function


def resolve_times(on: datetime | None, known_at: datetime | None) -> tuple[date, datetime]:
    now = datetime.now(UTC)
    moment = now if known_at is None else (
        known_at if known_at.tzinfo else known_at.replace(tzinfo=UTC))
    return (on.date() if on else now.date()), moment


def chosen_format(fmt: str, as_json: bool) -> str:
    return "json" if as_json else fmt


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    click.echo(buffer.getvalue(), nl=False)


def print_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(h) for h in header]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for index, row in enumerate(cells):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                   .rstrip())
        if index == 0:
            click.echo("  ".join("-" * width for width in widths))


def emit(result: dict[str, Any], key: str, columns: tuple[str, ...], fmt: str,
         title: str = "") -> None:
    """JSON as is; table and CSV from the rows under `key`."""
    if fmt == "json":
        print_json(result)
        return
    rows = [[row.get(c) for c in columns] for row in result[key]]
    if fmt == "csv":
        print_csv(columns, rows)
        return
    if title:
        click.echo(title)
    print_table(columns, rows)
