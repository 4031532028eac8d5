"""The database behind the projections: the ledger's own engine, tables created on first use."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from ledger.application import Ledger
from ledger.recorder import create_tables_concurrently
from projections.tables import metadata


def engine_of(ledger: Ledger) -> Engine:
    datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
    engine: Engine = datastore.engine
    return engine


def create_tables(ledger: Ledger) -> None:
    create_tables_concurrently(engine_of(ledger), list(metadata.sorted_tables))


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
