"""Standard exports of the memberships: flat rows (JSON, CSV) and Popolo JSON.

A membership is one interval of a place or role: member, substitute, acting substitute,
chair, vice chair, acting chair. Dates follow Popolo: `start_date` is the first day and
`end_date` the last day (inclusive; the ledger's half-open `to` minus one day), None while
the membership lasts. Rows come from the projection's interval table as known at a moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from ledger.errors import NotFound
from ledger.geography import REGION_NAMES, slugify
from ledger.vocabulary import EVERY_ROLE
from projections.readmodel.tables import intervals
from projections.views.query import all_terms, fetch, known_at
from projections.views.reads import Row, terms_in_force

ROLES = {"member": "member", "substitute": "substitute", "acting": "acting substitute"}
ROLE_TITLES = {role: words.title for role, words in EVERY_ROLE.items()}
CSV_COLUMNS = ("id", "term", "role", "person_id", "name", "party", "municipality",
               "organization_id", "post_id", "on_behalf_of_id", "start_date", "end_date",
               "end_reason", "substitute_for")


def select_terms(conn: Connection, moment: datetime, on: date | None, term: str | None = None,
                 region: str | None = None,
                 during: tuple[date | None, date | None] | None = None) -> list[str]:
    """The terms to export: one named, the one of a region in force on `on`, or all (in force
    on `on`, or every term when `on` is None; with `during`, those in force on a day of that
    inclusive window, of `region` if given)."""
    if term is not None:
        known = {r.term for r in all_terms(conn, moment)}
        in_force = known if on is None else {r.term for r in terms_in_force(conn, on, moment)}
        if term not in in_force:
            why = "is not in the ledger" if term not in known else f"was not in force on {on}"
            raise NotFound(f"term {term} {why}")
        return [term]
    rows = all_terms(conn, moment) if on is None else terms_in_force(conn, on, moment, region)
    rows = [r for r in rows if (region is None or r.region == region)
            and (during is None or _overlaps((r.valid_from, r.valid_to), during))]
    if not rows:
        where = f"KKR {REGION_NAMES[region]}" if region else "KKR"
        when = "in the ledger" if on is None else f"was in force on {on}"
        if during is not None:
            when = f"was in force {during[0] or '…'}..{during[1] or '…'}"
        raise NotFound(f"no term of {where} {when}")
    if region is not None and on is not None:
        rows = rows[-1:]
    order = list(REGION_NAMES)
    return sorted({r.term for r in rows}, key=lambda t: (order.index(t.split("/")[0]), t))


def _overlaps(span: tuple[date, date | None], window: tuple[date | None, date | None]) -> bool:
    """Whether the half-open `span` has a day in the inclusive `window` (None: open)."""
    first, last = window
    return (last is None or span[0] <= last) and (
        first is None or span[1] is None or span[1] > first)


class TermRows:
    """The interval rows of one term, indexed for composing memberships."""

    def __init__(self, term: str, rows: list[Row]) -> None:
        self.term = term
        self.rows = rows
        self.seats = {r.seat: r for r in rows if r.kind == "seat"}
        self.people: dict[str, list[Row]] = {}
        for r in rows:
            if r.kind == "person":
                self.people.setdefault(r.person_id, []).append(r)
        self.span = next(((r.valid_from, r.valid_to) for r in rows if r.kind == "term"),
                         (date.min, None))

    def person(self, pid: str, day: date) -> dict[str, Any]:
        records = self.people.get(pid, [])
        held = [r for r in records if r.valid_from <= day and (r.valid_to is None or
                                                                r.valid_to > day)]
        chosen = held[-1] if held else (records[-1] if records else None)
        return chosen.data if chosen else {"name": pid, "party": "", "municipality": ""}

    def members_during(self, seat: str, start: date, end: date | None) -> list[Row]:
        return [r for r in self.rows if r.kind == "member" and r.seat == seat and
                r.valid_from < (end or date.max) and (r.valid_to or date.max) > start]


def _holds(row: Row, on: date | None) -> bool:
    return on is None or (row.valid_from <= on and (row.valid_to is None or row.valid_to > on))


def _last_day(valid_to: date | None) -> str | None:
    return (valid_to - timedelta(days=1)).isoformat() if valid_to else None


def organization_id(term: str) -> str:
    return f"kkr/{term}"


def party_id(party: str) -> str:
    return f"party/{slugify(party) or 'independent'}"


def membership_id(row: Row) -> str:
    what = row.role if row.kind == "role" else row.kind
    return f"{row.term}/{what}/{row.seat or '-'}/{row.person_id}/{row.valid_from.isoformat()}"


def membership(term: TermRows, row: Row) -> dict[str, Any]:
    """One flat membership row of a place or role interval."""
    info = term.person(row.person_id, row.valid_from)
    seat = term.seats.get(row.seat)
    party = info.get("party", "")
    if seat is not None and seat.data.get("seat_kind") == "party":
        party = seat.data.get("party", party)  # the party or list that elected the place
    substitute_for = [] if row.kind not in ("substitute", "acting") else \
        term.members_during(row.seat, row.valid_from, row.valid_to)
    return {
        "id": membership_id(row), "term": term.term,
        "role": ROLES.get(row.kind) or ROLE_TITLES.get(row.role, row.role),
        "person_id": row.person_id, "name": info.get("name", row.person_id), "party": party,
        "municipality": info.get("municipality", ""),
        "organization_id": organization_id(term.term),
        "post_id": f"{term.term}/{row.seat}" if row.seat else None,
        "on_behalf_of_id": party_id(party) if party else None,
        "start_date": row.valid_from.isoformat(), "end_date": _last_day(row.valid_to),
        "end_reason": row.data.get("end_reason"),
        "substitute_for": [m.person_id for m in substitute_for],
        "substitute_for_ids": [membership_id(m) for m in substitute_for],
    }


def load_terms(conn: Connection, terms: Iterable[str], moment: datetime) -> list[TermRows]:
    """The terms' rows in an order of their own content (a rebuild or another loading order
    gives rows other ids), so the same ledger always exports the same bytes."""
    return [TermRows(t, sorted(fetch(conn, intervals.c.term == t, known_at(moment)),
                               key=_content_order)) for t in terms]


def _content_order(row: Row) -> tuple[date, str, str, str, str, date]:
    return (row.valid_from, row.kind, row.seat, row.person_id, row.role,
            row.valid_to or date.max)


def memberships(loaded: list[TermRows], on: date | None) -> list[dict[str, Any]]:
    """Every membership of the terms holding on `on` (all of them when None)."""
    kinds = (*ROLES, "role")
    return [membership(t, r) for t in loaded for r in t.rows
            if r.kind in kinds and _holds(r, on)]


def plain(loaded: list[TermRows], on: date | None, moment: datetime) -> dict[str, Any]:
    return {"on": on.isoformat() if on else None, "period": on is None,
            "known_at": moment.isoformat(), "terms": [t.term for t in loaded],
            "memberships": memberships(loaded, on)}


def csv_rows(loaded: list[TermRows], on: date | None) -> list[list[Any]]:
    return [[" ".join(m[c]) if c == "substitute_for" else m[c] for c in CSV_COLUMNS]
            for m in memberships(loaded, on)]


def popolo(loaded: list[TermRows], on: date | None,
           mandates: dict[str, Any] | None = None) -> dict[str, Any]:
    """Popolo JSON: persons, organizations (the KKR, the parties), posts (seats), memberships;
    with `mandates` (`export_bodies.body_popolo`) also the bodies, their seats and designees."""
    mandates = mandates or {"organizations": [], "posts": [], "memberships": [], "persons": [],
                            "groups": []}
    rows = memberships(loaded, on)
    persons = {m["person_id"]: {"id": m["person_id"], "name": m["name"],
                                "municipality": m["municipality"]} for m in rows}
    persons = {p["id"]: p for p in mandates["persons"]} | persons
    parties = sorted({m["party"] for m in rows if m["party"]} | set(mandates["groups"]))
    return {
        "persons": sorted(persons.values(), key=lambda p: p["id"]),
        "organizations": [_kkr(t) for t in loaded] + mandates["organizations"] + [
            {"id": party_id(p), "name": p, "classification": "party"} for p in parties],
        "posts": [_post(t, seat) for t in loaded for seat in t.seats.values()
                  if _holds(seat, on)] + mandates["posts"],
        "memberships": [_popolo_membership(m) for m in rows] + mandates["memberships"],
    }


def _popolo_membership(row: dict[str, Any]) -> dict[str, Any]:
    """Popolo leaves out what is unknown; the substitute relation points at memberships."""
    found = {k: v for k, v in row.items() if v is not None and k not in (
        "name", "municipality", "substitute_for", "substitute_for_ids")}
    if row["substitute_for_ids"]:
        found["substitute_for_id"] = row["substitute_for_ids"]
    return found


def _kkr(term: TermRows) -> dict[str, Any]:
    region, year = term.term.split("/")
    return {"id": organization_id(term.term), "name": f"KKR {REGION_NAMES[region]} {year}",
            "classification": "kkr", "area": {"id": f"region/{region}",
                                              "name": REGION_NAMES[region]},
            "founding_date": term.span[0].isoformat(), "dissolution_date": _last_day(term.span[1])}


def _post(term: TermRows, seat: Row) -> dict[str, Any]:
    kind, town = seat.data.get("seat_kind"), seat.data.get("municipality", "")
    label = f"Borgmester, {town}" if kind == "mayor" else \
        f"Partivalgt medlem, {seat.data.get('party')} ({seat.seat.rsplit(':', 1)[-1]})"
    post = {"id": f"{term.term}/{seat.seat}", "label": label, "role": "member",
            "organization_id": organization_id(term.term), "seat_kind": kind,
            "start_date": seat.valid_from.isoformat(), "end_date": _last_day(seat.valid_to)}
    if kind == "mayor":  # Popolo: an area is an object or absent, never null
        post["area"] = {"id": f"municipality/{slugify(town)}", "name": town}
    return post
