"""Database failures, recognised once, by the driver's own error type and code: the store
cannot be reached, refuses this role a change, is held by another writer, or has no space
left. Every layer asks here instead of reading messages."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from enum import Enum

from ledger.errors import LedgerError, StoreReadOnly, StoreUnavailable, WriteConflict


class Failure(Enum):
    UNAVAILABLE = "unavailable"  # no connection, no such file, not a database
    READ_ONLY = "read_only"  # this role or file may not be changed
    BUSY = "busy"  # another writer holds a lock, or a transaction lost a race
    EXISTS = "exists"  # a CREATE met the object another process created just before
    FULL = "full"  # no space left on the disk that holds the database


SQLITE_CODES = {  # sqlite3.Error.sqlite_errorname, by its primary code
    "SQLITE_CANTOPEN": Failure.UNAVAILABLE, "SQLITE_NOTADB": Failure.UNAVAILABLE,
    "SQLITE_READONLY": Failure.READ_ONLY, "SQLITE_PERM": Failure.READ_ONLY,
    "SQLITE_AUTH": Failure.READ_ONLY, "SQLITE_BUSY": Failure.BUSY, "SQLITE_LOCKED": Failure.BUSY,
    "SQLITE_FULL": Failure.FULL,
}
POSTGRES_STATES = {  # SQLSTATE, or its class of two characters
    "08": Failure.UNAVAILABLE, "57P01": Failure.UNAVAILABLE, "57P03": Failure.UNAVAILABLE,
    "42501": Failure.READ_ONLY, "25006": Failure.READ_ONLY,
    "40001": Failure.BUSY, "40P01": Failure.BUSY, "55P03": Failure.BUSY,
    "42P07": Failure.EXISTS, "42710": Failure.EXISTS,
    "23505": Failure.EXISTS,  # two CREATE TABLEs at once collide in the catalogue (pg_type)
    "53100": Failure.FULL,  # disk_full
}


def failure_of(error: BaseException) -> Failure | None:
    """What kind of database failure `error` is, looking through what it wraps; None when
    it is none of these (then it is a bug, or a failure the caller knows)."""
    for cause in _causes(error):
        found = _sqlite_failure(cause) or _postgres_failure(cause)
        if found is not None:
            return found
    return None


def as_ledger_error(error: BaseException) -> LedgerError | None:
    """The user's error for a database failure: one line, its exit code."""
    found = failure_of(error)
    first = first_line(error)
    if found is Failure.UNAVAILABLE:
        return StoreUnavailable(f"database not reachable: {first}")
    if found is Failure.READ_ONLY:
        return StoreReadOnly(f"the database refused: {first} (a read-only role cannot write, "
                             "and a read-only file cannot be written)")
    if found is Failure.BUSY:
        return WriteConflict(f"the database is held by another writer: {first}")
    if found is Failure.FULL:
        return StoreUnavailable(f"no space left for the database: {first}")
    return None


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    """The error, what it wraps (SQLAlchemy's `.orig`) and what caused it, nearest first."""
    seen = 0
    while error is not None and seen < 10:
        yield error
        original = getattr(error, "orig", None)
        if isinstance(original, BaseException):
            yield original
        error, seen = error.__cause__ or error.__context__, seen + 1


def _sqlite_failure(error: BaseException) -> Failure | None:
    if not isinstance(error, sqlite3.Error):
        return None
    name = getattr(error, "sqlite_errorname", "") or ""
    if name == "SQLITE_ERROR" and "already exists" in str(error):
        return Failure.EXISTS  # SQLite has no code of its own for it: its message, here only
    return SQLITE_CODES.get(name) or SQLITE_CODES.get("_".join(name.split("_")[:2]))


def _postgres_failure(error: BaseException) -> Failure | None:
    psycopg = sys.modules.get("psycopg")  # not imported: no error of it can exist
    if psycopg is None or not isinstance(error, psycopg.Error):
        return None
    state = error.sqlstate or ""
    found = POSTGRES_STATES.get(state) or POSTGRES_STATES.get(state[:2])
    if found is None and not state and isinstance(error, psycopg.OperationalError):
        return Failure.UNAVAILABLE  # no answer from a server at all: no SQLSTATE
    return found


def first_line(error: BaseException) -> str:
    """An error's first line (a driver's message may run over several)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)
