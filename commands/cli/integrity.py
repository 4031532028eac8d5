"""Keeping the ledger sound: its hash chains verified, their heads kept, its projections rebuilt."""

from __future__ import annotations

import json
from typing import Any

import click

from commands.cli.context import UserError, session, user_errors
from commands.cli.output import (
    chosen_format,
    emit,
    format_options,
    print_json,
    print_table,
)


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
    refused = UserError("--digest: not a digest written by `kkr digest`", 2)
    try:
        document = json.load(file)
        streams = document.get("streams") if isinstance(document, dict) else None
        if not isinstance(streams, dict) or not all(
                isinstance(kept, dict) and isinstance(kept.get("hash"), str)
                and isinstance(kept.get("version"), int) for kept in streams.values()):
            raise refused
    except (ValueError, UnicodeDecodeError):
        raise refused from None
    return {"streams": streams, **document}


@click.command()
@click.pass_context
@user_errors
def rebuild(ctx: click.Context) -> None:
    """Rebuild every projection from the events, from zero.

    Answers before and after are the same; use it after an upgrade or a restore.

    Example:


    \b
        kkr rebuild
    """
    from commands.cli.progress import progress
    from commands.service import writes

    with progress("rebuilding") as bar:
        count = writes.rebuild(session(ctx), progress=bar.update)
    click.echo(f"rebuilt the projections from {count} events", err=True)
