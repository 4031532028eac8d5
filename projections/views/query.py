"""Indexed reads of the interval table at a valid date and a recorded moment."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BindParameter, ColumnElement, Connection, and_, literal_column, or_, select

from projections.readmodel.plain import day_or_none, moment_text
from projections.readmodel.store import day_text
from projections.readmodel.tables import intervals
from projections.views.reads import Row


def known_at(moment: datetime) -> ColumnElement[bool]:
    """Row versions the ledger knew at `moment`. A moment not in the past means everything
    recorded so far: the current versions, which a partial index serves directly."""
    c = intervals.c
    if moment >= datetime.now(UTC):
        return c.recorded_to.is_(None)
    when = moment_text(moment)
    return and_(c.recorded_from <= when, or_(c.recorded_to.is_(None), c.recorded_to > when))


def valid_on(day: date | BindParameter[str]) -> ColumnElement[bool]:
    c, text = intervals.c, day if isinstance(day, BindParameter) else day_text(day)
    return and_(c.valid_from <= text, or_(c.valid_to.is_(None), c.valid_to > text))


def fetch(conn: Connection, *conditions: ColumnElement[bool]) -> list[Row]:
    c = intervals.c
    query = select(c.term, c.region, c.kind, c.seat, c.person_id, c.role, c.valid_from,
                   c.valid_to, c.data).where(*conditions).order_by(c.valid_from, c.id)
    return [
        Row(r[0], r[1], r[2], r[3], r[4], r[5], date.fromisoformat(r[6]), day_or_none(r[7]), r[8])
        for r in conn.execute(query).all()
    ]


# A term's own rows, said literally so that the partial index kkr_intervals_terms serves it.
IS_TERM = intervals.c.kind == literal_column("'term'")


def all_terms(conn: Connection, moment: datetime) -> list[Row]:
    return fetch(conn, IS_TERM, known_at(moment))
