"""One request's way into the ledger: the store and its projection, opened when first needed,
read straight from a current projection when that suffices, closed when the request ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from commands.service.urls import first_line, normalise_url
from ledger.errors import LedgerError, NotFound, StoreReadOnly, StoreUnavailable

if TYPE_CHECKING:
    from ledger.store.application import Ledger
    from projections.readmodel.catchup import Projector
    from projections.readmodel.plain import Reader


class LedgerMissing(NotFound):
    """A reader named a SQLite file that is not there (nothing is created)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no ledger at {path}")
        self.path = path


class Session:
    """The ledger at `url` for one request. A reading session refuses a missing SQLite file;
    `warnings` collects what a reader must be told (a projection that lags behind)."""

    def __init__(self, url: str, *, reading: bool) -> None:
        self.given_url, self.reading = url, reading
        self.warnings: list[str] = []
        self._projector: Projector | None = None
        self._read_only: str | None = None  # the URL that opens a read-only file, once found

    @property
    def projector(self) -> Projector:
        """The projector over the opened ledger (`.ledger`), opened on first use."""
        if self._projector is None:
            self._projector = self._open()
        return self._projector

    @property
    def ledger(self) -> Ledger:
        return self.projector.ledger

    def caught_up(self) -> Projector:
        """The projector, caught up first; when it cannot be (read-only access, a rebuild
        holding the projection) it answers as last committed and a warning says so."""
        lag = self.projector.catch_up_for_reading()
        if lag.events:
            self.warnings.append(f"{lag.reason}; the projection lacks the {lag.events} latest "
                                 "event(s) until a writer catches it up")
        return self.projector

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """The projection to read: straight from its tables when it holds every stored event
        (no application, no catch-up: ADR 0006), else caught up first."""
        from projections.readmodel.direct import current_reader, sqlite_file
        from projections.readmodel.plain import Reader

        self._ensure_exists()
        url = self.given_url
        read_only = self._read_only_url()
        if read_only is not None:
            url = read_only  # not a plain file URL: read through the full path, read-only
        with current_reader(url if sqlite_file(url) else normalise_url(url)) as reader:
            if reader is not None:
                yield reader
                return
        with self.caught_up().engine.connect() as conn:
            yield Reader.of(conn)

    def close(self) -> None:
        if self._projector is not None:
            self._projector.ledger.close()
            self._projector = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _open(self) -> Projector:
        from ledger.store.application import Ledger
        from projections.readmodel.catchup import Projector

        self._ensure_exists()
        url = self._read_only_url() or normalise_url(self.given_url)
        try:
            ledger = Ledger(url)
        except Exception as error:
            raise _unusable(error) from None
        try:
            return Projector(ledger)
        except Exception as error:
            ledger.close()
            raise _unusable(error) from None

    def _read_only_url(self) -> str | None:
        """For a SQLite file this process may not change (its mode, its folder, a read-only
        mount): the URL that opens it read-only for a reader; a writer is refused (exit 6)
        before anything is tried. None for anything else."""
        from projections.readmodel.direct import sqlite_file

        path = sqlite_file(self.given_url)
        if path is None or not read_only_file(path):
            return None
        if not self.reading:
            raise StoreReadOnly(f"{path} is read-only (its file mode, its folder or a "
                                "read-only mount): it can be read, not written; nothing was "
                                "written")
        if self._read_only is None:
            self._read_only, warning = read_only_url(path)
            if warning:
                self.warnings.append(warning)
        return self._read_only

    def _ensure_exists(self) -> None:
        from projections.readmodel.direct import sqlite_file

        path = sqlite_file(self.given_url)
        if self.reading and path is not None and not os.path.exists(path):
            raise LedgerMissing(path)


def read_only_file(path: str) -> bool:
    """Whether SQLite could not change the ledger file at `path`: the file may not be
    written (its mode, a read-only mount), or its folder may not be, so that the files of
    the write-ahead log cannot be made there (when they are not there, writable, already)."""
    if not os.path.isfile(path):
        return False
    if not os.access(path, os.W_OK):
        return True
    folder = os.path.dirname(os.path.abspath(path))
    return not os.access(folder, os.W_OK) and not all(
        os.access(f"{path}{suffix}", os.W_OK) for suffix in ("-wal", "-shm"))


def read_only_url(path: str) -> tuple[str, str]:
    """A URL that opens the SQLite file at `path` read-only, and a warning for the reader
    (or ""). `mode=ro` reads what the write-ahead log holds too, but needs its index file
    (-shm) there or makeable; where it is not (a read-only folder), `immutable=1` reads the
    file alone, as a file that nothing changes while it is read."""
    import sqlite3
    from urllib.parse import quote

    target = f"file:{quote(os.path.abspath(path))}"
    probe = sqlite3.connect(f"{target}?mode=ro", uri=True)
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return f"sqlite:///{target}?mode=ro&uri=true", ""
    except sqlite3.Error as error:  # e.g. SQLITE_READONLY_DIRECTORY: no -shm, none makeable
        name = getattr(error, "sqlite_errorname", "")
        if not name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY")):
            return f"sqlite:///{target}?mode=ro&uri=true", ""  # the full path reports it
    finally:
        probe.close()
    log = f"{path}-wal"
    warning = ""
    if os.path.exists(log) and os.path.getsize(log) > 0:
        warning = (f"{log} is not read (its index, -shm, is not there and cannot be made "
                   "here): events only in it are not seen; copy a ledger when no process has "
                   "it open")
    return f"sqlite:///{target}?mode=ro&immutable=1&uri=true", warning


def database_failure(error: BaseException) -> LedgerError | None:
    """The user's error for a database failure met anywhere in a request (None: a bug)."""
    from ledger.store.failures import as_ledger_error

    return as_ledger_error(error)


def _unusable(error: Exception) -> Exception:
    """Opening failed: a database failure there means the database cannot be used."""
    if isinstance(error, LedgerError):
        return error
    if database_failure(error) is not None:
        return StoreUnavailable(f"database not reachable: {first_line(error)}")
    return error
