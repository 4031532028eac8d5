"""Which person a user means: a person_id as stored, or an id or name with Danish letters
spelled either way (`soren-holm`, `soeren-holm` and `Søren Holm` find `søren-holm`)."""

from __future__ import annotations

from datetime import datetime

import orjson
from sqlalchemy import Connection, select

from ledger.errors import NotFound
from ledger.geography import lookup_key
from projections.query import known_at
from projections.tables import intervals

CANDIDATES_SHOWN = 5


def resolve_person(conn: Connection, reference: str, moment: datetime) -> str:
    """The person_id meant by `reference`, as the ledger knew it at `moment`; NotFound when
    none or several people match (the message lists them)."""
    people = _people(conn, moment)
    if reference in people:
        return reference
    key = lookup_key(reference)
    matches = sorted(pid for pid, name in people.items()
                     if key and key in (lookup_key(pid), lookup_key(name)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no person {reference!r} in the ledger")
    shown = ", ".join(f"{pid} ({people[pid]})" for pid in matches[:CANDIDATES_SHOWN])
    more = f" and {len(matches) - CANDIDATES_SHOWN} more" if len(matches) > CANDIDATES_SHOWN else ""
    raise NotFound(f"{reference!r} may be any of {shown}{more}; give the person_id")


def _people(conn: Connection, moment: datetime) -> dict[str, str]:
    """person_id -> the latest name, of everyone the ledger names."""
    c = intervals.c
    query = (select(c.person_id, c.data).where(c.kind == "person", known_at(moment))
             .order_by(c.valid_from, c.id))
    return {pid: orjson.loads(data).get("name", pid) for pid, data in conn.execute(query)}
