"""`kill -9` of `kkr apply` at random moments (a fixed seed), many times over: each time the
ledger holds all of the batch or none of it, `kkr verify` passes, and the projection, once
caught up, equals a rebuild. `tests/e2e/test_crash.py` kills at chosen phases; this one at
moments drawn over the whole life of the process (start-up, validation, the insert, the
commit, the catch-up), so that no phase is left out by the choice of the tester.

KKR_KILL_RUNS sets the number of runs per database (default 20, issue 22's count).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scripts.synthetic import synthetic_history
from tests.conftest import fresh_db_url
from tests.e2e.test_crash import assert_next_catch_up_equals_a_rebuild, run

pytestmark = [pytest.mark.store, pytest.mark.slow]

KKR = str(Path(sys.executable).parent / "kkr")
RUNS = int(os.environ.get("KKR_KILL_RUNS", "20"))
SEED = 22
FIRST_TERM = 400  # lines stored before each run: hovedstaden/2010 and its changes


def stored_events(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM kkr_events")).scalar() or 0)
    finally:
        engine.dispose()


def given_a_ledger_of_one_term(folder: Path, first: Path) -> str:
    """A new database (SQLite in `folder`, or the emptied PostgreSQL one) holding one term."""
    folder.mkdir()
    db_url = fresh_db_url(folder)
    assert run(db_url, "apply", str(first)).exit_code == 0
    return db_url


def apply_killed_after(db_url: str, batch: Path, delay: float) -> str:
    """`kkr apply BATCH`, sent SIGKILL `delay` seconds after it started (unless it ended
    first); its outcome: "killed", or "finished" when it ended before the signal."""
    proc = subprocess.Popen([KKR, "--db", db_url, "apply", str(batch)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    outcome = "killed" if proc.poll() is None else "finished"
    proc.kill()
    _, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr.decode(errors="replace"), stderr.decode()
    if outcome == "finished":
        assert proc.returncode == 0, stderr.decode()
    return outcome


def test_kill_9_at_random_moments_leaves_all_or_nothing_and_a_repairable_view(
    store_folder: Path,
) -> None:
    # given a ledger of one term, and the four other regions' terms of 2010 as one batch of
    # 1,600 lines
    lines = [json.dumps(line) + "\n" for line in synthetic_history(terms=5,
                                                                    events_per_term=400)]
    first, batch = store_folder / "first.jsonl", store_folder / "batch.jsonl"
    first.write_text("".join(lines[:FIRST_TERM]))
    batch.write_text("".join(lines[FIRST_TERM:]))
    # and how long a whole `kkr apply` of it takes here, and what it stores
    db_url = given_a_ledger_of_one_term(store_folder / "whole", first)
    before = stored_events(db_url)
    started = time.monotonic()
    done = subprocess.run([KKR, "--db", db_url, "apply", str(batch)], capture_output=True,
                          check=False, timeout=300)
    span = time.monotonic() - started
    assert done.returncode == 0, done.stderr.decode()
    whole = stored_events(db_url) - before
    assert whole == len(lines) - FIRST_TERM
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    for n in range(RUNS):
        db_url = given_a_ledger_of_one_term(store_folder / f"run-{n}", first)
        # when `kkr apply` of the batch is killed at a random moment of its life (the last
        # tenth is left out: the process has often ended by then)
        outcome = apply_killed_after(db_url, batch, rng.uniform(0, 0.9 * span))
        # then the ledger holds none of the batch or all of it
        stored = stored_events(db_url) - before
        assert stored in (0, whole), (n, stored)
        assert outcome == "killed" or stored == whole
        outcomes[f"{outcome}, {'all' if stored else 'none'} stored"] += 1
        # and every stored event verifies
        verify = run(db_url, "verify", "--json")
        assert verify.exit_code == 0, verify.stderr
        assert json.loads(verify.stdout)["events_checked"] == before + stored
        # and the next catch-up leaves the projection equal to a rebuild
        assert_next_catch_up_equals_a_rebuild(db_url, ("sjaelland", "2012-06-01"))
    print(f"\nkill -9 at random moments of a {span:.1f} s apply, {RUNS} runs: {dict(outcomes)}")
