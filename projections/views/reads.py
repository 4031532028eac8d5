"""The roster's reads as plain SQL on any connection (`Reader`): SQLite or PostgreSQL.

The same statements serve a SQLAlchemy connection (the full path, after a catch-up) and a bare
driver connection (the fast path of `projections.readmodel.direct`), so both answer alike by
construction. Statements are written with `:name` parameters, as sqlite3 takes them; for
PostgreSQL's drivers they are rewritten once to `%(name)s`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import orjson

from projections.readmodel.plain import Reader, day_or_none, moment_text

if TYPE_CHECKING:
    from sqlalchemy import Connection

PLACES = ("member", "substitute", "acting", "role")  # the kinds that name a person in a roster
COLUMNS = "term, region, kind, seat, person_id, role, valid_from, valid_to, data"
VALID_ON = "valid_from <= :day AND (valid_to IS NULL OR valid_to > :day)"
CURRENT = "recorded_to IS NULL"
KNOWN_AT = "recorded_from <= :moment AND (recorded_to IS NULL OR recorded_to > :moment)"


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


def terms_in_force(conn: Connection | Reader, on: date, moment: datetime,
                   region: str | None = None) -> list[Row]:
    """The terms' own rows valid on `on` as known at `moment` (a partial index serves them:
    `kind = 'term'` is said literally for the planner). A moment not in the past means
    everything recorded so far: the current versions."""
    known = _known(moment)
    where = f"kind = 'term' AND {VALID_ON} AND {known}" + (
        " AND region = :region" if region is not None else "")
    found = Reader.of(conn).rows(
        f"SELECT {COLUMNS} FROM kkr_intervals WHERE {where} ORDER BY valid_from, id",
        {"day": on.isoformat(), "moment": moment_text(moment), "region": region})
    return _rows(found)


def person_rows(conn: Connection | Reader, person_id: str, moment: datetime) -> list[Row]:
    """Every row naming `person_id` as known at `moment`, by valid date."""
    known = _known(moment)
    found = Reader.of(conn).rows(
        f"SELECT {COLUMNS} FROM kkr_intervals WHERE person_id = :person AND {known} "
        "ORDER BY valid_from, id", {"person": person_id, "moment": moment_text(moment)})
    return _rows(found)


def people(conn: Connection | Reader, moment: datetime) -> dict[str, str]:
    """person_id -> the latest name, of everyone the ledger names as known at `moment`."""
    known = _known(moment)
    found = Reader.of(conn).rows(
        f"SELECT person_id, data FROM kkr_intervals WHERE kind = 'person' AND {known} "
        "ORDER BY valid_from, id", {"moment": moment_text(moment)})
    return {pid: orjson.loads(data).get("name", pid) for pid, data in found}


def _known(moment: datetime) -> str:
    """Versions known at `moment`; a moment not in the past means the current versions."""
    return CURRENT if moment >= datetime.now(UTC) else KNOWN_AT


def _rows(found: Sequence[Any]) -> list[Row]:
    return [Row(t, r, k, s, p, o, date.fromisoformat(f), day_or_none(v), d)
            for t, r, k, s, p, o, f, v, d in found]


# A term's rows valid on :day as known at :moment, in two parts: the current versions recorded
# by then (a covering partial index: no table visit for a row not valid that day) and the
# versions closed since (few, unless the moment is long past). Person rows come only for the
# people holding a place or a role on the day: a term accumulates hundreds (ADR 0005).
_KNOWN = (f"SELECT id, kind, person_id FROM kkr_intervals WHERE term = :term AND {{recorded}} "
          f"AND recorded_from <= :moment AND {VALID_ON}")
ROSTER_SQL = (
    f"WITH known AS ({_KNOWN.format(recorded='recorded_to IS NULL')} UNION ALL "
    f"{_KNOWN.format(recorded='recorded_to > :moment')}) "
    "SELECT i.kind, i.seat, i.person_id, i.role, i.valid_from, i.valid_to, i.data "
    "FROM kkr_intervals AS i JOIN known ON i.id = known.id "
    "WHERE known.kind != 'person' OR known.person_id IN (SELECT known.person_id FROM known "
    f"WHERE known.kind IN ({', '.join(repr(kind) for kind in PLACES)})) "
    "ORDER BY i.valid_from, i.id")


def roster_rows(conn: Connection | Reader, term: str, on: date, moment: datetime) -> list[Row]:
    """What a roster of `term` on `on` shows, as known at `moment` (see `ROSTER_SQL`)."""
    region = term.split("/")[0]
    found = Reader.of(conn).rows(ROSTER_SQL, {"term": term, "day": on.isoformat(),
                                              "moment": moment_text(moment)})
    return [Row(term, region, k, s, p, r, date.fromisoformat(f), day_or_none(t), d)
            for k, s, p, r, f, t, d in found]


# A body's rows valid on :day as known at :moment: the bodies, their posts, the designations,
# deputies and vacancies, and the person rows of the people who hold a seat that day. Body
# streams are labelled `body:<slug>`; the range on `term` lets the index serve the read.
BODY_KINDS = ("body", "posts", "designated", "deputy", "vacancy")
_BODIES = ("SELECT id, term, kind, person_id FROM kkr_intervals WHERE term >= 'body:' "
           f"AND term < 'body;' AND {VALID_ON} AND {{known}}{{region}}")
BODIES_SQL = (
    f"WITH held AS ({_BODIES}) "
    f"SELECT {COLUMNS} FROM kkr_intervals WHERE id IN (SELECT id FROM held WHERE kind IN "
    f"({', '.join(repr(kind) for kind in BODY_KINDS)})) OR id IN (SELECT id FROM held "
    "WHERE kind = 'person' AND (term, person_id) IN (SELECT term, person_id FROM held WHERE "
    "kind IN ('designated', 'deputy'))) ORDER BY term, valid_from, id")


def body_rows(conn: Connection | Reader, on: date, moment: datetime,
              region: str | None = None) -> list[Row]:
    """The rows of every body (of `region`) valid on `on` as known at `moment`."""
    sql = BODIES_SQL.format(known=_known(moment),
                            region="" if region is None else " AND region = :region")
    found = Reader.of(conn).rows(sql, {"day": on.isoformat(), "moment": moment_text(moment),
                                       "region": region})
    return _rows(found)


def body_labels(conn: Connection | Reader, moment: datetime, regions: set[str]) -> list[str]:
    """The stream labels of every body of `regions` known at `moment`, by label."""
    found = Reader.of(conn).rows(
        f"SELECT DISTINCT term, region FROM kkr_intervals WHERE kind = 'body' AND "
        f"{_known(moment)}", {"moment": moment_text(moment)})
    return sorted(term for term, region in found if region in regions)


def off_council(conn: Connection | Reader, moment: datetime) -> dict[str, list[Any]]:
    """person_id -> the spans `[from, to)` they were off their council, as known at `moment`."""
    found = Reader.of(conn).rows(
        f"SELECT person_id, valid_from, valid_to FROM kkr_intervals WHERE kind = 'council_end' "
        f"AND {_known(moment)}", {"moment": moment_text(moment)})
    spans: dict[str, list[Any]] = {}
    for person_id, start, end in found:
        spans.setdefault(person_id, []).append((date.fromisoformat(start), day_or_none(end)))
    return spans
