"""Correcting the ledger without deleting: an event retracted, or re-dated."""

from __future__ import annotations

from datetime import datetime

import click

from commands.cli.context import user_errors
from commands.cli.output import DATE
from commands.cli.recording import apply_lines, json_option, print_stored


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
    _correct(ctx, {"command": "retract", "event_id": event_id, "reason": reason,
                   "source": source, "command_id": command_id}, as_json, f"retracted {event_id}")


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
    _correct(ctx, {"command": "redate", "event_id": event_id, "reason": reason,
                   "effective": effective.date().isoformat(), "source": source,
                   "command_id": command_id}, as_json, f"re-dated {event_id} to {effective.date()}")


def _correct(ctx: click.Context, line: dict[str, str], as_json: bool, done: str) -> None:
    """Record the correction and say so; a command_id applied before records nothing."""
    result = apply_lines(ctx, [line])
    print_stored(result, as_json)
    click.echo(done if result.applied else
               "already recorded (same command_id), nothing written", err=True)
