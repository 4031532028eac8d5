"""A rebuild of the interval table from zero: term by term, in one transaction.

Terms are independent, so each term's events are projected together, in recording order,
exactly as the catch-up projects them one by one: the same row versions with the same
recorded times. A term's later versions close its earlier ones before anything is written,
so a rebuild only inserts, and each term's rows land next to each other. Everything, the
deletion of the old rows included, is one transaction with the new tracking position: a
rebuild that is stopped leaves the projection as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine, delete, func, insert, select

from ledger.application import Ledger
from ledger.events import TermEvent
from projections.rows import RowWriter, TermProjection, project_event
from projections.tables import intervals, tracking

ROWS_PER_WRITE = 5000


def rebuild_projection(ledger: Ledger, engine: Engine, name: str) -> tuple[int, int]:
    """Delete every row and project every stored event again; (events, new position)."""
    events_table = ledger.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    done = 0
    with engine.begin() as conn:
        conn.execute(delete(intervals))
        conn.execute(delete(tracking))
        end = int(conn.execute(select(func.max(events_table.c.id))).scalar() or 0)
        writer = RowWriter()
        for stream in _streams(conn, events_table, end):
            state: TermProjection | None = None
            for event in _events(conn, ledger, events_table, stream, end):
                if state is None:
                    state = TermProjection(term=getattr(event, "term"))  # noqa: B009
                project_event(state, event, writer)
                done += 1
            if len(writer.inserts) >= ROWS_PER_WRITE:
                writer.flush(conn)
        writer.flush(conn)
        conn.execute(insert(tracking).values(name=name, position=end))
    return done, end


def _streams(conn: Connection, events: Any, end: int) -> list[Any]:
    """The streams (terms) with events up to `end`, in the order they began."""
    query = (select(events.c.originator_id)
             .where(events.c.originator_version == 1, events.c.id <= end)
             .order_by(events.c.id))
    return list(conn.execute(query).scalars())


def _events(conn: Connection, ledger: Ledger, events: Any, stream: Any,
            end: int) -> Iterator[TermEvent]:
    query = (select(events.c.id, events.c.originator_id, events.c.originator_version,
                    events.c.topic, events.c.state)
             .where(events.c.originator_id == stream, events.c.id <= end)
             .order_by(events.c.originator_version))
    for row in conn.execute(query):
        yield ledger.to_event(Notification(id=row.id, originator_id=row.originator_id,
                                           originator_version=row.originator_version,
                                           topic=row.topic, state=bytes(row.state)))
