"""Fixed statements compiled once per dialect and run through the driver.

Building and compiling a statement for every execution costs as much as running it: a roster
asks one query many times, a catch-up or a rebuild writes thousands of rows. Values go to
the driver as they are (the interval table's columns are text and need no conversion).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Select


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
    """`statement` compiled for `dialect` (for the given columns of an INSERT or UPDATE)."""
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
