"""The projection opened straight from its tables, without the event store's application.

A read whose projection already holds every stored event needs neither the eventsourcing
Application nor a catch-up (ADR 0006). SQLite is read through the standard `sqlite3`
(nothing else to import); PostgreSQL through a bare SQLAlchemy Core engine, whose URL
handling the rest of the ledger uses too. None means: take the full path.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from projections.readmodel.plain import Reader, is_current

PLAIN_SQLITE = "sqlite:///"


def sqlite_file(url: str) -> str | None:
    """The file a plain `sqlite:///FILE` URL names; None for anything else (a server, memory,
    a URL with options or escapes), which the full path reads as SQLAlchemy would."""
    if not url.startswith(PLAIN_SQLITE) or any(sign in url for sign in "?#%"):
        return None
    path = url[len(PLAIN_SQLITE):]
    return None if path in ("", ":memory:") else path


@contextmanager
def current_reader(url: str) -> Iterator[Reader | None]:
    """A reader of the projection at `url` when it is current, else None."""
    path = sqlite_file(url)
    if path is not None:
        with _sqlite_reader(path) as reader:
            yield reader
    elif url.startswith("postgresql+psycopg://"):
        with _engine_reader(url) as reader:
            yield reader
    else:
        yield None


@contextmanager
def _sqlite_reader(path: str) -> Iterator[Reader | None]:
    # mode=rw: never creates the file (a missing ledger is the caller's to report)
    try:
        conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=rw", uri=True,
                               isolation_level=None)
    except sqlite3.Error:  # e.g. a folder: the full path reports it as it always has
        yield None
        return
    try:
        # One read transaction: the check and every statement of the answer see one snapshot
        # (a catch-up committing meanwhile cannot mix two states into a roster --all).
        conn.execute("BEGIN")
        reader = Reader(lambda sql, values: conn.execute(sql, values).fetchall(), "sqlite")
        try:
            current = is_current(reader)
        except sqlite3.Error:  # no tables yet: the full path creates them
            current = False
        yield reader if current else None
    finally:
        conn.close()


@contextmanager
def _engine_reader(url: str) -> Iterator[Reader | None]:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url, isolation_level="REPEATABLE READ")  # one snapshot, as SQLite's
    try:
        with engine.connect() as conn:
            reader = Reader.of(conn)
            try:
                current = is_current(reader)
            except DBAPIError:  # no tables yet, or no access to them: the full path decides
                current = False
            yield reader if current else None
    finally:
        engine.dispose()
