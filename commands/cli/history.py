"""Time travel and integrity: trail, explain, diff, corrections, verify and digest."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from commands.cli.context import UserError, session, user_errors
from commands.cli.output import (
    DATE,
    TIMESTAMP,
    chosen_format,
    format_options,
    format_options_with,
    print_csv,
    print_json,
    print_table,
    resolve_times,
    time_options,
)
from commands.cli.write import apply_lines, json_option, print_stored


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


@click.command()
@click.argument("term", required=False)
@click.option("--since", type=TIMESTAMP, help="Only events recorded at or after this moment.")
@click.option("--known-at", type=TIMESTAMP, help="The trail as it stood at this moment.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="At most N events: the first N in recording order (from --since on).")
@click.option("--wide", is_flag=True, help="The table with every column and full event ids.")
@format_options_with("ndjson")
@click.pass_context
@user_errors
def trail(ctx: click.Context, term: str | None, since: datetime | None,
          known_at: datetime | None, limit: int | None, wide: bool, fmt: str,
          as_json: bool) -> None:
    """Every event in recording order: when, by whom, what, from which source, and the
    correction that superseded it. Entries recorded over 30 days after their date are marked.

    The table fits the terminal: short event ids (unambiguous in the listing) and summaries
    cut to the width; --wide shows every column and full ids. --format ndjson prints one
    JSON object per line, the objects of the JSON form's `events`.

    Example:

        \b
        kkr trail nordjylland/2022 --since 2024-01-01 --limit 20
    """
    from commands.service import questions

    _day, moment = resolve_times(None, known_at)
    since_utc = resolve_times(None, since)[1] if since else None
    result = questions.trail(session(ctx), term, moment, since_utc, limit)
    _print_trail(result, chosen_format(fmt, as_json), wide, term is not None)


def _print_trail(result: dict[str, Any], fmt: str, wide: bool, one_term: bool) -> None:
    from commands.cli.trail_view import WIDE_COLUMNS, print_ndjson, print_trail_table

    if fmt == "ndjson":
        print_ndjson(result["events"])
    elif fmt == "table":
        print_trail_table(result["events"], wide, one_term)
    else:
        emit(result, "events", WIDE_COLUMNS, fmt)


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
         f"{result['name']} ({result['person_id']}) in {result['term']} on {result['on']}: "
         f"{result['status']}")


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


@click.command()
@click.argument("event_id")
@click.option("--reason", required=True, help="Why the event is retracted.")
@click.option("--source", default="", help="The document that says so.")
@click.option("--command-id", default="", help="Idempotency key.")
@json_option
@click.pass_context
@user_errors
def retract(ctx: click.Context, event_id: str, reason: str, source: str,
            command_id: str, as_json: bool) -> None:
    """Retract EVENT_ID: it is kept, but no longer counts, with its consequences.

    Before this correction's recording time, --known-at still shows the old view.

    Example:

        \b
        kkr retract 9a24100e-600c-5824-9c7a-fe680749ffa2:7 --reason "reported twice"
    """
    print_stored(apply_lines(ctx, [{"command": "retract", "event_id": event_id,
                                    "reason": reason, "source": source,
                                    "command_id": command_id}]), as_json)
    click.echo(f"retracted {event_id}", err=True)


@click.command()
@click.argument("event_id")
@click.option("--effective", required=True, type=DATE, help="The right date (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why the date changes.")
@click.option("--source", default="", help="The document that says so.")
@click.option("--command-id", default="", help="Idempotency key.")
@json_option
@click.pass_context
@user_errors
def redate(ctx: click.Context, event_id: str, effective: datetime, reason: str, source: str,
           command_id: str, as_json: bool) -> None:
    """Re-date EVENT_ID: it happened on --effective instead.

    Example:

        \b
        kkr redate 9a24100e-600c-5824-9c7a-fe680749ffa2:7 --effective 2023-04-01 --reason "letter"
    """
    print_stored(apply_lines(ctx, [{"command": "redate", "event_id": event_id,
                                    "reason": reason, "effective": effective.date().isoformat(),
                                    "source": source, "command_id": command_id}]), as_json)
    click.echo(f"re-dated {event_id} to {effective.date()}", err=True)


@click.command()
@click.option("--digest", "digest_file", type=click.File("r", encoding="utf-8"),
              help="A digest from `kkr digest` kept outside the database: also detects "
              "truncated streams.")
@format_options
@click.pass_context
@user_errors
def verify(ctx: click.Context, digest_file: Any, fmt: str, as_json: bool) -> None:
    """Recompute every event's hash chain from the stored rows; report modified, deleted,
    inserted or reordered events. Exit code 4 when anything is wrong.

    Example:

        \b
        kkr digest > heads.json && kkr verify --digest heads.json
    """
    from commands.service import questions

    digest = _read_digest(digest_file) if digest_file else None
    result = questions.verify(session(ctx), digest)
    problems = result["problems"]
    if chosen_format(fmt, as_json) == "table":
        click.echo(f"checked {result['events_checked']} events: "
                   f"{'ok' if result['ok'] else str(len(problems)) + ' problem(s)'}")
        if problems:
            print_table(("event_id", "term", "problem"),
                        [[p["event_id"], p["term"], p["problem"]] for p in problems])
    else:
        emit(result, "problems", ("event_id", "term", "problem"), chosen_format(fmt, as_json))
    if problems:
        ctx.exit(4)


@click.command()
@click.pass_context
@user_errors
def digest(ctx: click.Context) -> None:
    """Print the head of every stream and one root hash over them, as JSON, to keep outside
    the database for `kkr verify --digest`.

    Example:

        \b
        kkr digest > heads-2026-11-22.json
    """
    from commands.service import questions

    print_json(questions.digest(session(ctx)))


def _read_digest(file: Any) -> dict[str, Any]:
    try:
        document = json.load(file)
        assert isinstance(document, dict) and isinstance(document.get("streams"), dict)
        for kept in document["streams"].values():
            int(kept["version"]), str(kept["hash"])
    except (ValueError, AssertionError, KeyError, TypeError, UnicodeDecodeError):
        raise UserError("--digest: not a digest written by `kkr digest`", 2) from None
    return document
