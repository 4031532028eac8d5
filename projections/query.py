"""Indexed reads of the interval table at a valid date and a recorded moment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    bindparam,
    literal_column,
    or_,
    select,
    union_all,
)

from projections.driver import driver_rows
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
            self._data = orjson.loads(self._json or "{}")
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


def terms_in_force(conn: Connection, on: date, moment: datetime,
                   region: str | None = None) -> list[Row]:
    conditions = [IS_TERM, valid_on(on), known_at(moment)]
    if region is not None:
        conditions.append(intervals.c.region == region)
    return fetch(conn, *conditions)


def _roster_query() -> Select[Any]:
    """A term's rows valid on :day as known at :moment, in two parts: the current versions
    recorded by then (a covering partial index: no table visit for a row not valid that day)
    and the versions closed since (few, unless the moment is long past). Person rows come
    only for the people holding a place or a role on the day: a term accumulates hundreds."""
    c, moment = intervals.c, bindparam("moment", type_=String)

    def known(recorded: ColumnElement[bool]) -> Select[Any]:
        return select(c.id, c.kind, c.person_id).where(
            c.term == bindparam("term"), recorded, c.recorded_from <= moment,
            valid_on(bindparam("day")))

    rows = union_all(known(c.recorded_to.is_(None)), known(c.recorded_to > moment)).cte("known")
    named = select(rows.c.person_id).where(or_(*(rows.c.kind == kind for kind in PLACES)))
    return (select(c.kind, c.seat, c.person_id, c.role, c.valid_from, c.valid_to, c.data)
            .join_from(intervals, rows, c.id == rows.c.id)
            .where(or_(rows.c.kind != "person", rows.c.person_id.in_(named)))
            .order_by(c.valid_from, c.id))


PLACES = ("member", "substitute", "acting", "role")  # the kinds that name a person in a roster
ROSTER_ROWS = _roster_query()


def roster_rows(conn: Connection, term: str, on: date, moment: datetime) -> list[Row]:
    """What a roster of `term` on `on` shows, as known at `moment` (see `_roster_query`)."""
    region = term.split("/")[0]
    found = driver_rows(conn, ROSTER_ROWS, {"term": term, "day": day_text(on),
                                            "moment": moment_text(moment)})
    return [Row(term, region, k, s, p, r, date.fromisoformat(f), day_or_none(t), d)
            for k, s, p, r, f, t, d in found]


def person_rows(conn: Connection, person_id: str, moment: datetime) -> list[Row]:
    return fetch(conn, intervals.c.person_id == person_id, known_at(moment))


def all_terms(conn: Connection, moment: datetime) -> list[Row]:
    return fetch(conn, IS_TERM, known_at(moment))
