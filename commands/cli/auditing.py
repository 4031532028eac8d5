"""Auditing a term: its findings, its replay day by day, and its trail of events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

from commands.cli.context import UserError, session, user_errors
from commands.cli.output import (
    DATE,
    TIMESTAMP,
    chosen_format,
    emit,
    format_options,
    format_options_with,
    print_csv,
    print_json,
    print_table,
    resolve_times,
    time_options,
)
from commands.cli.progress import progress
from ledger.vocabulary import SEVERITIES

SHOWN_CONSEQUENCES = 12


FINDING_COLUMNS = ("rule", "severity", "check", "term", "from", "to", "days", "persons",
                   "events", "message")




@click.command()
@click.argument("target", required=False, metavar="[REGION|TERM]")
@time_options
@click.option("--from", "first", type=DATE,
              help="Only findings holding on some day from this date on (YYYY-MM-DD).")
@click.option("--to", "last", type=DATE,
              help="Only findings holding on some day up to this date, inclusive (YYYY-MM-DD).")
@click.option("--severity", "least", type=click.Choice(SEVERITIES), default="info",
              show_default=True, help="Show findings of this severity and the graver ones.")
@format_options
@click.pass_context
@user_errors
def audit(ctx: click.Context, target: str | None, on: datetime | None,
          known_at: datetime | None, first: datetime | None, last: datetime | None,
          least: str, fmt: str, as_json: bool) -> None:
    """Audit substitutes, vacancies, leave, roles and size of a term, for every day.

    Findings name the rule, severity, dates, persons and events: seats nobody fills, members
    without a personal substitute, substitutes acting outside a leave, overdue or undecided
    leave, vacant or absent chairs, unused B1.11 rights, size above the cap, a late
    constituent meeting, seats differing from the seat calculator, facts the fold refused.
    With --on only findings that hold on that day (overdue leave is judged as of --on,
    else today). With --from/--to only findings overlapping that window. Without
    REGION|TERM: every term in force on the date (or in the window).

    Example:

    \b
        kkr audit nordjylland/2022 --severity warning --format json
        kkr audit --from 2023-01-01 --to 2023-12-31
    """
    from commands.service import questions

    window = _window(on, first, last)
    day, moment = resolve_times(on, known_at)
    named = questions.Target.parse(target)
    result = questions.audit(session(ctx), named, day, moment, on=day if on else None,
                             window=window, least=least)
    rows, counts = result.pop("findings"), result["summary"]
    _print_findings(rows, chosen_format(fmt, as_json), result)
    click.echo(f"{len(rows)} finding(s) in {len(result['terms'])} term(s): " +
               ", ".join(f"{n} {s}" for s, n in counts.items()), err=True)


def _window(on: datetime | None, first: datetime | None,
            last: datetime | None) -> tuple[date | None, date | None] | None:
    """The inclusive window of --from/--to, None without them; refused beside --on."""
    if first is None and last is None:
        return None
    if on is not None:
        raise UserError("give either --on DATE or --from/--to, not both", 2)
    if first is not None and last is not None and last < first:
        raise UserError("--to: must not be before --from", 2)
    return (first.date() if first else None, last.date() if last else None)


def _print_findings(rows: list[dict[str, Any]], fmt: str, extra: dict[str, Any]) -> None:
    if fmt == "json":
        print_json({"findings": rows, **extra})
        return
    table = [[" ".join(r[c]) if isinstance(r[c], list) else r[c] for c in FINDING_COLUMNS]
             for r in rows]
    if fmt == "csv":
        print_csv(FINDING_COLUMNS, table)
    else:
        shown = ("severity", "rule", "term", "from", "to", "days", "message")
        print_table(shown, [[r[c] for c in shown] for r in rows])


@click.command()
@click.argument("term")
@click.option("--until", type=DATE, help="Replay the facts effective up to this day "
              "(inclusive, YYYY-MM-DD); default the whole term.")
@click.option("--known-at", "known_at", type=TIMESTAMP,
              help="Replay what the ledger knew at this moment; default now.")
@format_options
@click.pass_context
@user_errors
def replay(ctx: click.Context, term: str, until: datetime | None, known_at: datetime | None,
           fmt: str, as_json: bool) -> None:
    """Replay a term fact by fact, check every day, and prove it equals the ledger.

    Each fact is listed in effective-date order with its consequences (who entered, left,
    acts, which role changed); then every day is checked (nobody in two places, one member
    and one substitute per seat, roles held by members, only the seat's substitute acts);
    then a digest of the replayed timeline is compared with the projection's. Exit 4 when
    they differ or an invariant is broken.

    Example:

    \b
        kkr replay nordjylland/2022 --until 2024-12-31 --json
    """
    from commands.service import questions

    _day, moment = resolve_times(None, known_at)
    with progress("replaying") as bar:
        data = questions.replay(session(ctx), term, until.date() if until else None, moment,
                                tick=bar.advance, started=lambda n: bar.update(0, n))
    name = data["term"]
    _print_replay(data, chosen_format(fmt, as_json))
    broken = [v for v in data["violations"] if v["check"] != "unapplied_fact"]
    if broken or not data["matches_ledger"]:
        raise UserError(f"replay of {name}: {len(broken)} invariant violation(s); "
                        f"matches ledger: {'yes' if data['matches_ledger'] else 'NO'}", 4)


REPLAY_COLUMNS = ("effective", "event_id", "type", "change", "kind", "seat", "person_id",
                  "role", "from", "to", "reason", "text")


def _print_replay(data: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        print_json(data)
    elif fmt == "csv":
        print_csv(REPLAY_COLUMNS, [[e["effective"], e["event_id"], e["type"],
                                    *[c[k] for k in REPLAY_COLUMNS[3:]]]
                                   for e in data["events"] for c in e["consequences"]])
    else:
        _print_steps(data["events"])
        _print_verdict(data)


def _print_steps(events: list[dict[str, Any]]) -> None:
    for event in events:
        refused = f"  REFUSED: {event['refused']}" if event["refused"] else ""
        click.echo(f"{event['effective']}  {event['type']}  {event['event_id'] or ''}  "
                   f"{event['source']}{refused}".rstrip())
        for change in event["consequences"][:SHOWN_CONSEQUENCES]:
            click.echo(f"    {change['text']}")
        if len(event["consequences"]) > SHOWN_CONSEQUENCES:
            click.echo(f"    … and {len(event['consequences']) - SHOWN_CONSEQUENCES} more")


def _print_verdict(data: dict[str, Any]) -> None:
    checked = data["checked"] or {}
    click.echo(f"\nchecked {checked.get('days', 0)} day(s) {checked.get('from')}.."
               f"{checked.get('to')}: {len(data['violations'])} violation(s)")
    for violation in data["violations"]:
        click.echo(f"  [{violation['rule']}] {violation['message']}")
    verdict = "yes" if data["matches_ledger"] else f"NO (ledger {data['ledger_digest']})"
    click.echo(f"digest {data['digest']}\nmatches ledger: {verdict}")


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
