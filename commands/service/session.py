"""One request's way into the ledger: the store and its projection, opened when first needed,
read straight from a current projection when that suffices, closed when the request ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from commands.service.urls import first_line, normalise_url
from ledger.errors import LedgerError, NotFound, StoreUnavailable

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
        url = normalise_url(self.given_url)
        try:
            ledger = Ledger(url)
        except Exception as error:
            raise _unusable(error) from None
        try:
            return Projector(ledger)
        except Exception as error:
            ledger.close()
            raise _unusable(error) from None

    def _ensure_exists(self) -> None:
        from projections.readmodel.direct import sqlite_file

        path = sqlite_file(self.given_url)
        if self.reading and path is not None and not os.path.exists(path):
            raise LedgerMissing(path)


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
