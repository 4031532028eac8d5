"""A rebuild of the interval table from zero: term by term, in one transaction.

Terms are independent, so each term's events are projected together, in recording order,
exactly as the catch-up projects them one by one: the same row versions with the same
recorded times. A term's later versions close its earlier ones before anything is written,
so a rebuild only inserts, and each term's rows land next to each other. Everything, the
deletion of the old rows included, is one transaction with the new tracking position: a
rebuild that is stopped leaves the projection as it was.

A large ledger is folded in worker processes, one term per task, while this process writes
the rows in term order; a bounded number of terms (sixteen per worker) wait in memory.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from functools import cache
from multiprocessing import get_context
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine, Select, bindparam, delete, func, insert, select

from ledger.events import Fact
from ledger.store.application import Ledger
from ledger.store.collection import BULK_THRESHOLDS, bulk_allocations
from projections.readmodel.driver import driver_rows
from projections.readmodel.rows import (
    RowWriter,
    StreamProjection,
    insert_statement,
    project_event,
)
from projections.readmodel.store import engine_of
from projections.readmodel.tables import intervals, tracking

ROWS_PER_WRITE = 5000
PARALLEL_FROM_EVENTS = 50_000  # below this, starting worker processes costs more than it saves
TASKS_AHEAD = 16  # terms folded ahead of the writer, per worker (≈ 1 MB of rows each)

TermRows = tuple[int, list[Any]]  # (events projected, the row versions' driver parameters)


def rebuild_projection(ledger: Ledger, engine: Engine, name: str,
                       workers: int | None = None,
                       progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Delete every row and project every stored event again; (events, new position).

    `workers`: processes that fold terms (0: fold here); by default one per core when the
    ledger is large and on a database other processes can open. `progress(done, end)`
    hears the events projected so far after each term, and the last position.
    """
    done = 0
    with bulk_allocations(), engine.begin() as conn, ExitStack() as pool_scope:
        events = _events_table(ledger)
        end = int(conn.execute(select(func.max(events.c.id))).scalar() or 0)
        streams = _streams(conn, events, end)
        if workers is None:
            workers = _default_workers(ledger, end)
        folded = (_in_workers(pool_scope, ledger.url, streams, end, workers) if workers > 0
                  else (term_rows(ledger, conn, s, end) for s in streams))
        # The old rows go while the workers start and fold the first terms.
        conn.execute(delete(intervals))
        conn.execute(delete(tracking))
        pending: list[Any] = []
        for count, rows in folded:
            done += count
            if progress is not None:
                progress(done, end)
            pending.extend(rows)
            if len(pending) >= ROWS_PER_WRITE:
                _insert(conn, pending)
                pending = []
        _insert(conn, pending)
        conn.execute(insert(tracking).values(name=name, position=end))
    return done, end


def term_rows(ledger: Ledger, conn: Connection, stream: UUID, end: int) -> TermRows:
    """Every row version of one term's events up to position `end`, closed where replaced,
    as the driver's parameters (made here, in the worker that folded the term)."""
    writer, state, count = RowWriter(), None, 0
    for event in _events(conn, ledger, stream, end):
        if state is None:
            state = StreamProjection.starting(event)
        project_event(state, event, writer)
        count += 1
    return count, writer.insert_params(conn)


def _insert(conn: Connection, params: list[Any]) -> None:
    if params:
        conn.exec_driver_sql(insert_statement(conn).sql, params)


def _default_workers(ledger: Ledger, end: int) -> int:
    in_memory = ledger.url.startswith("sqlite") and ":memory:" in ledger.url
    if end < PARALLEL_FROM_EVENTS or in_memory:
        return 0
    return os.cpu_count() or 1


def _in_workers(scope: ExitStack, url: str, streams: list[UUID], end: int,
                workers: int) -> Iterator[TermRows]:
    """The rows of each term, in order, folded by `workers` processes a bounded way ahead.
    The first terms are handed out at once; the pool ends with `scope` (terms not yet
    folded then are cancelled)."""
    pool = scope.enter_context(ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_open_worker_ledger,
        initargs=(url,)))
    ahead = TASKS_AHEAD * workers
    queued = deque(pool.submit(_worker_term_rows, s, end) for s in streams[:ahead])
    scope.callback(lambda: [waiting.cancel() for waiting in queued])
    return _results(pool, queued, streams[ahead:], end)


def _results(pool: ProcessPoolExecutor, queued: deque[Future[TermRows]], later: list[UUID],
             end: int) -> Iterator[TermRows]:
    for stream in later:
        yield queued.popleft().result()
        queued.append(pool.submit(_worker_term_rows, stream, end))
    while queued:
        yield queued.popleft().result()


_worker_ledger: Ledger | None = None


def _open_worker_ledger(url: str) -> None:
    global _worker_ledger
    _worker_ledger = Ledger(url)
    gc.set_threshold(*BULK_THRESHOLDS)  # a worker does nothing but bulk work


def _worker_term_rows(stream: UUID, end: int) -> TermRows:
    assert _worker_ledger is not None
    with engine_of(_worker_ledger).connect() as conn:
        return term_rows(_worker_ledger, conn, stream, end)


def _events_table(ledger: Ledger) -> Any:
    return ledger.storage.events_table


def _streams(conn: Connection, events: Any, end: int) -> list[UUID]:
    """The streams (terms) with events up to `end`, in the order they began."""
    query = (select(events.c.originator_id)
             .where(events.c.originator_version == 1, events.c.id <= end)
             .order_by(events.c.id))
    return list(conn.execute(query).scalars())


def _events(conn: Connection, ledger: Ledger, stream: UUID, end: int) -> Iterator[Fact]:
    """The stream's events up to position `end`, in order, read through the driver."""
    events = _events_table(ledger)
    to_stored = events.c.originator_id.type.dialect_impl(conn.dialect).bind_processor(
        conn.dialect)
    rows = driver_rows(conn, _stream_query(events), {
        "stream": to_stored(stream) if to_stored else stream, "end": end})
    for position, version, topic, state in rows:
        yield ledger.to_event(Notification(id=position, originator_id=stream,
                                           originator_version=version, topic=topic,
                                           state=bytes(state)))


@cache
def _stream_query(events: Any) -> Select[Any]:
    c = events.c
    return (select(c.id, c.originator_version, c.topic, c.state)
            .where(c.originator_id == bindparam("stream"), c.id <= bindparam("end"))
            .order_by(c.originator_version))
