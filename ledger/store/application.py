"""The eventsourcing Application: persistence wiring, units of work, and reading streams."""

from __future__ import annotations

import random
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    Mapper,
    Notification,
)
from eventsourcing.utils import get_topic
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory

from ledger.aggregate import FactChanges, FoldedAggregate
from ledger.body import Body
from ledger.councillor import Councillor
from ledger.errors import NotFound, RuleViolation, WriteConflict
from ledger.events import Fact
from ledger.integrity import ChainVerifier, StoredRecord
from ledger.mandate_events import BodyRegistered
from ledger.mapper import JSONBytesTranscoder, PydanticMapper
from ledger.periods import next_period_year, period_years_before
from ledger.store.collection import bulk_allocations
from ledger.store.failures import Failure, failure_of
from ledger.store.prepared import Packed, PreparedChanges
from ledger.store.recorder import BulkApplicationRecorder
from ledger.term import Term
from ledger.values import ConstitutionPlace, Envelope, TermId, body_uuid, council_uuid

T = TypeVar("T")
WRITE_ATTEMPTS = 12
# How long one attempt waits for a lock another process holds: SQLite's driver waits 5 s
# for its write lock; PostgreSQL would wait for ever, so each write transaction says so.
# Together with the pauses, a held lock is waited for about a minute in all, then exit 3.
LOCK_WAIT_SECONDS = 5
# Pause before a retry: random in [0, base * 2**attempt), capped. Without it, writers that
# collided once collide again in lockstep and give up (four processes did in the tests).
RETRY_PAUSE_BASE, RETRY_PAUSE_MAX = 0.005, 0.25
LATER_PERIODS_SEARCHED = 5
# Terms a unit of work keeps loaded after a flush: a batch in date order goes term after
# term, and the five regions' previous terms are ended by the next constitutions.
TERMS_KEPT = 32


class Ledger(Application[UUID]):
    """All KKR terms in one event store: `<name>_events` in the database at `url`."""

    name = "kkr"

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            env={"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": url}
        )

    def close(self) -> None:
        """Release the database connections (the storage module keeps them otherwise)."""
        super().close()
        self.storage.dispose()

    @property
    def storage(self) -> BulkApplicationRecorder:
        """The storage seam: the engine, the events table, creating tables (the recorder)."""
        return cast(BulkApplicationRecorder, self.recorder)

    def construct_recorder(self) -> ApplicationRecorder:
        datastore = cast(SQLAlchemyFactory, self.factory).datastore
        recorder = BulkApplicationRecorder(datastore, events_table_name=f"{self.name}_events")
        recorder.create_table()
        return recorder

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper(transcoder=JSONBytesTranscoder())

    def execute(self, work: Callable[[UnitOfWork], T],
                pack: Callable[[FactChanges], Packed] | None = None) -> T:
        """Run `work` and store everything it recorded in one transaction, or nothing.

        The unit of work stores its facts in chunks as it goes (`UnitOfWork.flush`), inside
        the one transaction, which commits when `work` has returned: a failure anywhere, or
        a killed process, stores nothing. A concurrent writer that appended to the same
        stream first makes an insert fail; the work is then redone on fresh state, a bounded
        number of times. With `pack`, the unit of work keeps what each fact changed, packed
        by it, in `unit.prepared` (see `Term.track_changes`).
        """
        started, locked = time.monotonic(), False
        for attempt in range(WRITE_ATTEMPTS):
            unit = UnitOfWork(self, pack)
            try:
                with bulk_allocations(), self.transaction():
                    self.storage.bound_lock_waits(LOCK_WAIT_SECONDS)
                    result = work(unit)
                    unit.flush()
            except BaseException as error:
                unit.close()  # a refused batch lets go of its prepared changes at once
                if not _collided(error):
                    raise
                locked = not isinstance(error, IntegrityError)
                pause = min(RETRY_PAUSE_MAX, RETRY_PAUSE_BASE * 2**attempt)
                time.sleep(random.uniform(0, pause))
                continue
            return result
        waited = f"{WRITE_ATTEMPTS} tries in {time.monotonic() - started:.0f} s"
        if locked:
            raise WriteConflict(f"the database's write lock stayed held by another process "
                                f"({waited}); nothing was written: apply again when it is "
                                "free")
        raise WriteConflict(f"concurrent writers kept colliding ({waited}); nothing was "
                            "written: apply again")

    def transaction(self) -> AbstractContextManager[Any]:
        """The storage module's transaction: reads and inserts inside it share it."""
        recorder: BulkApplicationRecorder = self.recorder  # type: ignore[assignment]
        return recorder.transaction(commit=True)

    def find_term(self, term: TermId) -> Term | None:
        found = self.find_aggregate(term.uuid)
        return found if isinstance(found, Term) else None

    def find_aggregate(self, stream: UUID) -> FoldedAggregate | None:
        """The term, body or councillor whose stream is `stream`."""
        try:
            found: FoldedAggregate = self.repository.get(stream)
        except AggregateNotFoundError:
            return None
        return found

    def body_streams(self) -> list[UUID]:
        """Every registered body's stream, as the open transaction sees them."""
        topic = get_topic(BodyRegistered)
        return [UUID(str(s)) for s in self.storage.streams_begun_by(topic)]

    def stream(self, term_uuid: UUID, up_to: int | None = None) -> list[Fact]:
        """The term's events in recording order (up to version `up_to` when given)."""
        events = self.events.get(term_uuid, lte=up_to)
        return [e for e in events if isinstance(e, Fact)]

    def notifications(self, after: int, limit: int) -> list[Notification]:
        return list(self.recorder.select_notifications(after, limit, inclusive_of_start=False))

    def to_event(self, notification: Notification) -> Fact:
        event = self.mapper.to_domain_event(notification)
        assert isinstance(event, Fact)
        return event

    def stored_records(self, batch: int = 5000) -> Iterator[StoredRecord]:
        """Every stored row in storage order, untouched by the mapper (for verification)."""
        for n in self.iter_notifications(batch=batch):
            yield StoredRecord(n.id, UUID(str(n.originator_id)), n.originator_version, n.topic,
                               bytes(n.state))

    def verify(self, digest: dict[str, Any] | None = None) -> ChainVerifier:
        verifier = ChainVerifier(digest)
        for record in self.stored_records():
            verifier.check(record)
        verifier.finish()
        return verifier

    def iter_notifications(self, after: int = 0, batch: int = 1000) -> Iterator[Notification]:
        while True:
            page = self.notifications(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].id


class UnitOfWork:
    """The terms one command file touches; stored together (all or nothing).

    `flush` stores what has been recorded so far inside the open transaction and lets go of
    it: the events, their changes (on disk, `PreparedChanges`), and the terms used least
    lately beyond TERMS_KEPT (read again, with what this transaction stored, when needed).
    """

    def __init__(self, ledger: Ledger,
                 pack: Callable[[FactChanges], Packed] | None = None) -> None:
        self.ledger = ledger
        self.aggregates: OrderedDict[UUID, FoldedAggregate | None] = OrderedDict()
        self.regions_locked: set[str] = set()
        self.track = pack is not None
        self.prepared = PreparedChanges(pack or _not_tracked)

    def find(self, term: TermId) -> Term | None:
        found = self._found(term.uuid)
        return found if isinstance(found, Term) else None

    def find_body(self, body: str) -> Body | None:
        return self.find_body_by_stream(body_uuid(body))

    def find_body_by_stream(self, stream: UUID) -> Body | None:
        found = self._found(stream)
        return found if isinstance(found, Body) else None

    def body(self, body: str) -> Body:
        found = self.find_body(body)
        if found is None:
            raise NotFound(f"body {body} is not registered")
        return found

    def find_councillor(self, person_id: str) -> Councillor | None:
        found = self._found(council_uuid(person_id))
        return found if isinstance(found, Councillor) else None

    def _found(self, stream: UUID) -> FoldedAggregate | None:
        if stream in self.aggregates:
            self.aggregates.move_to_end(stream)
        else:
            self.keep(stream, self.ledger.find_aggregate(stream))
        return self.aggregates[stream]

    def keep(self, stream: UUID, aggregate: FoldedAggregate | None) -> None:
        """Hold `aggregate` (new, or loaded) in this unit of work until it is stored."""
        if aggregate is not None and self.track:
            aggregate.track_changes()
        self.aggregates[stream] = aggregate
        self.aggregates.move_to_end(stream)

    def term(self, term: TermId) -> Term:
        found = self.find(term)
        if found is None:
            raise NotFound(f"term {term} has not been constituted")
        return found

    def aggregate_of_event(self, event_id: str) -> FoldedAggregate:
        """The term or body whose stream holds `event_id` (`<stream uuid>:<version>`)."""
        stream, _, version = event_id.partition(":")
        try:
            stream_id = UUID(stream)
        except ValueError:
            raise NotFound(f"event {event_id!r} is not an event id (STREAM-UUID:VERSION)") from None
        found = self._found(stream_id)
        if found is None or not version.isdigit():
            raise NotFound(f"event {event_id} is not in the ledger")
        return found

    def constitute(
        self, term: TermId, envelope: Envelope, members: list[ConstitutionPlace], **details: Any
    ) -> Term:
        """B1.3: the new term starts; the previous term of the region ends that day."""
        self.lock(term.region)
        if self.find(term) is not None:
            raise RuleViolation("B1.3", f"{term} is already constituted")
        new = Term.constitute(term, envelope, members, **details)
        self.keep(term.uuid, new)
        previous = self._nearest(term, period_years_before(term.year))
        if previous is not None:
            previous.end(envelope, successor=term)
        later_years = [term.year]
        for _ in range(LATER_PERIODS_SEARCHED):
            later_years.append(next_period_year(later_years[-1]))
        following = self._nearest(term, later_years[1:])
        if following is not None and following.timeline.start is not None:
            new.end(envelope.model_copy(update={"effective": following.timeline.start}),
                    successor=following.term_id)
        return new

    def lock(self, region: str) -> None:
        """Take the region's lock (once a unit of work) and forget the streams found absent
        before it: another writer may have begun them meanwhile. A region's name, or another
        name for writers that read across other streams (`council`)."""
        if region in self.regions_locked:
            return
        self.ledger.storage.lock_region(region)
        self.regions_locked.add(region)
        for stream in [key for key, found in self.aggregates.items() if found is None]:
            del self.aggregates[stream]

    def _nearest(self, term: TermId, years: list[int]) -> Term | None:
        for year in years:
            found = self.find(TermId(region=term.region, year=year))
            if found is not None:
                return found
        return None

    def flush(self) -> None:
        """Store the pending events (the transaction stays open) and let go of them."""
        touched = [a for a in self.aggregates.values() if a is not None and a.pending_events]
        if self.track:
            self.prepared.add([c for t in touched for c in t.drain_tracked_changes()])
        if touched:
            self.ledger.save(*touched)
        while len(self.aggregates) > TERMS_KEPT:
            self.aggregates.popitem(last=False)

    def close(self) -> None:
        """Let go of the prepared changes (their file) when the work is given up."""
        self.prepared.close()


def _not_tracked(changes: FactChanges) -> Packed:
    raise AssertionError("changes are kept only when the unit of work was given `pack`")


def _collided(error: BaseException) -> bool:
    """Another writer got there first: a version it stored, or SQLite's write lock it held
    longer than the driver waits for it."""
    return isinstance(error, IntegrityError) or failure_of(error) is Failure.BUSY
