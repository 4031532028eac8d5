"""Database failures are recognised by the driver's type and code, however they are wrapped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from sqlalchemy.exc import OperationalError as SQLAlchemyOperationalError

from ledger.errors import StoreReadOnly, StoreUnavailable, WriteConflict
from ledger.store.failures import Failure, as_ledger_error, failure_of


def raised(action: object) -> BaseException:
    with pytest.raises(Exception) as caught:
        action()  # type: ignore[operator]
    return caught.value


def test_a_sqlite_file_that_cannot_be_opened_is_unavailable(tmp_path: Path) -> None:
    error = raised(lambda: sqlite3.connect(f"file:{tmp_path}/none/x.db?mode=rw", uri=True))
    assert failure_of(error) is Failure.UNAVAILABLE
    assert isinstance(as_ledger_error(error), StoreUnavailable)


def test_a_write_to_a_sqlite_file_opened_read_only_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)")
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    error = raised(lambda: reader.execute("INSERT INTO t VALUES (1)"))
    assert failure_of(error) is Failure.READ_ONLY
    assert isinstance(as_ledger_error(error), StoreReadOnly)


def test_a_sqlite_write_lock_held_by_another_is_busy_even_wrapped(tmp_path: Path) -> None:
    # given one connection holding the write lock
    path = tmp_path / "x.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    # when another tries to write, and SQLAlchemy and a caller wrap what it raised
    error = raised(lambda: other.execute("BEGIN IMMEDIATE"))
    wrapped = SQLAlchemyOperationalError("BEGIN IMMEDIATE", {}, error)  # type: ignore[arg-type]
    try:
        raise RuntimeError("the unit of work failed") from wrapped
    except RuntimeError as outer:
        # then it is known as a busy database, and a write conflict for the user
        assert failure_of(outer) is Failure.BUSY
        assert isinstance(as_ledger_error(outer), WriteConflict)


@pytest.mark.parametrize(("error", "kind"), [
    (psycopg.errors.InsufficientPrivilege("permission denied for table kkr_events"),
     Failure.READ_ONLY),
    (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT"), Failure.READ_ONLY),
    (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), Failure.BUSY),
    (psycopg.errors.SerializationFailure("could not serialize access"), Failure.BUSY),
    (psycopg.errors.AdminShutdown("terminating connection"), Failure.UNAVAILABLE),
    (psycopg.errors.UniqueViolation("duplicate key value (pg_type)"), Failure.EXISTS),
    (psycopg.errors.DiskFull("could not extend file"), Failure.FULL),
    (psycopg.errors.CheckViolation("check"), None),
])
def test_postgresql_errors_are_known_by_their_sqlstate(error: Exception,
                                                        kind: Failure | None) -> None:
    assert failure_of(error) is kind


def test_a_postgresql_server_that_does_not_answer_is_unavailable() -> None:
    error = raised(lambda: psycopg.connect("host=127.0.0.1 port=1 connect_timeout=1"))
    assert failure_of(error) is Failure.UNAVAILABLE


def test_an_error_that_is_no_database_failure_is_left_to_the_caller() -> None:
    assert failure_of(ValueError("database is locked")) is None
    assert as_ledger_error(KeyError("x")) is None


def test_a_create_that_meets_an_object_made_meanwhile_is_known_on_both_databases() -> None:
    # given SQLite, which has no code of its own for it, and PostgreSQL's SQLSTATEs
    memory = sqlite3.connect(":memory:")
    memory.execute("CREATE TABLE t (x)")
    error = raised(lambda: memory.execute("CREATE TABLE t (x)"))
    # then both are known as an object that exists already
    assert failure_of(error) is Failure.EXISTS
    assert failure_of(psycopg.errors.DuplicateTable("relation exists")) is Failure.EXISTS
    assert as_ledger_error(error) is None  # no user's error: the creator looks again


def test_a_sqlite_file_whose_disk_is_full_is_known_and_exits_2(tmp_path: Path) -> None:
    # given a database that may not grow beyond its present pages (as a full disk stops it)
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    # when a row does not fit
    error = raised(lambda: conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    # then it is a full database, for the user one line and exit 2
    assert failure_of(error) is Failure.FULL
    found = as_ledger_error(error)
    assert isinstance(found, StoreUnavailable) and found.exit_code == 2
    assert found.message == "no space left for the database: database or disk is full"
