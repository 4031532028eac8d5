"""Exporting the memberships of a KKR: flat rows, CSV or Popolo JSON."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from commands.cli.context import UserError, session, user_errors
from commands.cli.output import (
    DATE,
    TIMESTAMP,
    chosen_format,
    print_csv,
    print_json,
    print_table,
    resolve_times,
)

if TYPE_CHECKING:
    from commands.service.questions import Export


@click.command()
@click.argument("target", required=False, metavar="[REGION|TERM]")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "popolo", "table"]),
              default="json", show_default=True,
              help="json (flat rows), csv (the same rows), popolo (Popolo JSON), table.")
@click.option("--json", "as_json", is_flag=True, help="Shorthand for --format json.")
@click.option("--on", type=DATE, help="The memberships held on this day; default today.")
@click.option("--period", is_flag=True, help="Every membership of the whole term instead of "
              "one day (all terms when no REGION|TERM is given).")
@click.option("--known-at", "known_at", type=TIMESTAMP,
              help="What the ledger knew at this moment; default now.")
@click.pass_context
@user_errors
def export(ctx: click.Context, target: str | None, fmt: str, as_json: bool,
           on: datetime | None, period: bool, known_at: datetime | None) -> None:
    """Export the memberships of a KKR: members, substitutes, acting substitutes and roles.

    Popolo JSON has persons, organizations (the KKR and the parties), posts (the seats) and
    memberships with start_date/end_date (the last day), on_behalf_of_id (the party) and
    substitute_for_id (the member a substitute stands in for). CSV and json are flat rows.
    Without REGION|TERM: every term in force on the date (with --period: every term).

    Example:

    \b
        kkr export nordjylland/2022 --period --format popolo > kkr-nordjylland-2022.json
    """
    from commands.service import questions

    if period and on is not None:
        raise UserError("give either --on DATE or --period, not both", 2)
    day, moment = resolve_times(on, known_at)
    named = questions.Target.parse(target)
    found = questions.export(session(ctx), named, None if period else day, moment)
    _print_export(found, chosen_format(fmt, as_json))


def _print_export(found: Export, fmt: str) -> None:
    from projections.views.export import CSV_COLUMNS, csv_rows, memberships, plain, popolo
    from projections.views.export_bodies import body_popolo

    loaded, selected, moment = found.terms, found.on, found.moment
    if fmt == "popolo":
        mandates = body_popolo(found.bodies, selected, [t.span for t in loaded])
        print_json(popolo(loaded, selected, mandates))
    elif fmt == "json":
        print_json(plain(loaded, selected, moment))
    elif fmt == "csv":
        print_csv(CSV_COLUMNS, csv_rows(loaded, selected))
    else:
        shown = ("term", "role", "name", "party", "post_id", "start_date", "end_date")
        print_table(shown, [[m[c] for c in shown] for m in memberships(loaded, selected)])
