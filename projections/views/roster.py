"""The roster of a KKR on a date (DESIGN.md §3.2), composed from interval rows."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from ledger.errors import NotFound
from ledger.geography import REGION_NAMES, municipality
from ledger.statute import rules
from ledger.vocabulary import ROLES
from projections.readmodel.plain import Reader
from projections.views.reads import Row, roster_rows, terms_in_force

if TYPE_CHECKING:
    from sqlalchemy import Connection


def roster_of_region(conn: Connection | Reader, region: str, on: date,
                     moment: datetime) -> dict[str, Any]:
    terms = terms_in_force(conn, on, moment, region)
    if not terms:
        raise NotFound(f"no term of KKR {REGION_NAMES[region]} was in force on {on}")
    return roster_of_term(conn, terms[-1].term, on, moment)


def roster_of_term(conn: Connection | Reader, term: str, on: date,
                   moment: datetime) -> dict[str, Any]:
    rows = roster_rows(conn, term, on, moment)
    if not any(r.kind == "term" for r in rows):
        raise NotFound(f"term {term} was not in force on {on}")
    return compose_roster(term, on, moment, rows)


def all_rosters(conn: Connection | Reader, on: date, moment: datetime) -> dict[str, Any]:
    terms = terms_in_force(conn, on, moment)
    if not terms:
        raise NotFound(f"no KKR term was in force on {on}")
    ordered = sorted(terms, key=lambda r: list(REGION_NAMES).index(r.region))
    return {"on": on.isoformat(), "known_at": moment.isoformat(),
            "rosters": [roster_of_term(conn, t.term, on, moment) for t in ordered]}


def compose_roster(term: str, on: date, moment: datetime, rows: list[Row]) -> dict[str, Any]:
    """One roster from the rows in force on `on`: also used on rows taken from a fold."""
    region = term.split("/")[0]
    people: dict[str, Row] = {}
    places: dict[str, dict[str, str]] = {"member": {}, "substitute": {}, "acting": {}}
    on_leave: set[str] = set()
    roles: dict[str, list[str]] = {}
    holders: dict[str, str] = {}
    seat_rows: list[Row] = []
    ended_on: date | None = None
    for r in rows:
        kind = r.kind
        if kind == "term":
            ended_on = r.valid_to
        elif kind in places:
            places[kind][r.seat] = r.person_id
        elif kind == "person":
            people[r.person_id] = r
        elif kind == "seat":
            seat_rows.append(r)
        elif kind == "leave":
            on_leave.add(r.person_id)
        elif kind == "role":
            roles.setdefault(r.person_id, []).append(r.role)
            holders[r.role] = r.person_id
    shown = Shown(people)
    seat_rows.sort(key=_seat_order)
    seats = [_seat(r, places, shown, on_leave, roles) for r in seat_rows]

    def brief(role: str) -> dict[str, str] | None:
        pid = holders.get(role)
        return None if pid is None else {"person_id": pid, "name": people[pid].data["name"]}

    return {
        "term": term, "region": region, "on": on.isoformat(), "known_at": moment.isoformat(),
        "max_size": rules.cap(region), "size": sum(1 for s in seats if s["member"]),
        **{role: brief(role) for role in ROLES}, "seats": seats,
        "warnings": _warnings(term, on, ended_on),
    }


def _warnings(term: str, on: date, ended_on: date | None) -> list[str]:
    """What a reader must know about the answer: a successor constitution overdue (B1.3)."""
    overdue = rules.overdue_successor(term, on, ended_on)
    return [f"[B1.3] {overdue}"] if overdue else []


class Shown:
    """The people a roster shows, from their person rows (data decoded only for these)."""

    def __init__(self, rows: dict[str, Row]) -> None:
        self.rows = rows

    def party(self, person_id: str, default: str) -> str:
        row = self.rows.get(person_id)
        return default if row is None else str(row.data.get("party", default))

    def __call__(self, person_id: str | None) -> dict[str, Any] | None:
        if person_id is None:
            return None
        row = self.rows.get(person_id)
        info = {} if row is None else row.data
        return {"person_id": person_id, "name": info.get("name", person_id),
                "party": info.get("party", ""), "municipality": info.get("municipality", "")}


def _seat(row: Row, places: dict[str, dict[str, str]], person: Shown,
          on_leave: set[str], roles: dict[str, list[str]]) -> dict[str, Any]:
    member = places["member"].get(row.seat)
    status = "vacant" if member is None else "on_leave" if member in on_leave else "active"
    data = row.data
    party = data.get("party", "")
    if data.get("seat_kind") == "mayor" and member is not None:
        party = person.party(member, party)
    return {
        "seat": row.seat, "kind": data.get("seat_kind"),
        "municipality": data.get("municipality"), "party": party,
        "member": person(member), "status": status,
        "acting": person(places["acting"].get(row.seat)),
        "substitute": person(places["substitute"].get(row.seat)),
        "roles": sorted(roles.get(member, [])) if member else [],
    }


def _seat_order(row: Row) -> tuple[int, int, str]:
    if row.data.get("seat_kind") == "mayor":
        return (0, _municipality_code(row.data["municipality"]), row.seat)
    return (1, 0, row.seat)


@cache
def _municipality_code(name: str) -> int:
    return municipality(name).code
