"""`kkr seats`: a KKR's composition from an election result, or a d'Hondt election."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from commands.cli.context import UserError, user_errors
from commands.cli.output import chosen_format, format_options, print_csv, print_json, print_table

if TYPE_CHECKING:
    from ledger.statute.composition import Composition, PartySeats, Rounding
    from ledger.statute.dhondt import Election

_COUNT = re.compile(r"[0-9]{1,12}")
COLUMNS = ("party", "votes", "share", "mayors", "supplementary", "total", "unreduced",
           "under_representation")
ELECTION_COLUMNS = ("party", "votes", "list", "seats")
CSV_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.option("--votes", "votes_path", type=CSV_FILE, required=True, metavar="VOTES.csv",
              help="Regional vote totals, header party,votes (a list alliance is one row).")
@click.option("--mayors", "mayors_path", type=CSV_FILE, metavar="MAYORS.csv",
              help="Mayors per party, header party,mayors. Required unless --dhondt.")
@click.option("--region", help="The region (e.g. nordjylland, sjælland); sets the cap.")
@click.option("--municipalities", type=click.IntRange(1, 1000),
              help="Number of municipalities instead of --region; the cap is twice it.")
@click.option("--rounding", type=click.Choice(["nearest", "down"]), default="nearest",
              show_default=True, help="How quotas round before the cap: nearest (Sainte-Laguë) "
              "or down (d'Hondt). See docs/adr/0002-seat-calculator.md.")
@click.option("--explain", is_flag=True, help="Show every step of the computation.")
@click.option("--dhondt", is_flag=True,
              help="Run a d'Hondt election (chair and vice chair, B1.4; FO3.8) instead.")
@click.option("--seats", "seat_count", type=click.IntRange(1, 1000),
              help="Seats to elect with --dhondt (2 for chair and vice chair).")
@click.option("--alliance", "alliances", multiple=True, metavar="A+B+F",
              help="With --dhondt: parties whose votes pool (valgforbund); repeatable.")
@format_options
@user_errors
def seats(votes_path: Path, mayors_path: Path | None, region: str | None,
          municipalities: int | None, rounding: Rounding, explain: bool, dhondt: bool,
          seat_count: int | None, alliances: tuple[str, ...], fmt: str, as_json: bool) -> None:
    """Compute a KKR's composition from the election result (B1.0, B1.1).

    The mayors are fixed seats; parties with at least 2 % of the votes elect
    supplementary members so the KKR mirrors the vote distribution. Above
    2 × municipalities the composition is reduced: never below a party's mayors,
    one seat for every party with 2 %, the worst under-representation as small
    as possible. With --dhondt it elects --seats seats by d'Hondt with alliances;
    given --mayors and a region, only the parties represented in the KKR take part.

    Example:

        kkr seats --votes votes.csv --mayors mayors.csv --region nordjylland --explain

        kkr seats --votes votes.csv --dhondt --seats 2 --alliance "A+B+F" --json
    """
    _check_usage(mayors_path, dhondt, seat_count, alliances)
    fmt = chosen_format(fmt, as_json)
    composition = None if mayors_path is None else _composition(
        votes_path, mayors_path, _municipality_count(region, municipalities), rounding)
    if dhondt:
        _election(votes_path, composition, seat_count or 1, alliances, fmt, explain)
    elif composition is not None:
        _print_composition(composition, region, rounding, fmt, explain)


def _check_usage(mayors_path: Path | None, dhondt: bool, seat_count: int | None,
                 alliances: tuple[str, ...]) -> None:
    if dhondt and seat_count is None:
        raise UserError("--dhondt needs --seats N", 2)
    if not dhondt and (seat_count is not None or alliances):
        raise UserError("--seats and --alliance go with --dhondt", 2)
    if not dhondt and mayors_path is None:
        raise UserError("--mayors MAYORS.csv is required (unless --dhondt)", 2)


def read_counts(path: Path, field: str) -> dict[str, int]:
    """A two-column CSV `party,<field>` as {party: count}; any flaw is one line, exit 2."""
    rows = _csv_rows(path, field)
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in ("party", field) if name not in header]
    if missing:
        raise UserError(f"{path.name}: missing column {', '.join(missing)}; the header is "
                        f"party,{field}", 2)
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        party, count = _row(path, line, row, header, field)
        if party.casefold() in seen:
            raise UserError(f"{path.name} line {line}: party: {party!r} appears twice", 2)
        seen.add(party.casefold())
        counts[party] = count
    if not counts:
        raise UserError(f"{path.name}: no rows below the header party,{field}", 2)
    return counts


def _csv_rows(path: Path, field: str) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path.name}: cannot be read ({error.strerror})", 2) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path.name}: not UTF-8 text; expected CSV with header "
                        f"party,{field}", 2) from None
    if "\x00" in text or not text.strip():
        problem = "binary data" if text.strip() else "empty file"
        raise UserError(f"{path.name}: {problem}; expected CSV with header party,{field}", 2)
    try:
        return [row for row in csv.reader(text.splitlines()) if row]
    except csv.Error as error:
        raise UserError(f"{path.name}: not valid CSV ({error})", 2) from None


def _row(path: Path, line: int, row: list[str], header: list[str],
         field: str) -> tuple[str, int]:
    def cell(name: str) -> str:
        index = header.index(name)
        return row[index].strip() if index < len(row) else ""

    party, value = cell("party"), cell(field)
    where = f"{path.name} line {line}"
    if not party or not party.isprintable() or len(party) > 80:
        raise UserError(f"{where}: party: {party!r} is not a party name (1-80 characters)", 2)
    if not _COUNT.fullmatch(value):
        kind = "is negative" if value.startswith("-") else "is not a whole number (0 to 12 digits)"
        raise UserError(f"{where}: {field}: {value!r} {kind}", 2)
    return party, int(value)


def _municipality_count(region: str | None, municipalities: int | None) -> int:
    from ledger.geography import municipalities_of, region_slug

    if (region is None) == (municipalities is None):
        raise UserError("give either --region R or --municipalities N", 2)
    return municipalities or len(municipalities_of(region_slug(region or "")))


def _composition(votes_path: Path, mayors_path: Path, count: int,
                 rounding: Rounding) -> Composition:
    from ledger.statute.composition import compose

    votes, mayors = read_counts(votes_path, "votes"), read_counts(mayors_path, "mayors")
    unknown = sorted(set(mayors) - set(votes))
    if unknown:
        raise UserError(f"{mayors_path.name}: party: {', '.join(unknown)} has no row in "
                        f"{votes_path.name} (give an independent mayor's list 0 votes)", 2)
    if sum(mayors.values()) != count:
        raise UserError(f"{mayors_path.name}: mayors: they add up to {sum(mayors.values())}, "
                        f"but there are {count} municipalities (one mayor each)", 2)
    return compose(votes, mayors, count, rounding)


def composition_json(result: Composition, region: str | None, rounding: str,
                     explain: bool) -> dict[str, Any]:
    """The §3.2 contract: cap, size, reduced, parties; more keys for the curious."""
    from ledger.geography import region_slug

    data: dict[str, Any] = {
        "cap": result.cap, "size": result.size, "reduced": result.reduced, "rounding": rounding,
        "unreduced_size": result.unreduced_size, "municipalities": result.municipalities,
        "region": region_slug(region) if region else None, "total_votes": result.total_votes,
        "votes_per_seat": _number(result.votes_per_seat, 2),
        "worst_under_representation": _number(result.worst_under_representation, 4),
        "parties": [_party_json(result, p) for p in result.parties],
        "ties": list(result.ties),
    }
    if explain:
        data["explain"] = list(result.explain)
    return data


def _party_json(result: Composition, party: PartySeats) -> dict[str, Any]:
    return {
        "party": party.party, "votes": party.votes, "mayors": party.mayors,
        "supplementary": party.supplementary, "total": party.total,
        "unreduced": party.unreduced, "eligible": party.eligible,
        "share": round(100 * party.votes / result.total_votes, 2),
        "seat_share": round(100 * party.total / result.size, 2) if result.size else 0.0,
        "under_representation": _number(result.under_representation(party), 4),
    }


def _number(value: Any, places: int) -> float | None:
    return None if value is None else round(float(value), places)


def _print_composition(result: Composition, region: str | None, rounding: str, fmt: str,
                       explain: bool) -> None:
    data = composition_json(result, region, rounding, explain)
    if fmt == "json":
        print_json(data)
        return
    rows = [[p[c] for c in COLUMNS] for p in data["parties"]]
    if fmt == "csv":
        print_csv(COLUMNS, rows)
    else:
        reduced = f", reduced from {result.unreduced_size}" if result.reduced else ""
        click.echo(f"KKR of {result.municipalities} municipalities: {result.size} members "
                   f"(cap {result.cap}){reduced}")
        print_table(COLUMNS, rows)
    _print_steps(result.explain if explain else (), result.ties, to_stderr=fmt == "csv")


def _print_steps(steps: tuple[str, ...], ties: tuple[str, ...], to_stderr: bool) -> None:
    if steps:
        click.echo("\nSteps:", err=to_stderr)
        for number, step in enumerate(steps, start=1):
            click.echo(f"  {number}. {step}", err=to_stderr)
    elif ties:
        click.echo(f"Note: {len(ties)} tie(s) decided by the tie-break; see --explain.", err=True)


def _election(votes_path: Path, composition: Composition | None, seat_count: int,
              alliances: tuple[str, ...], fmt: str, explain: bool) -> None:
    from ledger.statute.dhondt import dhondt

    votes = read_counts(votes_path, "votes")
    excluded: list[str] = []
    if composition is not None:
        excluded = [p.party for p in composition.parties if p.total == 0]
        votes = {party: n for party, n in votes.items() if party not in excluded}
    groups = [[p.strip() for p in text.split("+")] for text in alliances]
    _print_election(dhondt(votes, seat_count, groups), excluded, fmt, explain)


def election_json(result: Election, excluded: list[str], explain: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "mode": "dhondt", "seats": result.seats, "excluded": excluded,
        "lists": [{"list": s.name, "parties": list(s.parties), "votes": s.votes,
                   "seats": s.seats} for s in result.lists],
        "parties": [{"party": p.party, "votes": p.votes, "list": p.list, "seats": p.seats}
                    for p in result.parties],
        "awards": [{"seat": a.seat, "list": a.list, "party": a.party,
                    "quotient": _number(a.quotient, 2)} for a in result.awards],
        "ties": list(result.ties),
    }
    if explain:
        left_out = [f"Not represented in the KKR (B1.4), left out: {', '.join(excluded)}."]
        data["explain"] = [*(left_out if excluded else []), *result.explain]
    return data


def _print_election(result: Election, excluded: list[str], fmt: str, explain: bool) -> None:
    data = election_json(result, excluded, explain)
    if fmt == "json":
        print_json(data)
        return
    rows = [[p[c] for c in ELECTION_COLUMNS] for p in data["parties"]]
    if fmt == "csv":
        print_csv(ELECTION_COLUMNS, rows)
    else:
        click.echo(f"d'Hondt election of {result.seats} seat(s)")
        print_table(ELECTION_COLUMNS, rows)
        click.echo("\nOrder of seats:")
        print_table(("seat", "list", "party", "quotient"),
                    [[a["seat"], a["list"], a["party"], a["quotient"]] for a in data["awards"]])
    _print_steps(tuple(data.get("explain", ())), result.ties, to_stderr=fmt == "csv")
