"""The database behind the projections: the ledger's own engine, tables created on first use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Select, inspect, text
from sqlalchemy.exc import DBAPIError

from ledger.application import Ledger
from ledger.recorder import create_tables_concurrently
from projections.tables import OBSOLETE_INDEXES, intervals, metadata


def engine_of(ledger: Ledger) -> Engine:
    datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
    engine: Engine = datastore.engine
    return engine


def create_tables(ledger: Ledger) -> None:
    """The tables and indexes that are missing; indexes an earlier version made and a newer
    one replaced are dropped (nothing is written when all is in place). A role that may only
    read uses the tables as it finds them, until a writer brings their indexes up to date."""
    engine = engine_of(ledger)
    try:
        create_tables_concurrently(engine, list(metadata.sorted_tables))
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
    """The database refused a change of its schema to this role (PostgreSQL: SQLSTATE
    42501, e.g. "must be owner of table"; SQLite: a read-only file)."""
    state = getattr(error.orig, "sqlstate", None)
    return state == "42501" or "readonly database" in str(error.orig).lower()


def naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def moment_text(moment: datetime) -> str:
    """Recorded time as stored: naive UTC, fixed width, so text order is time order."""
    return naive_utc(moment).isoformat(timespec="microseconds")


@lru_cache(maxsize=65_536)  # a projection writes the same few thousand days again and again
def day_text(day: date) -> str:
    return day.isoformat()


def day_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


class DriverStatement:
    """A fixed statement compiled for one dialect: its SQL, the order of its positional
    parameters (None: named), and the constants the statement itself binds."""

    def __init__(self, sql: str, order: tuple[str, ...] | None,
                 constants: dict[str, Any]) -> None:
        self.sql, self.order, self.constants = sql, order, constants
        # Positional values in order: itemgetter beats a generator severalfold.
        self._pick = itemgetter(*order) if order else None

    def params(self, values: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        given = {**self.constants, **values} if self.constants else values
        if self._pick is None or self.order is None:
            return given
        picked = self._pick(given)
        return picked if len(self.order) > 1 else (picked,)


_compiled: dict[tuple[str, int, tuple[str, ...]], DriverStatement] = {}


def driver_statement(dialect: Dialect, statement: Any,
                     column_keys: list[str] | None = None) -> DriverStatement:
    """Compiled once per dialect: building and compiling a statement for every execution
    would cost as much as running it (a roster asks one query many times, a catch-up
    writes thousands of rows). Values run through the driver as they are: text columns
    need no conversion."""
    key = (dialect.name, id(statement), tuple(column_keys or ()))
    if key not in _compiled:
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        constants = {name: value for name, value in compiled.params.items()
                     if name not in (column_keys or ())}
        _compiled[key] = DriverStatement(str(compiled), order, constants)
    return _compiled[key]


def driver_rows(conn: Connection, query: Select[Any], values: dict[str, Any]) -> list[Any]:
    """The rows of a fixed query, run through the driver."""
    statement = driver_statement(conn.dialect, query)
    return list(conn.exec_driver_sql(statement.sql, statement.params(values)).all())


def run_many(conn: Connection, statement: Any, rows: list[dict[str, Any]],
             keys: tuple[str, ...]) -> None:
    """executemany of a fixed statement whose rows give values for `keys`."""
    compiled = driver_statement(conn.dialect, statement, list(keys))
    conn.exec_driver_sql(compiled.sql, [compiled.params(row) for row in rows])
