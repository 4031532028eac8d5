"""Pull-based catch-up: fold new events per term and write interval versions with the position.

Each event, in recording order, turns the term's timeline into a new one; the intervals that
changed get a new row version stamped with the event's recorded time, and the versions they
replace are closed at that time. So the rows known at T are exactly the fold of the events
recorded by T. Rows and the tracking position are written in one transaction per batch.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from ledger.application import Ledger
from ledger.events import TermEvent
from ledger.fold import fold
from ledger.term import FactChanges
from ledger.timeline import Interval, IntervalKey, TimelineBuilder, changed_between
from ledger.values import TermId
from projections.store import create_tables, day_text, engine_of, moment_text
from projections.tables import intervals, tracking

PROJECTION_NAME = "intervals"
BATCH_SIZE = 1000
TERMS_KEPT = 64


@dataclass
class TermProjection:
    """What the projector keeps of one term between events: the facts, the fold, the rows."""

    term: str
    facts: list[TermEvent] = field(default_factory=list)
    builder: TimelineBuilder | None = None
    persisted: set[IntervalKey] = field(default_factory=set)


class RowWriter:
    """Collects the row versions of one batch; closes earlier versions before inserting."""

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

    def insert(self, term: str, region: str, key: IntervalKey, values: dict[str, Any],
               moment: str) -> None:
        kind, seat, person_id, role, valid_from = key
        row = {"term": term, "region": region, "kind": kind, "seat": seat,
               "person_id": person_id, "role": role, "valid_from": day_text(valid_from),
               "valid_to": values["valid_to"], "data": values["data"],
               "recorded_from": moment, "recorded_to": None}
        self.pending[(term, key)] = row
        self.inserts.append(row)

    def flush(self, conn: Connection) -> None:
        """Closes first (they target rows of earlier batches), then inserts; executemany
        through the driver, compiled once per dialect: thousands of rows per batch."""
        if self.closes:
            run_many(conn, CLOSE_ROW, self.closes)
        if self.inserts:
            run_many(conn, INSERT_ROW, self.inserts)
        self.__init__()  # type: ignore[misc]


_c = intervals.c
CLOSE_ROW = (
    update(intervals)
    .where(and_(_c.term == bindparam("t"), _c.kind == bindparam("k"), _c.seat == bindparam("s"),
                _c.person_id == bindparam("p"), _c.role == bindparam("r"),
                _c.valid_from == bindparam("f"), _c.recorded_to.is_(None)))
    .values(recorded_to=bindparam("moment"))
)
INSERT_ROW = insert(intervals)
_compiled: dict[tuple[str, int], tuple[str, tuple[str, ...] | None]] = {}


def run_many(conn: Connection, statement: Any, rows: list[dict[str, Any]]) -> None:
    """executemany of `statement` with plain values (text columns need no conversion)."""
    key = (conn.dialect.name, id(statement))
    if key not in _compiled:
        compiled = statement.compile(dialect=conn.dialect, column_keys=list(rows[0]))
        order = tuple(compiled.positiontup) if compiled.positional else None
        _compiled[key] = (str(compiled), order)
    sql, order = _compiled[key]
    params = [tuple(row[name] for name in order) for row in rows] if order else rows
    conn.exec_driver_sql(sql, params)


# One encoder for every row: building a JSONEncoder per call costs more than encoding.
DATA_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)


def interval_values(interval: Interval) -> dict[str, Any]:
    return {"valid_to": interval.valid_to and day_text(interval.valid_to),
            "data": DATA_ENCODER.encode(interval.data)}


class Projector:
    """Keeps the interval table up to date with the ledger's events."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.engine = engine_of(ledger)
        # The terms projected lately, least recent first: a long history stays within memory
        # (an evicted term is folded again from its stream when its next event comes).
        self.terms: OrderedDict[UUID, TermProjection] = OrderedDict()
        self.left_at: int | None = None  # the position this projector's term states match
        create_tables(ledger)

    def position(self) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(tracking.c.position).where(tracking.c.name == PROJECTION_NAME)
            ).scalar()
        return int(found or 0)

    def catch_up(self, prepared: Sequence[FactChanges] = ()) -> int:
        """Project every event recorded since the last position; returns how many.

        `prepared`: what facts just recorded in this process changed (`Term.track_changes`);
        their rows are written from it, without decoding and folding those facts again.
        """
        ready = {c.fact.event_id: c for c in prepared}
        done = 0
        while True:
            start = self.position()
            if start != self.left_at:
                self.terms.clear()  # another process projected events meanwhile: reload terms
            page = self.ledger.notifications(start, BATCH_SIZE)
            if not page:
                return done
            writer = RowWriter()
            for n in page:
                done_before = ready.get(f"{n.originator_id}:{n.originator_version}")
                if done_before is not None:
                    self._write_prepared(done_before, writer)
                else:
                    self._project(self.ledger.to_event(n), writer)
            try:
                self._commit(writer, start, page[-1].id)
            except ConcurrentCatchUp:
                self.left_at = None  # another process projected these first: start from there
                continue
            self.left_at = page[-1].id
            done += len(page)

    def catch_up_for_reading(self) -> int:
        """Catch up before a read; with read-only access, answer from the projection as it is.

        Returns how many recorded events the projection lacks (0 when it is current).
        """
        try:
            self.catch_up()
            return 0
        except DBAPIError as error:
            if not _is_read_only(error):
                raise
        return max(0, (self.ledger.recorder.max_notification_id() or 0) - self.position())

    def _commit(self, writer: RowWriter, start: int, end: int) -> None:
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(tracking)
                .where(tracking.c.name == PROJECTION_NAME, tracking.c.position == start)
                .values(position=end)
            ).rowcount
            if moved == 0:
                if start != 0 or self.position() != 0:
                    raise ConcurrentCatchUp()
                try:
                    conn.execute(insert(tracking).values(name=PROJECTION_NAME, position=end))
                except IntegrityError:
                    raise ConcurrentCatchUp() from None  # another first catch-up won the race
            writer.flush(conn)

    def _project(self, event: TermEvent, writer: RowWriter) -> None:
        state = self._state(event)
        previous = state.builder
        state.facts.append(event)
        if previous is not None and previous.accepts_in_order(event):
            previous.apply(event)
            builder, changed = previous, previous.drain_changes()
        else:
            builder = fold(state.term, state.facts)
            builder.drain_changes()
            changed = changed_between(previous, builder)
        state.builder = builder
        self._write(state, builder.snapshot(changed), moment_text(event.timestamp), writer)

    def _write_prepared(self, changes: FactChanges, writer: RowWriter) -> None:
        """Rows from what the aggregate computed when it recorded the fact in this process."""
        self.terms.pop(changes.fact.originator_id, None)  # its state here is behind now
        state = TermProjection(term=changes.term, persisted=set(changes.intervals) - changes.new)
        self._write(state, changes.intervals, moment_text(changes.fact.timestamp), writer)

    def _write(self, state: TermProjection, changes: dict[IntervalKey, Interval | None],
               moment: str, writer: RowWriter) -> None:
        """A new row version for every changed interval; the version it replaces is closed."""
        region = TermId.parse(state.term).region
        for key, interval in changes.items():
            if key in state.persisted:
                writer.close(state.term, key, moment)
                state.persisted.discard(key)
            if interval is not None:
                writer.insert(state.term, region, key, interval_values(interval), moment)
                state.persisted.add(key)

    def _state(self, event: TermEvent) -> TermProjection:
        state = self.terms.get(event.originator_id)
        if state is not None:
            self.terms.move_to_end(event.originator_id)
        if state is None:
            version = event.originator_version
            earlier = self.ledger.stream(event.originator_id, version - 1) if version > 1 else []
            term = _term_of(event, earlier)
            state = TermProjection(term=term, facts=earlier)
            if earlier:
                state.builder = fold(term, earlier)
                state.builder.drain_changes()
                state.persisted = set(state.builder.by_key)
            self.terms[event.originator_id] = state
            if len(self.terms) > TERMS_KEPT:
                self.terms.popitem(last=False)
        return state

    def rebuild(self) -> int:
        """Drop every row and the position, then project all events from the start."""
        with self.engine.begin() as conn:
            conn.execute(delete(intervals))
            conn.execute(delete(tracking))
        self.terms.clear()
        self.left_at = None
        return self.catch_up()


def _is_read_only(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "permission denied" in text or "readonly database" in text or "read-only" in text


class ConcurrentCatchUp(Exception):
    """Another process moved the position first; the caller may simply read."""


def _term_of(event: TermEvent, earlier: list[TermEvent]) -> str:
    first = earlier[0] if earlier else event
    term: str = getattr(first, "term")  # noqa: B009
    return term
