"""The event recorder: eventsourcing-sqlalchemy's, with bulk inserts and plain reads.

The stock recorder adds one ORM object per event and flushes them one by one to learn their
notification ids; ours inserts a batch with one executemany (the ids are not needed) and
reads notifications without building ORM objects. Locking, transactions, error mapping and
the table are the library's own.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder

from ledger.store.failures import Failure, failure_of

WAL_ATTEMPTS, WAL_PAUSE = 20, 0.02  # up to ≈ 4 s in all


class BulkApplicationRecorder(SQLAlchemyApplicationRecorder):
    """The ledger's storage seam: its engine, its events table and table creation, typed
    once here so that no other module reaches into the storage library."""

    @property
    def engine(self) -> Any:
        """The SQLAlchemy engine (the projections' tables live in the same database)."""
        return self.datastore.engine

    @property
    def events_table(self) -> Any:
        """The events table, as SQLAlchemy Core sees it."""
        return self.events_record_cls.__table__

    def create_tables(self, tables: Sequence[Any]) -> None:
        """Create other tables (the projections') beside the events, as first users race."""
        create_tables_concurrently(self.engine, tables)

    def lock_region(self, region: str) -> None:
        """Serialise, until the open transaction ends, the writers that read across the
        streams of one region (a constitution reads its neighbours' terms, B1.3): PostgreSQL
        takes an advisory lock of the region; SQLite takes its one write lock now, not at the
        first insert, so what is read next is what the last writer committed."""
        with self.transaction(commit=True) as session:
            conn = session.connection()
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)",
                                     {"key": region_key(region)})
            else:
                conn.exec_driver_sql(f"UPDATE {self.events_table_name} SET id = id WHERE 0")

    def streams_begun_by(self, topic: str) -> list[Any]:
        """The ids of the streams whose first event has `topic` (e.g. every body), as this
        transaction sees them: a scan of the events table, for rare commands."""
        table = self.events_table
        query = (table.select().with_only_columns(table.c.originator_id)
                 .where(table.c.originator_version == 1, table.c.topic == topic))
        with self.transaction(commit=True) as session:
            return [row[0] for row in session.execute(query).all()]

    def bound_lock_waits(self, seconds: int) -> None:
        """Until the open transaction ends, give up waiting for a lock after `seconds`
        (PostgreSQL: a `lock_not_available` error, which the writer retries; SQLite's driver
        waits as long as its connection's timeout, 5 s, already)."""
        with self.transaction(commit=True) as session:
            conn = session.connection()
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(seconds)}s'")

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def create_table(self) -> None:
        """The events table and its unique index (without which concurrent writers could store
        two events with one version), in WAL mode on SQLite; see `create_tables_concurrently`."""
        switch_to_wal_concurrently(self.datastore)
        self.create_tables(self.tables)

    def _insert_stored_events(self, session: Any, stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> Sequence[int]:
        """Insert the batch; no notification ids are returned (the application needs none)."""
        if not stored_events:
            return []
        self._lock_table(session)
        table = self.events_record_cls.__table__
        session.execute(table.insert(), [
            {"originator_id": e.originator_id, "originator_version": e.originator_version,
             "topic": e.topic, "state": e.state} for e in stored_events
        ])
        self._notify_channel(session)
        return []

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *,
                             inclusive_of_start: bool = True) -> list[Notification]:
        table = self.events_record_cls.__table__
        query = table.select()
        if start is not None:
            query = query.where(table.c.id >= start if inclusive_of_start else table.c.id > start)
        if stop is not None:
            query = query.where(table.c.id <= stop)
        if topics:
            query = query.where(table.c.topic.in_(topics))
        with self.transaction(commit=False) as session:
            rows = session.execute(query.order_by(table.c.id).limit(limit)).all()
        return [Notification(id=r.id, originator_id=r.originator_id,
                             originator_version=r.originator_version, topic=r.topic,
                             state=bytes(r.state)) for r in rows]


def switch_to_wal_concurrently(datastore: Any) -> None:
    """Put a new SQLite file in write-ahead-log mode before anything else is done with it.

    The storage module switches at its first transaction. Switching needs the file to
    itself, and SQLite refuses it at once ("database is locked", no busy wait) while another
    first user of the same new file is creating its tables; the module then gave up with a
    traceback. Here the switch is tried again after a short pause, a bounded number of
    times. Other databases, a file already in WAL mode, and a file opened read-only (it is
    read in the mode its writer left it in), are left as they are.
    """
    for attempt in range(1, WAL_ATTEMPTS + 1):
        try:
            datastore.init_sqlite_wal_mode()
            return
        except Exception as error:  # the driver's error class
            found = failure_of(error)
            if found is Failure.READ_ONLY:
                return
            if attempt == WAL_ATTEMPTS or found is not Failure.BUSY:
                raise
            time.sleep(WAL_PAUSE * attempt)


def region_key(region: str) -> int:
    """A stable 64-bit key of a region for PostgreSQL's advisory locks."""
    digest = hashlib.sha256(f"kkr:region:{region}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def create_tables_concurrently(engine: Any, tables: Sequence[Any]) -> None:
    """Create tables and their indexes unless they exist, tolerating a concurrent creator.

    Two processes opening a new database at once both find no table, and the slower CREATE
    fails; looking again then finds what the other made. Indexes are checked on their own:
    on SQLite they are separate statements, and a unique index must never be missing.
    """
    # Each failed CREATE means another process made that object: a try per object suffices.
    attempts = 1 + sum(1 + len(table.indexes) for table in tables)
    for attempt in range(1, attempts + 1):
        try:
            for table in tables:
                table.create(engine, checkfirst=True)
                for index in table.indexes:
                    index.create(engine, checkfirst=True)
            return
        except Exception as error:  # the driver's error class differs per database
            if attempt == attempts or failure_of(error) is not Failure.EXISTS:
                raise
