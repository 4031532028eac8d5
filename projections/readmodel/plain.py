"""Plain SQL on any DB-API connection, no SQLAlchemy needed: a `Reader`, whether the projection
is current, and the text forms of times the tables store."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

PROJECTION_NAME = "intervals"  # the tracking row of the interval projection
EVENTS_TABLE = "kkr_events"  # the ledger's event store: `<Ledger.name>_events`


class Reader:
    """A connection seen as `rows(sql, values)`; `run` executes SQL in the driver's style."""

    def __init__(self, run: Callable[[str, dict[str, Any]], Sequence[Any]], dialect: str) -> None:
        self.run, self.dialect = run, dialect

    @classmethod
    def of(cls, conn: Connection | Reader) -> Reader:
        """A SQLAlchemy connection's reader (its statements go straight to the driver)."""
        if isinstance(conn, Reader):
            return conn
        return cls(lambda sql, values: conn.exec_driver_sql(sql, values).all(),
                   conn.dialect.name)

    def rows(self, sql: str, values: dict[str, Any]) -> Sequence[Any]:
        return self.run(sql if self.dialect == "sqlite" else pyformat(sql), values)


@cache
def pyformat(sql: str) -> str:
    """`:name` parameters as `%(name)s`, PostgreSQL drivers' style."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


def is_current(reader: Reader) -> bool:
    """Whether the projection has every stored event (its position is the store's last)."""
    found = reader.rows(f"SELECT (SELECT position FROM kkr_projection_tracking WHERE name = "
                        f"'{PROJECTION_NAME}'), (SELECT max(id) FROM {EVENTS_TABLE})", {})
    position, last = found[0]
    return (position or 0) == (last or 0)


def moment_text(moment: datetime) -> str:
    """Recorded time as stored: naive UTC, fixed width, so text order is time order."""
    naive = moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
    return naive.isoformat(timespec="microseconds")


def day_or_none(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
