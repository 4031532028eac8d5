"""The database behind the projections: the ledger's own engine, tables created on first use."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from ledger.application import Ledger
from projections.tables import metadata


def engine_of(ledger: Ledger) -> Engine:
    datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
    engine: Engine = datastore.engine
    return engine


def create_tables(ledger: Ledger) -> None:
    metadata.create_all(engine_of(ledger), checkfirst=True)


def naive_utc(moment: datetime) -> datetime:
    """Recorded time is stored as naive UTC so SQLite and PostgreSQL compare alike."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
