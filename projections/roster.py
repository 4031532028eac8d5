"""The roster of a KKR on a date (DESIGN.md §3.2), composed from interval rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from ledger import rules
from ledger.errors import NotFound
from ledger.geography import REGION_NAMES, municipality
from projections.query import Row, term_rows_on, terms_in_force


def roster_of_region(conn: Connection, region: str, on: date, moment: datetime) -> dict[str, Any]:
    terms = terms_in_force(conn, on, moment, region)
    if not terms:
        raise NotFound(f"no term of KKR {REGION_NAMES[region]} was in force on {on}")
    return roster_of_term(conn, terms[-1].term, on, moment)


def roster_of_term(conn: Connection, term: str, on: date, moment: datetime) -> dict[str, Any]:
    rows = term_rows_on(conn, term, on, moment)
    if not any(r.kind == "term" for r in rows):
        raise NotFound(f"term {term} was not in force on {on}")
    return compose_roster(term, on, moment, rows)


def all_rosters(conn: Connection, on: date, moment: datetime) -> dict[str, Any]:
    terms = terms_in_force(conn, on, moment)
    if not terms:
        raise NotFound(f"no KKR term was in force on {on}")
    ordered = sorted(terms, key=lambda r: list(REGION_NAMES).index(r.region))
    return {"on": on.isoformat(), "known_at": moment.isoformat(),
            "rosters": [roster_of_term(conn, t.term, on, moment) for t in ordered]}


def compose_roster(term: str, on: date, moment: datetime, rows: list[Row]) -> dict[str, Any]:
    """One roster from the rows in force on `on`: also used on rows taken from a fold."""
    region = term.split("/")[0]
    people = People({r.person_id: r for r in rows if r.kind == "person"})
    by_kind: dict[str, dict[str, str]] = {"member": {}, "substitute": {}, "acting": {}}
    for r in rows:
        if r.kind in by_kind:
            by_kind[r.kind][r.seat] = r.person_id
    on_leave = {r.person_id for r in rows if r.kind == "leave"}
    roles: dict[str, list[str]] = {}
    holders: dict[str, str] = {}
    for r in rows:
        if r.kind == "role":
            roles.setdefault(r.person_id, []).append(r.role)
            holders[r.role] = r.person_id
    seats = [
        _seat(r, by_kind, people, on_leave, roles)
        for r in sorted((r for r in rows if r.kind == "seat"), key=_seat_order)
    ]

    def brief(role: str) -> dict[str, str] | None:
        pid = holders.get(role)
        return None if pid is None else {"person_id": pid, "name": people[pid]["name"]}

    return {
        "term": term, "region": region, "on": on.isoformat(), "known_at": moment.isoformat(),
        "max_size": rules.cap(region), "size": sum(1 for s in seats if s["member"]),
        "chair": brief("chair"), "vice_chair": brief("vice_chair"), "seats": seats,
    }


class People:
    """Person rows by id, their data decoded only for the people a roster shows."""

    def __init__(self, rows: dict[str, Row]) -> None:
        self.rows = rows

    def __getitem__(self, person_id: str) -> dict[str, Any]:
        return self.rows[person_id].data

    def get(self, person_id: str, default: dict[str, Any]) -> dict[str, Any]:
        row = self.rows.get(person_id)
        return default if row is None else row.data


def _seat(row: Row, by_kind: dict[str, dict[str, str]], people: People,
          on_leave: set[str], roles: dict[str, list[str]]) -> dict[str, Any]:
    def person(pid: str | None) -> dict[str, Any] | None:
        if pid is None:
            return None
        info = people.get(pid, {})
        return {"person_id": pid, "name": info.get("name", pid), "party": info.get("party", ""),
                "municipality": info.get("municipality", "")}

    member = by_kind["member"].get(row.seat)
    status = "vacant" if member is None else "on_leave" if member in on_leave else "active"
    party = row.data.get("party", "")
    if row.data.get("seat_kind") == "mayor" and member is not None:
        party = people.get(member, {}).get("party", party)
    return {
        "seat": row.seat, "kind": row.data.get("seat_kind"),
        "municipality": row.data.get("municipality"), "party": party,
        "member": person(member), "status": status,
        "acting": person(by_kind["acting"].get(row.seat)),
        "substitute": person(by_kind["substitute"].get(row.seat)),
        "roles": sorted(roles.get(member, [])) if member else [],
    }


def _seat_order(row: Row) -> tuple[int, int, str]:
    if row.data.get("seat_kind") == "mayor":
        return (0, municipality(row.data["municipality"]).code, row.seat)
    return (1, 0, row.seat)
