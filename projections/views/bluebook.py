"""The Blå Bog edition of a KKR on a date: its roster and every designated person with all
their posts (design/mandates.md). A leave shows as leave, with its dates, never its reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.geography import REGION_NAMES
from projections.readmodel.plain import Reader
from projections.views.mandates import mandates
from projections.views.reads import Row, roster_rows, terms_in_force
from projections.views.roster import compose_roster

if TYPE_CHECKING:
    from sqlalchemy import Connection


def bluebook(conn: Connection | Reader, region: str, on: date,
             moment: datetime) -> dict[str, Any]:
    terms = terms_in_force(conn, on, moment, region)
    term = terms[-1].term if terms else None
    rows = roster_rows(conn, term, on, moment) if term else []
    members = _members(compose_roster(term, on, moment, rows), rows) if term else []
    bodies = mandates(conn, on, moment, region)["bodies"]
    in_kkr = {p["person_id"] for seat in members for key in ("member", "substitute", "acting")
              if (p := seat.get(key)) is not None}
    return {
        "region": region, "region_name": REGION_NAMES[region], "on": on.isoformat(),
        "known_at": moment.isoformat(), "term": term, "members": members,
        "people": _people(bodies, in_kkr),
        "bodies": [{"body": b["body"], "name": b["name"], "seats": b["seats"],
                    "vacant": b["vacant"]} for b in bodies],
    }


def _members(roster: dict[str, Any], rows: list[Row]) -> list[dict[str, Any]]:
    """The roster's seats, each with its member's leave dates (no reason) when on leave."""
    leaves = {r.person_id: {"from": r.valid_from.isoformat(),
                            "expected_until": r.data.get("expected_until")}
              for r in rows if r.kind == "leave"}
    return [{**seat, "leave": leaves.get((seat["member"] or {}).get("person_id", ""))}
            for seat in roster["seats"]]


def _people(bodies: list[dict[str, Any]], in_kkr: set[str]) -> list[dict[str, Any]]:
    """One entry per designated person (designee or personal substitute), by name."""
    people: dict[str, dict[str, Any]] = {}
    for b in bodies:
        for d in b["designations"]:
            _entry(people, d["person"], in_kkr)["posts"].append(_post(b, d, d["substitute"]))
            if d["substitute"] is not None:
                post = {**_post(b, d, None), "substitute_for": d["person"]}
                _entry(people, d["substitute"], in_kkr)["posts"].append(post)
    return sorted(people.values(), key=lambda p: (p["name"], p["person_id"]))


def _entry(people: dict[str, dict[str, Any]], person: dict[str, str],
           in_kkr: set[str]) -> dict[str, Any]:
    pid = person["person_id"]
    if pid not in people:
        people[pid] = {**person, "kkr_member": pid in in_kkr, "posts": []}
    return people[pid]


def _post(body: dict[str, Any], designation: dict[str, Any],
          substitute: dict[str, str] | None) -> dict[str, Any]:
    return {"body": body["body"], "body_name": body["name"], "group": designation["group"],
            "substitute": substitute, "nominated": body["nominated"],
            "from": designation["from"], "to": designation["to"]}
