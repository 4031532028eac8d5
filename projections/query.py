"""Indexed reads of the interval table at a valid date and a recorded moment."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from projections.store import day_or_none, day_text, moment_text
from projections.tables import intervals


@dataclass(frozen=True)
class Row:
    term: str
    region: str
    kind: str
    seat: str
    person_id: str
    role: str
    valid_from: date
    valid_to: date | None
    data: dict[str, Any]


def known_at(moment: datetime) -> ColumnElement[bool]:
    c, when = intervals.c, moment_text(moment)
    return and_(c.recorded_from <= when, or_(c.recorded_to.is_(None), c.recorded_to > when))


def valid_on(day: date) -> ColumnElement[bool]:
    c, text = intervals.c, day_text(day)
    return and_(c.valid_from <= text, or_(c.valid_to.is_(None), c.valid_to > text))


def fetch(conn: Connection, *conditions: ColumnElement[bool]) -> list[Row]:
    c = intervals.c
    query = select(c.term, c.region, c.kind, c.seat, c.person_id, c.role, c.valid_from,
                   c.valid_to, c.data).where(*conditions).order_by(c.valid_from, c.id)
    return [
        Row(r.term, r.region, r.kind, r.seat, r.person_id, r.role,
            date.fromisoformat(r.valid_from), day_or_none(r.valid_to), json.loads(r.data))
        for r in conn.execute(query)
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
