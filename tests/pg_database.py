"""The PostgreSQL pass works in a database of its own, made for the run and dropped after it.

`KKR_TEST_DATABASE_URL` names a server and a database to connect to for administration; the
tests never touch that database: they get `kkr_test_<random>` beside it, and any role they
make is named after it too. Both are dropped when the run ends, so a run leaves nothing on
the server (and two runs at once do not share tables)."""

from __future__ import annotations

import secrets

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

RUN_NAME = f"kkr_test_{secrets.token_hex(4)}"
READER_ROLE = f"{RUN_NAME}_reader"
EVENTS_ONLY_ROLE = f"{RUN_NAME}_events_only"


def run_url(admin_url: str) -> str:
    """The URL of the run's own database on the same server."""
    return make_url(admin_url).set(database=RUN_NAME).render_as_string(hide_password=False)


def create_run_database(admin_url: str) -> None:
    _administer(admin_url, f'CREATE DATABASE "{RUN_NAME}"')


def drop_run_database(admin_url: str) -> None:
    _administer(admin_url, f'DROP DATABASE IF EXISTS "{RUN_NAME}" WITH (FORCE)')
    for role in (READER_ROLE, EVENTS_ONLY_ROLE):
        _administer(admin_url, f'DROP ROLE IF EXISTS "{role}"')


def _administer(admin_url: str, statement: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
