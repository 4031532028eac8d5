"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL via KKR_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ledger.application import Ledger
from projections.catchup import Projector

PG_URL = os.environ.get("KKR_TEST_DATABASE_URL", "")
STORE_FIXTURES = {"db_url", "store", "projector"}
KKR_TABLES = ("kkr_intervals", "kkr_projection_tracking", "kkr_events")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "store: uses a real database (runs on SQLite and PG)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if STORE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.store)


def drop_kkr_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in KKR_TABLES:
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for the test: SQLite in tmp_path, or an emptied PostgreSQL."""
    if PG_URL:
        drop_kkr_tables(PG_URL)
        yield PG_URL
    else:
        yield f"sqlite:///{tmp_path / 'kkr.sqlite'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Ledger]:
    ledger = Ledger(db_url)
    yield ledger
    ledger.close()


@pytest.fixture
def projector(store: Ledger) -> Projector:
    return Projector(store)


@pytest.fixture
def memory_ledger() -> Iterator[Ledger]:
    ledger = Ledger("sqlite:///:memory:")
    yield ledger
    ledger.close()
