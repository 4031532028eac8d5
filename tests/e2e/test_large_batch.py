"""A large batch is read and stored chunk by chunk, in one transaction: bounded memory, and
still all or nothing."""

from __future__ import annotations

import json
import sqlite3
import threading
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

import ledger.store.application
from commands import batch
from commands.batch import apply_batch, parse_lines
from commands.cli.main import kkr
from ledger.store.application import Ledger
from projections.readmodel.catchup import Projector
from scripts.synthetic import synthetic_history
from tests.builders import constitution_line

pytestmark = pytest.mark.store


def stored_events(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM kkr_events")).scalar() or 0)
    finally:
        engine.dispose()


def test_a_batch_that_fails_after_several_stored_chunks_stores_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 1,200 valid lines stored every 100 commands, and then a line the statute refuses
    monkeypatch.setattr(batch, "FLUSH_EVERY", 100)
    history = list(synthetic_history(terms=3, events_per_term=400))
    lines = [json.dumps(line) for line in history]
    refused = {"command": "end_leave", "term": history[0]["term"], "effective": "2012-01-01",
               "person_id": "nobody"}
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([*lines, json.dumps(refused)]) + "\n", encoding="utf-8")
    # when the batch is applied
    result = CliRunner().invoke(kkr, ["--db", db_url, "apply", str(path)])
    # then it is refused at that line, and none of the chunks before it was kept
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith(f"Error: line {len(lines) + 1}: [B1.")
    assert stored_events(db_url) == 0


def test_applying_a_long_batch_holds_the_memory_of_a_few_terms_not_of_the_batch(
    store: Ledger, projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 8,000 lines over sixteen terms, a unit of work that keeps two terms loaded
    monkeypatch.setattr(ledger.store.application, "TERMS_KEPT", 2)
    commands = parse_lines(json.dumps(line) for line in synthetic_history(16, 500))
    # when they are applied and projected from their prepared changes
    tracemalloc.start()
    try:
        result = apply_batch(store, commands, "test", track_changes=True)
        projector.catch_up(result.changes)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # then the peak stays far below what holding every term and fact took (≈ 75 MiB)
    assert result.applied == len(commands) and projector.position() > len(commands)
    assert peak < 35 * 2**20, f"{peak / 2**20:.1f} MiB"


def test_a_writer_that_waits_longer_than_sqlite_allows_for_the_write_lock_retries(
    db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's driver gives up waiting for a lock; PostgreSQL waits")
    # given a constituted ledger, and another process's transaction that holds the write
    # lock for 6 seconds (a long batch does, from its first chunk to its commit)
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(constitution_line("nordjylland/2022", "2022-01-20")) + "\n")
    assert CliRunner().invoke(kkr, ["--db", db_url, "apply", str(first)]).exit_code == 0
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0,
                             check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(6.0, holder.rollback)
    release.start()
    # when a batch is applied meanwhile (the driver waits 5 seconds, then says it is locked)
    batch = tmp_path / "next.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2026", "2026-01-20")) + "\n")
    try:
        result = CliRunner().invoke(kkr, ["--db", db_url, "apply", str(batch)])
    finally:
        release.join()
        holder.close()
    # then it tried again and got through, rather than failing with a traceback
    assert result.exit_code == 0, result.stderr
    assert stored_events(db_url) == 3  # two constitutions and the end of the first term
