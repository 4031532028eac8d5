"""A command says what happened: stored but not projected is neither success nor refusal."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from projections.readmodel.catchup import Projector
from tests.builders import constitution_line
from tests.e2e.test_cli import run, write_batch


def test_a_batch_stored_but_not_projected_exits_5_with_its_event_ids(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a catch-up that finds the database held by another writer, after the commit
    def busy(*_args: object, **_kwargs: object) -> None:
        holder = sqlite3.connect(tmp_path / "held.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        sqlite3.connect(tmp_path / "held.db", timeout=0).execute("BEGIN IMMEDIATE")

    monkeypatch.setattr(Projector, "catch_up", busy)
    batch = write_batch(tmp_path, constitution_line("nordjylland/2022", "2022-01-20"))
    # when the batch is applied
    result = run(db_url, "apply", batch, "--json")
    # then the stored events are printed, and exit 5 says they are stored, not projected
    assert result.exit_code == 5
    assert [e["type"] for e in json.loads(result.stdout)["events"]] == ["TermConstituted"]
    assert "stored 1 event(s); the projection was not updated" in result.stderr
    assert "do not apply the batch again" in result.stderr
    # and the next command catches the projection up
    monkeypatch.undo()
    roster = run(db_url, "roster", "nordjylland", "--on", "2023-01-01", "--json")
    assert roster.exit_code == 0 and json.loads(roster.stdout)["term"] == "nordjylland/2022"


def test_a_full_disk_during_the_catch_up_after_the_commit_exits_5(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a catch-up that finds no space left, after the commit (a real SQLITE_FULL)
    def full(*_args: object, **_kwargs: object) -> None:
        conn = sqlite3.connect(tmp_path / "full.db", isolation_level=None)
        conn.execute("CREATE TABLE t (x)")
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))

    monkeypatch.setattr(Projector, "catch_up", full)
    batch = write_batch(tmp_path, constitution_line("nordjylland/2022", "2022-01-20"))
    # when the batch is applied
    result = run(db_url, "apply", batch)
    # then exit 5 says it is stored, and why the projection is not: one line, no traceback
    assert result.exit_code == 5, result.stderr
    assert result.stderr.splitlines() == [(
        "Error: stored 1 event(s); the projection was not updated: no space left for the "
        "database: database or disk is full; the next command that may write it catches it "
        "up (do not apply the batch again)")]
