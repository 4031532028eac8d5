"""Disk full: a SQLite ledger on a small tmpfs takes a batch that does not fit. The batch is
refused in one line with exit 2 and nothing of it is stored; the ledger still verifies and
answers, and once there is room again it takes the next batch.

Mounting a tmpfs needs root (and a machine that allows it); elsewhere the test is skipped
with the reason.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.synthetic import synthetic_history
from tests.e2e.test_crash import assert_next_catch_up_equals_a_rebuild, run

pytestmark = pytest.mark.slow

KKR = str(Path(sys.executable).parent / "kkr")
DISK = "6m"  # the first term (1,000 events, projected) takes about 1.7 MB of it
ROOMY = "64m"
KNOWN_AT = "2100-01-01T00:00:00+00:00"  # answers that do not depend on the clock


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs of DISK bytes, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; run the tests as root to fill a disk")
    point = tmp_path / "disk"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], capture_output=True, check=False)


def stored_events(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        count = int(conn.execute("SELECT count(*) FROM kkr_events").fetchone()[0])
    conn.close()
    return count


def test_a_batch_that_does_not_fit_on_the_disk_is_refused_whole_and_the_ledger_still_works(
    small_disk: Path, tmp_path: Path
) -> None:
    # given a ledger of one term on a disk of 6 MB, and the next 19 terms as one batch
    lines = [json.dumps(line) + "\n" for line in synthetic_history(terms=20,
                                                                    events_per_term=1000)]
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("".join(lines[:1000]))
    rest.write_text("".join(lines[1000:]))
    path = small_disk / "kkr.sqlite"
    url = f"sqlite:///{path}"
    assert run(url, "apply", str(first)).exit_code == 0
    before = stored_events(path)
    roster = run(url, "roster", "hovedstaden", "--on", "2012-06-01", "--known-at",
                 KNOWN_AT, "--json")
    assert roster.exit_code == 0
    # when the batch is applied by a real `kkr` process
    done = subprocess.run([KKR, "--db", url, "apply", str(rest)], capture_output=True,
                          text=True, timeout=600, check=False)
    # then it is refused in one line, exit 2, and nothing of it is stored
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "Error: no space left for the database: (sqlite3.OperationalError) database or disk "
        "is full"], done.stderr
    assert stored_events(path) == before
    # and the ledger still verifies and answers as before
    verify = run(url, "verify", "--json")
    assert verify.exit_code == 0 and json.loads(verify.stdout)["events_checked"] == before
    again = run(url, "roster", "hovedstaden", "--on", "2012-06-01", "--known-at",
                 KNOWN_AT, "--json")
    assert again.exit_code == 0 and again.stdout == roster.stdout
    # and when there is room again, the next batch is stored and projected as a rebuild does
    subprocess.run(["mount", "-o", f"remount,size={ROOMY}", str(small_disk)], check=True)
    next_term = tmp_path / "next.jsonl"
    next_term.write_text(lines[1000])
    assert run(url, "apply", str(next_term)).exit_code == 0
    assert stored_events(path) == before + 1
    assert_next_catch_up_equals_a_rebuild(url, ("sjaelland", "2012-06-01"))
