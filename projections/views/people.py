"""Which person a user means: a person_id as stored, or an id or name with Danish letters
spelled either way (`soren-holm`, `soeren-holm` and `Søren Holm` find `søren-holm`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ledger.errors import NotFound
from ledger.geography import lookup_key
from projections.readmodel.plain import Reader
from projections.views.reads import people, person_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

CANDIDATES_SHOWN = 5


def resolve_person(conn: Connection | Reader, reference: str, moment: datetime) -> str:
    """The person_id meant by `reference`, as the ledger knew it at `moment`; NotFound when
    none or several people match (the message lists them). An exact id is one indexed look-up;
    only another spelling reads the names of everyone."""
    if person_rows(conn, reference, moment):
        return reference
    return person_by_spelling(conn, reference, moment)


def person_by_spelling(conn: Connection | Reader, reference: str, moment: datetime) -> str:
    """The one person whose id or name `reference` spells with Danish letters either way
    (reads the names of everyone: for a reference that is no stored id)."""
    named = people(conn, moment)
    key = lookup_key(reference)
    matches = sorted(pid for pid, name in named.items()
                     if key and key in (lookup_key(pid), lookup_key(name)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no person {reference!r} in the ledger")
    shown = ", ".join(f"{pid} ({named[pid]})" for pid in matches[:CANDIDATES_SHOWN])
    more = f" and {len(matches) - CANDIDATES_SHOWN} more" if len(matches) > CANDIDATES_SHOWN else ""
    raise NotFound(f"{reference!r} may be any of {shown}{more}; give the person_id")
