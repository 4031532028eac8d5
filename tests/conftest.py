"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL via KKR_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ledger.store.application import Ledger
from projections.readmodel.catchup import Projector
from tests import pg_database

ADMIN_PG_URL = os.environ.get("KKR_TEST_DATABASE_URL", "")
PG_URL = pg_database.run_url(ADMIN_PG_URL) if ADMIN_PG_URL else ""
STORE_FIXTURES = {"db_url", "store", "projector", "store_folder", "memory_ledger"}
KKR_TABLES = ("kkr_intervals", "kkr_projection_tracking", "kkr_events")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "store: uses a real database (runs on SQLite and PG)")
    config.addinivalue_line("markers", "slow: a race or fault run many times over")


def pytest_sessionstart(session: pytest.Session) -> None:
    if ADMIN_PG_URL:
        pg_database.create_run_database(ADMIN_PG_URL)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if ADMIN_PG_URL:
        pg_database.drop_run_database(ADMIN_PG_URL)


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


def fresh_db_url(folder: Path) -> str:
    """An empty database: a new SQLite file in `folder`, or the emptied PostgreSQL one.

    Hypothesis examples call this directly (function fixtures do not reset per example)."""
    if PG_URL:
        drop_kkr_tables(PG_URL)
        return PG_URL
    path = folder / "kkr.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A database of its own for the test: SQLite in tmp_path, or an emptied PostgreSQL."""
    return fresh_db_url(tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[Ledger]:
    ledger = Ledger(db_url)
    yield ledger
    ledger.close()


@pytest.fixture
def projector(store: Ledger) -> Projector:
    return Projector(store)


@pytest.fixture
def memory_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A ledger of its own: SQLite in memory, or the emptied PostgreSQL database when the
    suite runs on PostgreSQL (so the rule tests run there too)."""
    ledger = Ledger(fresh_db_url(tmp_path) if PG_URL else "sqlite:///:memory:")
    yield ledger
    ledger.close()


@pytest.fixture
def store_folder(tmp_path: Path) -> Path:
    """A folder for databases that a test makes itself, once per hypothesis example."""
    return tmp_path
