"""Every place a person has held, across terms, as the ledger knew it at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.errors import NotFound
from projections.reads import Reader, person_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

CAPACITIES = ("member", "substitute", "acting")


def places_of(conn: Connection | Reader, person_id: str, moment: datetime) -> dict[str, Any]:
    rows = person_rows(conn, person_id, moment)
    if not rows:
        raise NotFound(f"no person {person_id!r} in the ledger")
    names = [r.data["name"] for r in rows if r.kind == "person"]
    places = []
    for row in rows:
        if row.kind not in CAPACITIES:
            continue
        roles = [
            {"role": r.role, "from": r.valid_from.isoformat(),
             "to": r.valid_to.isoformat() if r.valid_to else None}
            for r in rows
            if r.kind == "role" and r.term == row.term and r.seat == row.seat
            and r.valid_from < (row.valid_to or r.valid_from.max) and
            (r.valid_to is None or r.valid_to > row.valid_from) and row.kind == "member"
        ]
        places.append({
            "term": row.term, "seat": row.seat, "capacity": row.kind,
            "from": row.valid_from.isoformat(),
            "to": row.valid_to.isoformat() if row.valid_to else None,
            "end_reason": row.data.get("end_reason"), "basis": row.data.get("basis"),
            "roles": roles,
        })
    places.sort(key=lambda p: (p["from"], p["term"]))
    return {"person_id": person_id, "name": names[-1] if names else person_id, "places": places}
