"""Concurrent writers and readers in real processes: nothing lost, nothing doubled, all valid.

Each worker process imports the CLI once, waits at a barrier, then runs its `kkr` commands
in-process one after the other (each opens the ledger afresh, as a separate `kkr` call
would), so the processes really append to the same term stream at the same moment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import inspect, select

from commands.batch import apply_batch, parse_lines
from commands.cli.main import kkr
from ledger.store.application import Ledger
from ledger.values import TermId
from projections.readmodel.catchup import Projector
from projections.readmodel.tables import intervals, tracking
from scripts.synthetic import synthetic_history
from tests.builders import constitution_line, places

pytestmark = pytest.mark.store

TERM = "hovedstaden/2022"
WORKERS = 4
PER_WORKER = 10
ROOT = Path(__file__).resolve().parents[2]

# Runs each argument list (JSON) through `kkr` in-process after the barrier; writes the exit
# codes to the file named first. A traceback escapes, fails the process and shows on stderr.
KKR_WORKER = """
import json, sys
from commands.cli.main import kkr
import commands.cli.recording, commands.cli.asking, ledger.store.application
import projections.readmodel.catchup
out, runs = sys.argv[1], [json.loads(a) for a in sys.argv[2:]]
print("ready", flush=True)
sys.stdin.readline()
codes = []
for args in runs:
    try:
        kkr.main(args=args, prog_name="kkr")
    except SystemExit as done:
        codes.append(done.code or 0)
open(out, "w").write(json.dumps(codes))
"""

# Opens the ledger (creating its table when missing) after the barrier, then closes it.
OPEN_WORKER = """
import sys
from ledger.store.application import Ledger
print("ready", flush=True)
sys.stdin.readline()
Ledger(sys.argv[1]).close()
"""


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args])


def start_together(commands: list[list[str]]) -> list[str]:
    """Start the worker processes, release them at once when all are ready; their stderr."""
    procs = [subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for argv in commands]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    errors = []
    for proc in procs:
        _out, err = proc.communicate(timeout=45)
        assert proc.returncode == 0 and "Traceback" not in err, err
        errors.append(err)
    return errors


def run_workers(tmp_path: Path, runs: list[list[list[str]]]) -> list[list[int]]:
    """One process per list of `kkr` argument lists, all started at once; their exit codes."""
    outs = [tmp_path / f"codes-{n}.json" for n in range(len(runs))]
    start_together([[sys.executable, "-c", KKR_WORKER, str(out), *(json.dumps(a) for a in r)]
                    for out, r in zip(outs, runs, strict=True)])
    return [json.loads(out.read_text()) for out in outs]


def commands_valid_in_any_order() -> list[dict[str, Any]]:
    """40 commands on one term that are each valid whichever of them landed before.

    Leaves of 34 different members from 2023-03-01, and six substitutes appointed earlier
    (2022): the fold orders by effective date, so every arrival order gives one timeline."""
    members = places("hovedstaden")
    lines: list[dict[str, Any]] = []
    for place in members:
        mayor = place.seat == "mayor"
        lines.append({"command": "start_leave", "person_id": place.person.person_id,
                      "effective": "2023-03-01", "expected_until": "2023-09-01",
                      "reason": "relieved_of_council_duties" if mayor else "health"})
    party_places = [p for p in members if p.seat == "party"]
    for n, day in enumerate(["2022-06-01"] * 5 + ["2022-09-01"]):
        place = party_places[n % len(party_places)]
        assert place.substitute is not None
        new = place.substitute.model_copy(update={"person_id": f"new-sub-{n}",
                                                  "name": f"New Sub {n}"})
        lines.append({"command": "appoint_substitute", "person": new.model_dump(mode="json"),
                      "for_member": place.person.person_id, "effective": day})
    assert len(lines) == WORKERS * PER_WORKER
    return [{"term": TERM, "command_id": f"c-{k}", **line} for k, line in enumerate(lines)]


def write_batches(tmp_path: Path, lines: list[dict[str, Any]]) -> list[str]:
    paths = []
    for k, line in enumerate(lines):
        path = tmp_path / f"cmd-{k}.jsonl"
        path.write_text(json.dumps(line) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def interval_table(ledger: Ledger) -> list[tuple[Any, ...]]:
    c = intervals.c
    with Projector(ledger).engine.connect() as conn:
        rows = conn.execute(select(c.term, c.kind, c.seat, c.person_id, c.role, c.valid_from,
                                   c.valid_to, c.recorded_from, c.recorded_to, c.data))
        return sorted((tuple(r) for r in rows), key=repr)


def versions_of(ledger: Ledger, term: str) -> list[int]:
    stream = TermId.parse(term).uuid
    return sorted(r.version for r in ledger.stored_records() if r.stream == stream)


def test_concurrent_writers_to_one_term_land_every_command_exactly_once(
    db_url: str, tmp_path: Path
) -> None:
    # given a constituted term and 40 single-command batches spread over four processes
    assert run(db_url, "apply", write_batches(tmp_path, [constitution_line(
        TERM, "2022-01-20")])[0]).exit_code == 0
    lines = commands_valid_in_any_order()
    paths = write_batches(tmp_path, lines)
    runs = [[["--db", db_url, "apply", p] for p in paths[w::WORKERS]] for w in range(WORKERS)]
    # when the four processes apply their batches at the same time
    codes = run_workers(tmp_path, runs)
    # then every batch succeeded and its command is stored exactly once, versions 1..41
    assert codes == [[0] * PER_WORKER] * WORKERS
    trail = json.loads(run(db_url, "trail", TERM, "--json").stdout)["events"]
    landed = Counter(e["command_id"] for e in trail if e["command_id"])
    assert landed == Counter({line["command_id"]: 1 for line in lines})
    ledger = Ledger(db_url)
    try:
        assert versions_of(ledger, TERM) == list(range(1, len(lines) + 2))
        assert_projection_equals_a_rebuild(ledger)
    finally:
        ledger.close()
    # and the chain verifies, and a replay finds nobody in two places and matches the ledger
    assert run(db_url, "verify").exit_code == 0
    replay = run(db_url, "replay", TERM, "--json")
    assert replay.exit_code == 0, replay.stderr
    assert json.loads(replay.stdout)["violations"] == []


def assert_projection_equals_a_rebuild(ledger: Ledger) -> None:
    projector = Projector(ledger)
    projector.catch_up()
    caught_up = interval_table(ledger)
    assert projector.rebuild() > 0
    assert interval_table(ledger) == caught_up


def test_processes_opening_a_new_database_at_once_create_the_event_table_once(
    db_url: str,
) -> None:
    # given an empty database
    # when four processes open the ledger at the same moment (all create the table)
    start_together([[sys.executable, "-c", OPEN_WORKER, db_url]] * WORKERS)
    # then none failed, and the table has its unique (stream, version) index
    ledger = Ledger(db_url)
    try:
        indexes = inspect(Projector(ledger).engine).get_indexes("kkr_events")
        assert [(i["column_names"], i["unique"]) for i in indexes] == [
            (["originator_id", "originator_version"], True)]
    finally:
        ledger.close()


def test_concurrent_roster_catch_ups_leave_the_projection_equal_to_a_rebuild(
    db_url: str, tmp_path: Path
) -> None:
    # given a projected constitution, then ~2,000 events written without a catch-up
    history = [json.dumps(line) for line in synthetic_history(terms=5, events_per_term=400)]
    ledger = Ledger(db_url)
    try:
        apply_batch(ledger, parse_lines(history[:1]), "test")
        Projector(ledger).catch_up()
        apply_batch(ledger, parse_lines(history[1:]), "test")
        # when three `kkr roster` processes catch up at the same moment, twice each
        roster = ["--db", db_url, "roster", "--all", "--on", "2012-06-01", "--json"]
        codes = run_workers(tmp_path, [[roster, roster]] * 3)
        # then each answered, the position is the last event, and the rows equal a rebuild
        assert codes == [[0, 0]] * 3
        assert tracked_positions(ledger) == [ledger.recorder.max_notification_id()]
        assert_projection_equals_a_rebuild(ledger)
    finally:
        ledger.close()


def test_concurrent_first_writers_on_a_new_database_all_succeed(
    db_url: str, tmp_path: Path
) -> None:
    # given an empty database and four constitutions of different regions
    regions = ("hovedstaden", "sjaelland", "syddanmark", "nordjylland")
    paths = write_batches(tmp_path, [constitution_line(f"{r}/2022", "2022-01-20")
                                     for r in regions])
    # when four processes apply them at the same moment (all create tables, all catch up)
    codes = run_workers(tmp_path, [[["--db", db_url, "apply", p]] for p in paths])
    # then all succeeded and the projection equals a rebuild
    assert codes == [[0]] * len(regions)
    ledger = Ledger(db_url)
    try:
        assert tracked_positions(ledger) == [ledger.recorder.max_notification_id()]
        assert_projection_equals_a_rebuild(ledger)
    finally:
        ledger.close()


def tracked_positions(ledger: Ledger) -> list[int]:
    with Projector(ledger).engine.connect() as conn:
        return list(conn.execute(select(tracking.c.position)).scalars())
