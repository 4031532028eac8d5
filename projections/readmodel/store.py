"""The database behind the projections: the ledger's own engine, tables created on first use."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from ledger.store.application import Ledger
from ledger.store.failures import Failure, failure_of
from projections.readmodel.tables import OBSOLETE_INDEXES, intervals, metadata


def engine_of(ledger: Ledger) -> Engine:
    engine: Engine = ledger.storage.engine
    return engine


def create_tables(ledger: Ledger) -> None:
    """The tables and indexes that are missing; indexes an earlier version made and a newer
    one replaced are dropped (nothing is written when all is in place). A role that may only
    read uses the tables as it finds them, until a writer brings their indexes up to date."""
    engine = engine_of(ledger)
    try:
        ledger.storage.create_tables(list(metadata.sorted_tables))
        present = {index["name"] for index in inspect(engine).get_indexes(intervals.name)}
        obsolete = [name for name in OBSOLETE_INDEXES if name in present]
        if obsolete:
            with engine.begin() as conn:
                for name in obsolete:
                    conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    except DBAPIError as error:
        if not (_not_allowed(error) and inspect(engine).has_table(intervals.name)):
            raise


def _not_allowed(error: DBAPIError) -> bool:
    """The database refused a change of its schema to this role (e.g. "must be owner of
    table"; a read-only SQLite file)."""
    return failure_of(error) is Failure.READ_ONLY


@lru_cache(maxsize=65_536)  # a projection writes the same few thousand days again and again
def day_text(day: date) -> str:
    return day.isoformat()
