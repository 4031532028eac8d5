"""Row versions of the interval table: what one event changes, and how the rows are written.

Each event, in recording order, turns its term's timeline into a new one; the intervals that
changed get a new row version stamped with the event's recorded time, and the versions they
replace are closed at that time. So the rows known at T are exactly the fold of the events
recorded by T. The catch-up and the rebuild both project events through `project_event`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Connection, and_, bindparam, insert, update

from ledger.aggregate import FactChanges
from ledger.events import Fact
from ledger.fold.book import Interval, IntervalBook, IntervalKey, changed_between
from ledger.fold.streams import fold_stream, label_of, region_of
from projections.readmodel.driver import DriverStatement, driver_statement, run_many
from projections.readmodel.plain import moment_text
from projections.readmodel.store import day_text
from projections.readmodel.tables import intervals


@dataclass
class StreamProjection:
    """What a projector keeps of one stream between events: the facts, the fold, the rows.
    `term` is the stream's label (a term id, `body:<slug>`, `council`), as the rows say it."""

    term: str
    region: str
    facts: list[Fact] = field(default_factory=list)
    builder: IntervalBook | None = None
    persisted: set[IntervalKey] = field(default_factory=set)

    @classmethod
    def starting(cls, first: Fact, facts: list[Fact] | None = None) -> StreamProjection:
        """The projection of the stream whose first fact is `first`."""
        return cls(label_of(first), region_of(first), facts or [])


class RowWriter:
    """Collects row versions; closes earlier versions (of rows already written) first."""

    def __init__(self) -> None:
        self.pending: dict[tuple[str, IntervalKey], dict[str, Any]] = {}
        self.inserts: list[dict[str, Any]] = []
        self.closes: list[dict[str, Any]] = []

    def close(self, term: str, key: IntervalKey, moment: str) -> None:
        row = self.pending.pop((term, key), None)
        if row is not None:
            row["recorded_to"] = moment
            return
        kind, seat, person_id, role, valid_from = key
        self.closes.append({"t": term, "k": kind, "s": seat, "p": person_id, "r": role,
                            "f": day_text(valid_from), "moment": moment})

    def insert(self, term: str, region: str, key: IntervalKey, interval: Interval,
               moment: str) -> None:
        self.insert_encoded(term, region, key, last_day_text(interval),
                            encode_data(interval.data), moment)

    def insert_encoded(self, term: str, region: str, key: IntervalKey, valid_to: str | None,
                       data: str, moment: str) -> None:
        kind, seat, person_id, role, valid_from = key
        row = {"term": term, "region": region, "kind": kind, "seat": seat,
               "person_id": person_id, "role": role, "valid_from": day_text(valid_from),
               "valid_to": valid_to, "data": data, "recorded_from": moment, "recorded_to": None}
        self.pending[(term, key)] = row
        self.inserts.append(row)

    def insert_params(self, conn: Connection) -> list[Any]:
        """The rows to insert as the driver takes them (positional where it wants that)."""
        if not self.inserts:
            return []
        statement = insert_statement(conn)
        return [statement.params(row) for row in self.inserts]

    def flush(self, conn: Connection) -> None:
        """Closes first (they target rows of earlier batches), then inserts; executemany
        through the driver, compiled once per dialect: thousands of rows per batch."""
        if self.closes:
            run_many(conn, CLOSE_ROW, self.closes, CLOSE_KEYS)
        if self.inserts:
            run_many(conn, INSERT_ROW, self.inserts, ROW_COLUMNS)
        self.__init__()  # type: ignore[misc]


_c = intervals.c
CLOSE_ROW = (
    update(intervals)
    .where(and_(_c.term == bindparam("t"), _c.kind == bindparam("k"), _c.seat == bindparam("s"),
                _c.person_id == bindparam("p"), _c.role == bindparam("r"),
                _c.valid_from == bindparam("f"), _c.recorded_to.is_(None)))
    .values(recorded_to=bindparam("moment"))
)
CLOSE_KEYS = ("t", "k", "s", "p", "r", "f", "moment")
INSERT_ROW = insert(intervals)
# The columns a row version sets (the keys of RowWriter.insert's rows).
ROW_COLUMNS = ("term", "region", "kind", "seat", "person_id", "role", "valid_from", "valid_to",
               "data", "recorded_from", "recorded_to")


def insert_statement(conn: Connection) -> DriverStatement:
    return driver_statement(conn.dialect, INSERT_ROW, list(ROW_COLUMNS))
def last_day_text(interval: Interval) -> str | None:
    return None if interval.valid_to is None else day_text(interval.valid_to)


def encode_data(data: dict[str, Any]) -> str:
    """An interval's data as stored: compact JSON with sorted keys (dates as ISO text)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS, default=str).decode()


def project_event(state: StreamProjection, event: Fact, writer: RowWriter) -> None:
    """Apply the next event of the term (in recording order) and write what it changed."""
    previous = state.builder
    state.facts.append(event)
    if previous is not None and previous.accepts_in_order(event):
        previous.apply(event)
        builder, changed = previous, previous.drain_changes()
    else:
        builder = fold_stream(state.term, state.facts)
        builder.drain_changes()
        changed = changed_between(previous, builder)
    state.builder = builder
    # The rows are encoded at once, so the live intervals serve (no copies as in a snapshot).
    now = {key: builder.by_key.get(key) for key in changed}
    write_changes(state, now, moment_text(event.timestamp), writer)


def write_changes(state: StreamProjection, changes: dict[IntervalKey, Interval | None],
                  moment: str, writer: RowWriter) -> None:
    """A new row version for every changed interval; the version it replaces is closed."""
    region = state.region
    for key, interval in changes.items():
        if key in state.persisted:
            writer.close(state.term, key, moment)
            state.persisted.discard(key)
        if interval is not None:
            writer.insert(state.term, region, key, interval, moment)
            state.persisted.add(key)


def packed_changes(changes: FactChanges) -> tuple[Any, ...]:
    """What `write_changes` will write for a fact recorded in this process, encoded now as
    plain values (`ledger.store.prepared` keeps them on disk until the catch-up reaches the
    fact): the stream's label and region, the recorded moment, and per changed interval its
    key (the first day as an ordinal), whether an earlier version is closed, and the new
    version's last day and data (None when the interval was removed)."""
    versions = []
    for key, interval in changes.intervals.items():
        kind, seat, person_id, role, valid_from = key
        row = None if interval is None else (last_day_text(interval), encode_data(interval.data))
        versions.append((kind, seat, person_id, role, valid_from.toordinal(),
                         key not in changes.new, row))
    return changes.term, changes.region, moment_text(changes.recorded), tuple(versions)


def write_packed(packed: tuple[Any, ...], writer: RowWriter) -> None:
    """The row versions of `packed_changes`, as `write_changes` would have written them."""
    term, region, moment, versions = packed
    for kind, seat, person_id, role, valid_from, closes, row in versions:
        key = (kind, seat, person_id, role, date.fromordinal(valid_from))
        if closes:
            writer.close(term, key, moment)
        if row is not None:
            writer.insert_encoded(term, region, key, row[0], row[1], moment)
