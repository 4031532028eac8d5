"""Indexed reads of the interval table at a valid date and a recorded moment."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from projections.store import day_or_none, day_text, moment_text
from projections.tables import intervals


class Row:
    """One interval version as read; its JSON data is decoded only when asked for (a roster
    reads hundreds of rows but needs the data of few of them)."""

    __slots__ = ("_data", "_json", "kind", "person_id", "region", "role", "seat", "term",
                 "valid_from", "valid_to")

    def __init__(self, term: str, region: str, kind: str, seat: str, person_id: str, role: str,
                 valid_from: date, valid_to: date | None, data: dict[str, Any] | str) -> None:
        self.term, self.region, self.kind, self.seat = term, region, kind, seat
        self.person_id, self.role, self.valid_from, self.valid_to = (person_id, role,
                                                                      valid_from, valid_to)
        self._data = data if isinstance(data, dict) else None
        self._json = data if isinstance(data, str) else None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self._json or "{}")
        return self._data

    def __repr__(self) -> str:
        return (f"Row({self.term!r}, {self.kind!r}, {self.seat!r}, {self.person_id!r}, "
                f"{self.role!r}, {self.valid_from}, {self.valid_to})")


def known_at(moment: datetime) -> ColumnElement[bool]:
    """Row versions the ledger knew at `moment`. A moment not in the past means everything
    recorded so far: the current versions, which a partial index serves directly."""
    c = intervals.c
    if moment >= datetime.now(UTC):
        return c.recorded_to.is_(None)
    when = moment_text(moment)
    return and_(c.recorded_from <= when, or_(c.recorded_to.is_(None), c.recorded_to > when))


def valid_on(day: date) -> ColumnElement[bool]:
    c, text = intervals.c, day_text(day)
    return and_(c.valid_from <= text, or_(c.valid_to.is_(None), c.valid_to > text))


def fetch(conn: Connection, *conditions: ColumnElement[bool]) -> list[Row]:
    c = intervals.c
    query = select(c.term, c.region, c.kind, c.seat, c.person_id, c.role, c.valid_from,
                   c.valid_to, c.data).where(*conditions).order_by(c.valid_from, c.id)
    return [
        Row(r[0], r[1], r[2], r[3], r[4], r[5], date.fromisoformat(r[6]), day_or_none(r[7]), r[8])
        for r in conn.execute(query).all()
    ]


def terms_in_force(conn: Connection, on: date, moment: datetime,
                   region: str | None = None) -> list[Row]:
    conditions = [intervals.c.kind == "term", valid_on(on), known_at(moment)]
    if region is not None:
        conditions.append(intervals.c.region == region)
    return fetch(conn, *conditions)


def term_rows_on(conn: Connection, term: str, on: date, moment: datetime) -> list[Row]:
    return fetch(conn, intervals.c.term == term, valid_on(on), known_at(moment))


def person_rows(conn: Connection, person_id: str, moment: datetime) -> list[Row]:
    return fetch(conn, intervals.c.person_id == person_id, known_at(moment))


def all_terms(conn: Connection, moment: datetime) -> list[Row]:
    return fetch(conn, intervals.c.kind == "term", known_at(moment))
