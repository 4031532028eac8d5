"""A write lock held for long by another process (a long batch, a rebuild, a backup, a
database browser) while `kkr apply` runs: the writer waits for it within a bounded window of
retries (about a minute) and stores its batch; past the window it exits 3 in one line that
names the lock and says to apply again, with nothing written. Never a traceback.

The holder is a process of its own: on SQLite a connection inside `BEGIN IMMEDIATE`, on
PostgreSQL a transaction holding `LOCK TABLE kkr_events IN EXCLUSIVE MODE` (the lock the
ledger's own writers take).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

import ledger.store.application
from commands.cli.main import kkr
from tests.builders import constitution_line

pytestmark = [pytest.mark.store, pytest.mark.slow]

KKR = str(Path(sys.executable).parent / "kkr")
HELD_SECONDS = 12  # issue 22: a write lock held 12 s
HOLDER = r"""
import sys, time
url, seconds = sys.argv[1], float(sys.argv[2])
if url.startswith("sqlite:///"):
    import sqlite3
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
else:
    import psycopg
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
    conn.execute("LOCK TABLE kkr_events IN EXCLUSIVE MODE")
print("held", flush=True)
time.sleep(seconds)
conn.rollback()
"""


@contextmanager
def write_lock_held(db_url: str, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the database's write lock for `seconds` from when this enters."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, db_url, str(seconds)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n", holder.communicate()[1]
        yield holder
    finally:
        holder.kill()
        holder.communicate()


def stored_events(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM kkr_events")).scalar() or 0)
    finally:
        engine.dispose()


@pytest.fixture
def constituted(db_url: str, tmp_path: Path) -> Path:
    """Given nordjylland/2022 constituted; returns a batch that constitutes /2026 (two events:
    the constitution and the end of the 2022 term)."""
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(constitution_line("nordjylland/2022", "2022-01-20")) + "\n")
    assert CliRunner().invoke(kkr, ["--db", db_url, "apply", str(first)]).exit_code == 0
    batch = tmp_path / "next.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2026", "2026-01-20")) + "\n")
    return batch


def test_a_write_lock_held_12_seconds_is_waited_for_and_the_batch_stored(
    db_url: str, constituted: Path
) -> None:
    # given another process that holds the write lock for 12 seconds
    with write_lock_held(db_url, HELD_SECONDS):
        started = time.monotonic()
        # when a real `kkr apply` runs meanwhile
        done = subprocess.run([KKR, "--db", db_url, "apply", str(constituted)],
                              capture_output=True, text=True, timeout=300, check=False)
        took = time.monotonic() - started
    # then it waited for the lock (retrying) and stored the whole batch, without a traceback
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert HELD_SECONDS - 1 < took < 60, took
    assert stored_events(db_url) == 3
    verify = CliRunner().invoke(kkr, ["--db", db_url, "verify", "--json"])
    assert verify.exit_code == 0 and json.loads(verify.stdout)["events_checked"] == 3


def test_a_write_lock_held_beyond_the_window_exits_3_naming_the_lock(
    db_url: str, constituted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a window of two tries (about 10 s; the product's is 12, about a minute) and
    # another process that holds the write lock longer than that
    monkeypatch.setattr(ledger.store.application, "WRITE_ATTEMPTS", 2)
    with write_lock_held(db_url, 60):
        # when a batch is applied meanwhile
        started = time.monotonic()
        result = CliRunner().invoke(kkr, ["--db", db_url, "apply", str(constituted)])
        took = time.monotonic() - started
    # then it gave up after its tries: exit 3, one line naming the lock and saying to apply
    # again, and nothing written
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: the database's write lock stayed held by another "
                               "process (2 tries in "), lines[0]
    assert lines[0].endswith("; nothing was written: apply again when it is free"), lines[0]
    assert 9 < took < 30, took
    assert stored_events(db_url) == 1
