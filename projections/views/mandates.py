"""The mandates on a date (design/mandates.md): every body in existence, its KKR seats and who
holds them, composed from interval rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.fold.body_book import BODY_STREAM_PREFIX
from ledger.geography import REGION_NAMES
from projections.readmodel.plain import Reader
from projections.views.reads import Row, body_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection


def mandates(conn: Connection | Reader, on: date, moment: datetime,
             region: str | None = None) -> dict[str, Any]:
    """`{"on", "known_at", "bodies": [...]}`: only bodies in existence on `on`, by region
    (in the regions' order) and name."""
    streams: dict[str, list[Row]] = {}
    for row in body_rows(conn, on, moment, region):
        streams.setdefault(row.term, []).append(row)
    bodies = [body for rows in streams.values() if (body := compose_body(rows)) is not None]
    order = list(REGION_NAMES)
    bodies.sort(key=lambda b: (order.index(b["region"]), b["name"], b["body"]))
    return {"on": on.isoformat(), "known_at": moment.isoformat(), "region": region,
            "bodies": bodies}


def compose_body(rows: list[Row]) -> dict[str, Any] | None:
    """One body from its rows valid on a day; None when it did not exist that day."""
    body = next((r for r in rows if r.kind == "body"), None)
    if body is None:
        return None
    posts = next((r.data for r in rows if r.kind == "posts"), None)
    people = {r.person_id: person_of(r) for r in rows if r.kind == "person"}
    deputies = {r.seat: people.get(r.person_id, {"person_id": r.person_id})
                for r in rows if r.kind == "deputy"}
    held = sorted((r for r in rows if r.kind == "designated"), key=lambda r: int(r.seat))
    return {
        "body": body.term.removeprefix(BODY_STREAM_PREFIX), "name": body.data["name"],
        "region": body.region, "kind": body.data.get("body_kind"),
        "legal_basis": body.data.get("legal_basis", ""),
        "successor_of": body.data.get("successor_of"),
        "seats": posts["kkr_seats"] if posts else 0,
        "vacant": sum(1 for r in rows if r.kind == "vacancy"),
        "nominated": bool(posts and posts.get("nominated")),
        "substitutes": bool(posts and posts.get("substitutes")),
        "eligibility": posts.get("eligibility") if posts else None,
        "method": posts.get("method") if posts else None,
        "until": posts.get("until") if posts else None,
        "designations": [designation(r, people, deputies) for r in held],
    }


def designation(row: Row, people: dict[str, dict[str, str]],
                deputies: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {
        "seat": row.seat,
        "person": people.get(row.person_id, {"person_id": row.person_id}),
        "group": row.data.get("group"), "substitute": deputies.get(row.seat),
        "decided_on": row.data.get("decided_on"),
        "from": row.valid_from.isoformat(),
        "to": row.valid_to.isoformat() if row.valid_to else None,
    }


def person_of(row: Row) -> dict[str, str]:
    """A person row as the outputs show a person."""
    return {"person_id": row.person_id, "name": row.data["name"],
            "municipality": row.data["municipality"], "party": row.data["party"]}
