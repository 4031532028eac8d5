"""Every place a person has held, across terms, as the ledger knew it at a moment: with the
roles held in it and the leaves taken from it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.fold.body_book import BODY_STREAM_PREFIX
from projections.readmodel.plain import Reader
from projections.views.people import person_by_spelling
from projections.views.reads import Row, person_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

CAPACITIES = ("member", "substitute", "acting")
DESIGNATIONS = {"designated": "designated", "deputy": "designated_substitute"}


def places_of(conn: Connection | Reader, reference: str, moment: datetime) -> dict[str, Any]:
    """`reference` is a person_id, or an id or name with Danish letters spelled either way."""
    person_id, rows = reference, person_rows(conn, reference, moment)
    if not rows:  # no stored id: another spelling, or a name
        person_id = person_by_spelling(conn, reference, moment)
        rows = person_rows(conn, person_id, moment)
    names = [r.data["name"] for r in rows if r.kind == "person"]
    places = [_place(row, rows) for row in rows if row.kind in CAPACITIES]
    places += [_designation(row) for row in rows if row.kind in DESIGNATIONS]
    places.sort(key=lambda p: (p["from"], p["term"] or "", p.get("body") or ""))
    council = [{**_dates(r), "reason": r.data.get("reason")} for r in rows
               if r.kind == "council_end"]
    return {"person_id": person_id, "name": names[-1] if names else person_id, "places": places,
            "off_council": council}


def _designation(row: Row) -> dict[str, Any]:
    """A seat in a body (design/mandates.md): `capacity` designated, `term` null."""
    return {"term": None, "body": row.term.removeprefix(BODY_STREAM_PREFIX), "seat": row.seat,
            "capacity": DESIGNATIONS[row.kind], **_dates(row),
            "end_reason": row.data.get("end_reason"), "group": row.data.get("group"),
            "substitute_for": row.data.get("substitute_for"), "roles": [], "leaves": []}


def _place(row: Row, rows: list[Row]) -> dict[str, Any]:
    """A place with the roles held and the leaves taken during it (their dates within it: a
    role kept from one place into the next shows under each for its own part)."""
    roles = [{"role": r.role, **_dates(r, row)} for r in rows
             if row.kind == "member" and r.kind == "role" and r.term == row.term
             and _overlaps(r, row)]
    leaves = [{**_dates(r, row), "expected_until": r.data.get("expected_until"),
               "rule": r.data.get("rule")} for r in rows
              if r.kind == "leave" and (r.term, r.seat) == (row.term, row.seat)
              and _overlaps(r, row)]
    return {"term": row.term, "seat": row.seat, "capacity": row.kind, **_dates(row),
            "end_reason": row.data.get("end_reason"), "basis": row.data.get("basis"),
            "roles": roles, "leaves": leaves}


def _dates(row: Row, within: Row | None = None) -> dict[str, str | None]:
    start, end = row.valid_from, row.valid_to
    if within is not None:
        start = max(start, within.valid_from)
        end = within.valid_to if end is None else min(end, within.valid_to or end)
    return {"from": start.isoformat(), "to": end.isoformat() if end else None}


def _overlaps(inner: Row, outer: Row) -> bool:
    return (inner.valid_from < (outer.valid_to or date.max)
            and (inner.valid_to or date.max) > outer.valid_from)
