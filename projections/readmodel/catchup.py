"""Pull-based catch-up: fold new events per term and write interval versions with the position.

Rows (`projections.readmodel.rows`) and the tracking position are written in one transaction
per batch of events, so the table always matches the position it records.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from ledger.errors import DamagedEvent, LedgerError, StoreReadOnly
from ledger.events import Fact
from ledger.fold.streams import fold_stream
from ledger.store.application import Ledger
from ledger.store.collection import bulk_allocations
from ledger.store.failures import Failure, failure_of, first_line
from ledger.store.prepared import PreparedChanges
from projections.readmodel.plain import PROJECTION_NAME
from projections.readmodel.rebuild import rebuild_projection
from projections.readmodel.rows import (
    RowWriter,
    StreamProjection,
    project_event,
    write_packed,
)
from projections.readmodel.store import create_tables, engine_of
from projections.readmodel.tables import tracking

READER_LOCK_WAIT = "5s"  # as long as SQLite's driver waits for a lock
BATCH_SIZE = 1000
TERMS_KEPT = 64


class Projector:
    """Keeps the interval table up to date with the ledger's events."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.engine = engine_of(ledger)
        # The terms projected lately, least recent first: a long history stays within memory
        # (an evicted term is folded again from its stream when its next event comes).
        self.terms: OrderedDict[UUID, StreamProjection] = OrderedDict()
        self.left_at: int | None = None  # the position this projector's term states match
        create_tables(ledger)

    def position(self) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(tracking.c.position).where(tracking.c.name == PROJECTION_NAME)
            ).scalar()
        return int(found or 0)

    def catch_up(self, prepared: PreparedChanges | None = None, lock_wait: str = "") -> int:
        """Project every event recorded since the last position; returns how many.

        `prepared`: what facts just recorded in this process changed (`Term.track_changes`);
        their rows are written from it, without decoding and folding those facts again.
        Pages of BATCH_SIZE events, each in a transaction of its own with its position, so
        memory does not grow with the number of events to project.
        `lock_wait`: on PostgreSQL, how long to wait for a lock another writer holds (e.g.
        "5s"; default: as long as it takes). SQLite's driver waits 5 seconds.
        """
        with bulk_allocations():
            return self._catch_up(prepared, lock_wait)

    def ensure_not_ahead(self) -> None:
        """Refuse a projection that has seen events the log no longer holds (the events
        restored from an older backup beside newer projection tables): new events would get
        ids it believes projected, and never reach it."""
        position, last = self.position(), self.ledger.recorder.max_notification_id() or 0
        if position > last:
            raise ProjectionAhead(f"the projection has seen events up to id {position}, but "
                                  f"the event log ends at id {last} (restored from an older "
                                  "backup?): run `kkr rebuild` before anything else")

    def ensure_writable(self) -> None:
        """Refuse before anything is stored when this role may not update the projection
        (it might store events it cannot project): an update of nothing, rolled back. Only a
        server has roles: a SQLite file that may not be written refuses the events too."""
        if self.engine.dialect.name == "sqlite":
            return
        with self.engine.connect() as conn:
            trial = conn.begin()
            try:
                conn.execute(update(tracking).where(tracking.c.name == PROJECTION_NAME)
                             .values(position=tracking.c.position))
            except DBAPIError as error:
                if failure_of(error) is Failure.READ_ONLY:
                    raise StoreReadOnly(f"the database refused: {first_line(error)} (this "
                                        "role may not update the projection, as a read-only "
                                        "role cannot write; nothing was stored)") from None
                raise
            finally:
                trial.rollback()

    def _catch_up(self, prepared: PreparedChanges | None, lock_wait: str) -> int:
        self.ensure_not_ahead()
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
                stream = _stream_of(n)
                done_before = None if prepared is None else prepared.get(
                    stream, n.originator_version)
                if done_before is not None:
                    self.terms.pop(stream, None)  # its state here is behind now
                    write_packed(done_before, writer)
                else:
                    self._project(self.ledger.to_event(n), writer)
            try:
                self._commit(writer, start, page[-1].id, lock_wait)
            except ConcurrentCatchUp:
                self.left_at = None  # another process projected these first: start from there
                continue
            self.left_at = page[-1].id
            done += len(page)

    def catch_up_for_reading(self) -> Lag:
        """Catch up before a read. Without write access, or while another process keeps the
        projection locked longer than a reader waits (a rebuild is one transaction), answer
        from the projection as last committed, and say how many events it lacks."""
        try:
            self.catch_up(lock_wait=READER_LOCK_WAIT)
            return Lag(0, "")
        except DamagedEvent as error:  # `kkr verify` names what was changed
            return self._lagging(error.message)
        except DBAPIError as error:
            reason = _why_not_written(error)
            if reason is None:
                raise
            return self._lagging(reason)

    def _lagging(self, reason: str) -> Lag:
        lacking = (self.ledger.recorder.max_notification_id() or 0) - self.position()
        return Lag(max(0, lacking), reason)

    def _commit(self, writer: RowWriter, start: int, end: int, lock_wait: str) -> None:
        with self.engine.begin() as conn:
            if lock_wait and conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{lock_wait}'")
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

    def _project(self, event: Fact, writer: RowWriter) -> None:
        project_event(self._state(event), event, writer)

    def _state(self, event: Fact) -> StreamProjection:
        state = self.terms.get(event.originator_id)
        if state is not None:
            self.terms.move_to_end(event.originator_id)
        if state is None:
            version = event.originator_version
            earlier = self.ledger.stream(event.originator_id, version - 1) if version > 1 else []
            state = StreamProjection.starting(earlier[0] if earlier else event, earlier)
            if earlier:
                state.builder = fold_stream(state.term, earlier)
                state.builder.drain_changes()
                state.persisted = set(state.builder.by_key)
            self.terms[event.originator_id] = state
            if len(self.terms) > TERMS_KEPT:
                self.terms.popitem(last=False)
        return state

    def rebuild(self, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> int:
        """Project every stored event again from zero (`projections.readmodel.rebuild`); `workers`:
        processes that fold terms (0: none; default: one per core for a large ledger);
        `progress(done, end)` hears how far it is."""
        self.terms.clear()
        self.left_at = None
        done, self.left_at = rebuild_projection(self.ledger, self.engine, PROJECTION_NAME,
                                                workers, progress)
        return done


@dataclass(frozen=True)
class Lag:
    """How many recorded events a reader's projection lacks, and why it was not caught up."""

    events: int
    reason: str


def _stream_of(notification: Notification) -> UUID:
    stream = notification.originator_id
    return stream if isinstance(stream, UUID) else UUID(str(stream))


def _why_not_written(error: DBAPIError) -> str | None:
    """Why a reader could not catch the projection up, when that is no failure of its own."""
    found = failure_of(error)
    if found is Failure.READ_ONLY:
        return "read-only access"
    if found is Failure.BUSY:
        return "another process is writing the projection (a rebuild?)"
    return None


class ProjectionAhead(LedgerError):
    """The projection is ahead of the event log (exit code 4): only a rebuild mends it."""

    exit_code = 4


class ConcurrentCatchUp(Exception):
    """Another process moved the position first; the caller may simply read."""
