"""A large batch is read and stored chunk by chunk, in one transaction: bounded memory, and
still all or nothing."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

import ledger.application
from commands import batch
from commands.batch import apply_batch, parse_lines
from commands.cli.main import kkr
from commands.synthetic import synthetic_history
from ledger.application import Ledger
from projections.catchup import Projector

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
    monkeypatch.setattr(ledger.application, "TERMS_KEPT", 2)
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
