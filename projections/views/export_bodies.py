"""Popolo of the mandates: an organization per body, a post per KKR seat in it, and a
membership per designation (`on_behalf_of` the group that designated the person)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from ledger.fold.body_book import BODY_STREAM_PREFIX
from ledger.geography import REGION_NAMES
from projections.readmodel.tables import intervals
from projections.views.export import (
    TermRows,
    _content_order,
    _holds,
    _last_day,
    membership_id,
    party_id,
)
from projections.views.query import fetch, known_at
from projections.views.reads import Row, body_labels
from projections.views.spans import Span, overlaps, span

ROLES = {"designated": "designated", "deputy": "personal substitute"}


def load_bodies(conn: Connection, regions: Iterable[str], moment: datetime) -> list[TermRows]:
    """The rows of every body of `regions`, in an order of their own content."""
    return [TermRows(label, sorted(fetch(conn, intervals.c.term == label, known_at(moment)),
                                   key=_content_order))
            for label in body_labels(conn, moment, set(regions))]


def body_popolo(bodies: list[TermRows], on: date | None,
                spans: Iterable[Span] = ()) -> dict[str, Any]:
    """The organizations, posts, persons and memberships of the bodies: those holding on
    `on`, or (when None) those overlapping one of `spans` (the exported terms)."""
    spans = list(spans)

    def shown(row: Row) -> bool:
        return _holds(row, on) if on is not None else bool(overlaps(span(row), spans))

    existing = [b for b in bodies if any(r.kind == "body" and shown(r) for r in b.rows)]
    rows = [(b, r) for b in existing for r in b.rows if r.kind in ROLES and shown(r)]
    return {
        "organizations": [_organization(b) for b in existing],
        "posts": [_post(b, seat) for b in existing for seat in _seats(b)],
        "memberships": [_membership(b, r) for b, r in rows],
        "persons": [{"id": r.person_id, **_person(b, r)} for b, r in rows],
        "groups": sorted({g for _b, r in rows if (g := r.data.get("group"))}),
    }


def organization_id(label: str) -> str:
    return f"body/{label.removeprefix(BODY_STREAM_PREFIX)}"


def _organization(body: TermRows) -> dict[str, Any]:
    row = next(r for r in body.rows if r.kind == "body")
    found = {"id": organization_id(body.term), "name": row.data["name"],
             "classification": "regional_body",
             "area": {"id": f"region/{row.region}", "name": REGION_NAMES[row.region]},
             "founding_date": row.valid_from.isoformat(),
             "dissolution_date": _last_day(row.valid_to)}
    return {k: v for k, v in found.items() if v is not None}


def _seats(body: TermRows) -> list[str]:
    return sorted({r.seat for r in body.rows if r.kind in ("designated", "vacancy")}, key=int)


def _post(body: TermRows, seat: str) -> dict[str, Any]:
    return {"id": f"{organization_id(body.term)}/{seat}", "label": f"KKR-plads {seat}",
            "role": "designated", "organization_id": organization_id(body.term)}


def _person(body: TermRows, row: Row) -> dict[str, Any]:
    info = body.person(row.person_id, row.valid_from)
    return {"name": info.get("name", row.person_id),
            "municipality": info.get("municipality", "")}


def _membership(body: TermRows, row: Row) -> dict[str, Any]:
    group = row.data.get("group")
    if row.kind == "deputy":
        holder = [r for r in body.rows if r.kind == "designated" and r.seat == row.seat
                  and r.valid_from <= row.valid_from < (r.valid_to or date.max)]
        group = holder[0].data.get("group") if holder else None
    found = {"id": membership_id(row), "person_id": row.person_id, "role": ROLES[row.kind],
             "organization_id": organization_id(body.term),
             "post_id": f"{organization_id(body.term)}/{row.seat}",
             "on_behalf_of_id": party_id(group) if group else None,
             "start_date": row.valid_from.isoformat(), "end_date": _last_day(row.valid_to),
             "end_reason": row.data.get("end_reason")}
    return {k: v for k, v in found.items() if v is not None}
