"""The database behind the projections: the ledger's own engine, tables created on first use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, inspect, text

from ledger.application import Ledger
from ledger.recorder import create_tables_concurrently
from projections.tables import OBSOLETE_INDEXES, intervals, metadata


def engine_of(ledger: Ledger) -> Engine:
    datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
    engine: Engine = datastore.engine
    return engine


def create_tables(ledger: Ledger) -> None:
    """The tables and indexes that are missing; indexes an earlier version made and a newer
    one replaced are dropped (nothing is written when all is in place)."""
    engine = engine_of(ledger)
    create_tables_concurrently(engine, list(metadata.sorted_tables))
    present = {index["name"] for index in inspect(engine).get_indexes(intervals.name)}
    obsolete = [name for name in OBSOLETE_INDEXES if name in present]
    if obsolete:
        with engine.begin() as conn:
            for name in obsolete:
                conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def moment_text(moment: datetime) -> str:
    """Recorded time as stored: naive UTC, fixed width, so text order is time order."""
    return naive_utc(moment).isoformat(timespec="microseconds")


def day_text(day: date) -> str:
    return day.isoformat()


def day_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


_compiled: dict[tuple[str, int], tuple[str, tuple[str, ...] | None, dict[str, Any]]] = {}


def driver_rows(conn: Connection, query: Select[Any], values: dict[str, Any]) -> list[Any]:
    """The rows of a fixed query, compiled once per dialect and run through the driver: a
    roster asks one query many times, and building and compiling it would cost as much as
    running it. `values` are plain (text columns need no conversion)."""
    key = (conn.dialect.name, id(query))
    if key not in _compiled:
        compiled = query.compile(dialect=conn.dialect)
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        _compiled[key] = (str(compiled), order, dict(compiled.params))
    sql, order, constants = _compiled[key]
    given = {**constants, **values}
    params = tuple(given[name] for name in order) if order else given
    return list(conn.exec_driver_sql(sql, params).all())
