"""`kill -9` of a real `kkr` process at chosen moments: all or nothing, and a repairable view.

Each moment is recognised in the database, not guessed with a timer, so the kill lands in
the phase it names: validating the batch (nothing written yet), inside the one transaction
that inserts the events, or while the projection catches up afterwards.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Connection, Engine, create_engine, inspect, select, text

from commands.batch import apply_batch, parse_lines
from commands.cli.main import kkr
from ledger.store.application import Ledger
from projections.readmodel.catchup import Projector
from projections.readmodel.tables import intervals, tracking
from scripts.synthetic import synthetic_history
from tests.builders import constitution_line

pytestmark = pytest.mark.store

KKR = str(Path(sys.executable).parent / "kkr")
ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """20,000 valid lines (20 terms), and how many events the whole file stores."""
    lines = list(synthetic_history(terms=20, events_per_term=1000))
    path = tmp_path_factory.mktemp("crash") / "big.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path, whole_file_events(lines)


def whole_file_events(lines: list[dict[str, Any]]) -> int:
    """One event per line; a constitution also ends the region's previous term (B1.3)."""
    seen: set[str] = set()
    endings = 0
    for line in lines:
        if line["command"] == "constitute":
            region = line["term"].split("/")[0]
            endings += region in seen
            seen.add(region)
    return len(lines) + endings


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args])


class Probe:
    """Looks at the database from outside while a `kkr` process works on it."""

    def __init__(self, db_url: str) -> None:
        self.url = db_url
        self.engine: Engine = create_engine(db_url)

    def close(self) -> None:
        self.engine.dispose()

    def _read(self, query: Callable[[Connection], Any], default: Any) -> Any:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("kkr_projection_tracking"):
                return default
            return query(conn)

    def events(self) -> int:
        count = self._read(lambda c: c.execute(text("SELECT count(*) FROM kkr_events")).scalar(),
                           0)
        return int(count or 0)

    def last_id(self) -> int:
        """The highest notification id stored (PostgreSQL's sequence leaves gaps where a
        transaction that took ids was rolled back, so it can exceed the count)."""
        found = self._read(lambda c: c.execute(text("SELECT max(id) FROM kkr_events")).scalar(),
                           0)
        return int(found or 0)

    def position(self) -> int:
        found = self._read(lambda c: c.execute(select(tracking.c.position)).scalar(), 0)
        return int(found or 0)

    def ready_to_write(self) -> bool:
        """The ledger and projection tables exist: the process is validating the batch."""
        return bool(self._read(lambda c: True, False))

    def inserting(self) -> bool:
        """Another process holds the write lock before any event is stored: the insert."""
        return self.ready_to_write() and self._write_locked() and self.events() == 0

    def projecting(self) -> bool:
        """Another process is inside a transaction that writes the projection's rows."""
        return self.ready_to_write() and self._write_locked("kkr_intervals", "RowExclusiveLock")

    def _write_locked(self, table: str = "kkr_events", mode: str = "ExclusiveLock") -> bool:
        if self.url.startswith("sqlite"):
            raw = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=0)
            try:
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                raw.close()
        with self.engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = :table AND l.mode = :mode AND l.granted "
                "AND l.pid <> pg_backend_pid()"), {"table": table, "mode": mode}).scalar())


@pytest.fixture
def probe(db_url: str) -> Iterator[Probe]:
    found = Probe(db_url)
    yield found
    found.close()


def kill_when(args: list[str], moment: Callable[[], bool]) -> None:
    """Start `kkr ARGS`, and `kill -9` it as soon as `moment()` holds (fail if it never did)."""
    proc = subprocess.Popen([KKR, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while not moment():
            assert proc.poll() is None, "the process ended before the moment came"
            assert time.monotonic() < deadline, "the moment never came"
            time.sleep(0.002)
        proc.kill()
    finally:
        proc.kill()
        proc.wait(timeout=30)
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode()
        proc.stderr.close()
    assert "Traceback" not in stderr, stderr


def interval_table(ledger: Ledger) -> list[tuple[Any, ...]]:
    c = intervals.c
    with Projector(ledger).engine.connect() as conn:
        rows = conn.execute(select(c.term, c.kind, c.seat, c.person_id, c.role, c.valid_from,
                                   c.valid_to, c.recorded_from, c.recorded_to, c.data))
        return sorted((tuple(r) for r in rows), key=repr)


def assert_next_catch_up_equals_a_rebuild(db_url: str, region_on: tuple[str, str]) -> None:
    """`kkr roster` catches up; its table must equal the one a rebuild makes from zero."""
    region, day = region_on
    assert run(db_url, "roster", region, "--on", day, "--json").exit_code in (0, 1)
    ledger = Ledger(db_url)
    try:
        caught_up = interval_table(ledger)
        Projector(ledger).rebuild()
        assert interval_table(ledger) == caught_up
    finally:
        ledger.close()


MOMENTS: dict[str, Callable[[Probe], bool]] = {
    "while_validating_the_batch": Probe.ready_to_write,
    "inside_the_insert_transaction": Probe.inserting,
    "while_catching_up_after_the_commit": lambda p: p.events() > 0 and p.position() > 0,
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_killed_apply_leaves_all_or_nothing_and_the_next_catch_up_repairs_the_view(
    db_url: str, probe: Probe, big_batch: tuple[Path, int], moment: str
) -> None:
    path, whole = big_batch
    # given an empty ledger and a batch of 20,000 lines
    # when `kkr apply` is killed with SIGKILL at the moment
    kill_when(["--db", db_url, "apply", str(path)], lambda: MOMENTS[moment](probe))
    # then the ledger holds none or all of the file, and its chain verifies
    stored = probe.events()
    assert stored in (0, whole)
    if moment == "while_catching_up_after_the_commit":
        assert stored == whole and 0 < probe.position() < whole
    verify = run(db_url, "verify", "--json")
    assert verify.exit_code == 0 and json.loads(verify.stdout)["events_checked"] == stored
    # and the next catch-up leaves the projection equal to a rebuild
    assert_next_catch_up_equals_a_rebuild(db_url, ("midtjylland", "2016-06-01"))


def test_a_ledger_killed_inside_its_insert_takes_the_next_batch(
    db_url: str, probe: Probe, big_batch: tuple[Path, int], tmp_path: Path
) -> None:
    # given `kkr apply` killed inside its insert transaction
    path, _whole = big_batch
    kill_when(["--db", db_url, "apply", str(path)], probe.inserting)
    before = probe.events()
    # when another batch is applied (valid whether or not the big file landed)
    batch = tmp_path / "next.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2026", "2026-01-20")) + "\n")
    result = run(db_url, "apply", str(batch))
    # then no lock or half-written row was left behind: it is stored and projected
    assert result.exit_code == 0, result.stderr
    assert probe.events() > before and probe.position() == probe.last_id()


def test_a_killed_rebuild_leaves_the_projection_as_it_was(db_url: str, probe: Probe) -> None:
    # given ~8,000 events, projected
    ledger = Ledger(db_url)
    try:
        history = [json.dumps(line) for line in synthetic_history(terms=10, events_per_term=800)]
        apply_batch(ledger, parse_lines(history), "test")
        total = Projector(ledger).catch_up()
        before = interval_table(ledger)
    finally:
        ledger.close()
    # when `kkr rebuild` is killed while it writes the projection again
    kill_when(["--db", db_url, "rebuild"], probe.projecting)
    # then the projection is the one it replaced, whole, at the same position
    ledger = Ledger(db_url)
    try:
        assert interval_table(ledger) == before
    finally:
        ledger.close()
    assert probe.position() == total
    # and the next catch-up leaves it equal to a rebuild
    assert_next_catch_up_equals_a_rebuild(db_url, ("sjaelland", "2013-06-01"))


def test_a_reader_during_a_rebuild_answers_from_the_projection_as_last_committed(
    db_url: str, probe: Probe
) -> None:
    # given ~8,000 events, projected, and then one more batch that is stored but not projected
    ledger = Ledger(db_url)
    try:
        history = [json.dumps(line) for line in synthetic_history(terms=10, events_per_term=800)]
        apply_batch(ledger, parse_lines(history), "test")
        Projector(ledger).catch_up()
        apply_batch(ledger, parse_lines([json.dumps(constitution_line(
            "nordjylland/2026", "2026-01-20"))]), "test")
    finally:
        ledger.close()
    # when a roster is asked for while another process holds the projection in a long
    # transaction that has deleted its rows, as a rebuild does
    with probe.engine.connect() as rebuilding:
        rebuilding.execute(text("DELETE FROM kkr_intervals"))
        rebuilding.execute(text("DELETE FROM kkr_projection_tracking"))
        result = run(db_url, "roster", "sjaelland", "--on", "2013-06-01", "--json")
        rebuilding.rollback()
    # then, after waiting a while, it answered from the rows as last committed, and said so
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["term"] == "sjaelland/2010"
    assert "another process is writing the projection" in result.stderr
    assert "lacks the 2 latest event(s)" in result.stderr
