"""The speed figures of DESIGN.md §4, each beside a raw SQLite baseline measured in the same run.

Run with `scripts/bench [--events N] [--out FILE]`; the tables go to stdout, and with --out to
FILE as a report of their own (docs/benchmarks.md is the curated record: copy what a run
shows there, with the command that produced it).
Ratios, not absolute times, are the comparable result: the machines here are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from bench_startup import report as startup_report
from synthetic import synthetic_history

from commands.batch import apply_batch, parse_lines
from ledger.events import ChairElected
from ledger.store.application import Ledger
from ledger.values import Envelope, TermId
from projections.readmodel.catchup import Projector
from projections.reports.replay import replay_term
from projections.views.roster import roster_of_term

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 20_000  # lines per `apply` batch when loading large histories


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def load(ledger: Ledger, projector: Projector, events: int, per_term: int) -> tuple[float, int]:
    """Bulk apply in date order, chunk by chunk, each followed by its catch-up (as `kkr apply`)."""
    lines = synthetic_history(max(1, events // per_term), per_term)
    seconds, count = 0.0, 0
    while chunk := [json.dumps(line) for line in islice(lines, CHUNK)]:
        commands = parse_lines(chunk)
        spent, _ = timed(lambda c=commands: apply_and_catch_up(ledger, projector, c))
        seconds, count = seconds + spent, count + len(chunk)
    return seconds, count


def apply_and_catch_up(ledger: Ledger, projector: Projector, commands: list[Any]) -> None:
    changes = apply_batch(ledger, commands, "bench", track_changes=True).changes
    projector.catch_up(changes)
    if changes is not None:
        changes.close()


# `kkr apply FILE` in a process of its own; prints its seconds and its peak memory (VmHWM).
APPLY_CODE = """
import re, sys, time
from commands.cli.main import kkr
start = time.perf_counter()
try:
    kkr.main(args=sys.argv[1:], prog_name="kkr")
except SystemExit as done:
    assert not done.code, done.code
status = open("/proc/self/status").read()
print(time.perf_counter() - start, re.search(r"VmHWM:\\s*(\\d+)", status).group(1))
"""


def apply_in_subprocess(lines: int, per_term: int, folder: Path) -> tuple[float, float]:
    """`kkr apply` of a file of `lines` synthetic lines in date order into a new database:
    seconds and the peak memory (MiB) of that process alone (VmHWM, as for the rebuild)."""
    path, db = folder / f"apply-{lines}.jsonl", folder / f"apply-{lines}.sqlite"
    with path.open("w", encoding="utf-8") as file:
        history = synthetic_history(max(1, lines // per_term), per_term)
        for line in islice(history, lines):
            file.write(json.dumps(line) + "\n")
    out = subprocess.run([sys.executable, "-c", APPLY_CODE, "--db", f"sqlite:///{db}",
                          "apply", str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()[-2:]  # after what `kkr apply` prints
    path.unlink()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return float(out[0]), float(out[1]) / 1024


def apply_memory(sizes: list[int], per_term: int, folder: Path) -> Iterator[list[str]]:
    """Issue 12: the peak memory of `kkr apply` by the length of the file, from applying one
    line (the process's fixed cost) up, and what each line adds over the row before."""
    _, floor = apply_in_subprocess(1, per_term, folder)
    yield ["1", f"{floor:,.0f} MiB", "", ""]
    before_lines, before_peak = 1, floor
    for lines in sizes:
        seconds, peak = apply_in_subprocess(lines, per_term, folder)
        per_line = (peak - before_peak) * 2**20 / (lines - before_lines)
        yield [f"{lines:,}", f"{peak:,.0f} MiB", f"{per_line:,.0f} bytes",
               f"{lines / seconds:,.0f} lines/s"]
        before_lines, before_peak = lines, peak


def raw_rows(db: Path) -> list[tuple[bytes, int, str, bytes]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT originator_id, originator_version, topic, state "
                            "FROM kkr_events ORDER BY id").fetchall()


def raw_insert(rows: list[tuple[bytes, int, str, bytes]], folder: Path) -> float:
    """Baseline: the same stored events into a bare table with executemany, one commit."""
    conn = sqlite3.connect(folder / "raw.sqlite")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE e (id INTEGER PRIMARY KEY, o BLOB, v INT, t TEXT, s BLOB, "
                 "UNIQUE (o, v))")
    seconds, _ = timed(lambda: (conn.executemany("INSERT INTO e (o, v, t, s) VALUES "
                                                 "(?, ?, ?, ?)", rows), conn.commit()))
    conn.close()
    return seconds


def raw_read(db: Path) -> float:
    """Baseline: read every stored event and parse its JSON."""
    def read() -> None:
        with sqlite3.connect(db) as conn:
            for (state,) in conn.execute("SELECT state FROM kkr_events ORDER BY id"):
                json.loads(state)
    return timed(read)[0]


def rebuild_in_subprocess(db: Path) -> tuple[float, float, float]:
    """Full rebuild in a fresh process: seconds, the peak memory (MiB) of that process and
    the largest peak of its worker processes (0 when it folded every term itself).

    The peak is the process's own high-water mark (VmHWM): Linux carries `ru_maxrss` over
    fork and exec, so a process started by this one, which holds the whole history, would
    report this one's size."""
    code = ("import re,resource as r,time;from ledger.store.application import Ledger;"
            "from projections.readmodel.catchup import Projector;t=time.perf_counter();"
            f"Projector(Ledger('sqlite:///{db}')).rebuild();"
            "s=open('/proc/self/status').read();"
            "print(time.perf_counter()-t, re.search(r'VmHWM:\\s*(\\d+)',s).group(1),"
            " r.getrusage(r.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    return float(out[0]), float(out[1]) / 1024, float(out[2]) / 1024


def roster_latencies(projector: Projector, terms: list[str], queries: int) -> list[float]:
    rng, now, spent = random.Random(1), datetime.now(UTC), []
    with projector.engine.connect() as conn:
        for _ in range(queries):
            term = rng.choice(terms)
            day = date(TermId.parse(term).year, 3, 1) + timedelta(days=rng.randint(0, 1300))
            spent.append(timed(lambda t=term, d=day: roster_of_term(conn, t, d, now))[0])
    return spent


def raw_roster_latencies(db: Path, terms: list[str], queries: int) -> list[float]:
    """Baseline: the same indexed interval query through sqlite3, rows fetched, no objects."""
    rng, now, spent = random.Random(1), datetime.now(UTC).replace(tzinfo=None).isoformat(), []
    sql = ("SELECT * FROM kkr_intervals WHERE term = ? AND valid_from <= ? AND (valid_to IS NULL"
           " OR valid_to > ?) AND recorded_from <= ? AND (recorded_to IS NULL OR "
           "recorded_to > ?)")
    with sqlite3.connect(db) as conn:
        for _ in range(queries):
            term = rng.choice(terms)
            day = (date(TermId.parse(term).year, 3, 1) +
                   timedelta(days=rng.randint(0, 1300))).isoformat()
            spent.append(timed(lambda t=term, d=day: conn.execute(
                sql, (t, d, d, now, now)).fetchall())[0])
    return spent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def replay_one(ledger: Ledger, term: str) -> float:
    facts = ledger.stream(TermId.parse(term).uuid)
    runs = [timed(lambda: replay_term(term, facts, today=date(2030, 1, 1)))[0] for _ in range(5)]
    return statistics.median(runs)


def raw_term_read(db: Path, term: str) -> float:
    uuid_bytes = TermId.parse(term).uuid.bytes
    def read() -> None:
        with sqlite3.connect(db) as conn:
            for (state,) in conn.execute("SELECT state FROM kkr_events WHERE originator_id = ? "
                                         "ORDER BY originator_version", (uuid_bytes,)):
                json.loads(state)
    return statistics.median(timed(read)[0] for _ in range(5))


def measure(events: int, per_term: int, queries: int, folder: Path) -> Iterator[list[str]]:
    db = folder / "bench.sqlite"
    ledger = Ledger(f"sqlite:///{db}")
    projector = Projector(ledger)
    seconds, count = load(ledger, projector, events, per_term)
    raw = raw_insert(raw_rows(db), folder)
    yield ["bulk apply in date order (apply + catch-up)", f"{count / seconds:,.0f} events/s",
           f"{count / raw:,.0f} events/s", f"{raw / seconds:.3f}", "≥ 5,000 events/s"]
    rebuild, peak, worker_peak = rebuild_in_subprocess(db)
    raw = raw_read(db)
    workers = f" + {os.cpu_count()} workers × {worker_peak:,.0f} MiB" if worker_peak else ""
    yield ["full rebuild", f"{count / rebuild:,.0f} events/s, peak {peak:,.0f} MiB{workers}",
           f"{count / raw:,.0f} events/s", f"{raw / rebuild:.3f}",
           "≥ 20,000 events/s in ≤ 1 GB"]
    terms = sorted({t for t in _terms(count, per_term)})
    ours, raw_q = roster_latencies(projector, terms, queries), raw_roster_latencies(
        db, terms, queries)
    yield [f"roster query at {count:,} events (p50 / p99)",
           f"{percentile(ours, .5) * 1e3:.2f} / {percentile(ours, .99) * 1e3:.2f} ms",
           f"{percentile(raw_q, .5) * 1e3:.2f} / {percentile(raw_q, .99) * 1e3:.2f} ms",
           f"{percentile(raw_q, .99) / percentile(ours, .99):.3f}", "p99 ≤ 5 ms at 1,000,000"]
    replay, raw = replay_one(ledger, terms[0]), raw_term_read(db, terms[0])
    yield [f"one-term replay with daily checks ({per_term} events)", f"{replay * 1e3:.0f} ms",
           f"{raw * 1e3:.1f} ms", f"{raw / replay:.3f}", "≤ 100 ms"]
    ledger.close()
    yield from append_costs()


def append_costs(sizes: tuple[int, ...] = (100, 1000, 5000)) -> Iterator[list[str]]:
    """Issue 3: the cost of one more command on a loaded term, in date order and back-dated.
    Baseline: loading and folding the whole term, what every command would cost without the
    incremental fold."""
    for size in sizes:
        lines = list(synthetic_history(1, size))
        ledger = Ledger("sqlite:///:memory:")
        apply_batch(ledger, parse_lines([json.dumps(line) for line in lines]), "bench")
        term_id = TermId.parse(lines[0]["term"])
        mayors = [p["person"]["person_id"] for p in lines[0]["members"] if p["seat"] == "mayor"]
        costs = [statistics.median(_append_once(ledger, term_id, mayors[2 + n % 5], back)
                                   for n in range(7)) for back in (False, True)]
        load = statistics.median(_load_once(ledger, term_id) for _ in range(3))
        events = len(ledger.stream(term_id.uuid))
        ledger.close()
        yield [f"one command on a loaded term of {events:,} events (in order / back-dated)",
               f"{costs[0] * 1e3:.2f} / {costs[1] * 1e3:.1f} ms",
               f"load + full fold {load * 1e3:.0f} ms", f"{load / costs[0]:.0f}",
               "in order: no refold"]


def _load_once(ledger: Ledger, term_id: TermId) -> float:
    def load() -> None:
        term = ledger.find_term(term_id)
        assert term is not None
        _ = term.timeline
    return timed(load)[0]


def _append_once(ledger: Ledger, term_id: TermId, person_id: str, back_dated: bool) -> float:
    term = ledger.find_term(term_id)
    assert term is not None and term.timeline.start is not None
    horizon = term.timeline.horizon or term.timeline.start
    day = term.timeline.start + timedelta(days=10) if back_dated else horizon
    return timed(lambda: term.record_fact(ChairElected, Envelope(effective=day),
                                          role="vice_chair", person_id=person_id))[0]


def _terms(count: int, per_term: int) -> Iterator[str]:
    regions = ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"]
    for index in range(max(1, count // per_term)):
        yield f"{regions[index % 5]}/{2010 + 4 * (index // 5)}"


def markdown(rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(r) + " |" for r in [rows[0], ["---"] * len(rows[0]),
                                                          *rows[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000, help="size of the history")
    parser.add_argument("--per-term", type=int, default=500, help="events per term")
    parser.add_argument("--queries", type=int, default=1000, help="roster queries timed")
    parser.add_argument("--apply-lines", default="10000,100000,300000",
                        help="file lengths for the peak memory of `kkr apply` (empty: none)")
    parser.add_argument("--out", help="also write the report to this file (markdown)")
    parser.add_argument("--startup", action="store_true",
                        help="only the start-up figures")
    args = parser.parse_args()
    if args.startup:
        with tempfile.TemporaryDirectory() as folder:
            print(startup_report(Path(folder)))
        return
    header = ["measure", "kkr ledger", "raw SQLite baseline", "raw / ours", "target"]
    sizes = [int(n) for n in args.apply_lines.split(",") if n.strip()]
    with tempfile.TemporaryDirectory() as folder:
        rows = list(measure(args.events, args.per_term, args.queries, Path(folder)))
        memory = list(apply_memory(sizes, args.per_term, Path(folder))) if sizes else []
        startup = startup_report(Path(folder))
    table = markdown([header, *rows])
    if memory:
        table += "\n\nPeak memory of `kkr apply FILE` (synthetic lines in date order, a new " \
                 "SQLite file; target ≤ 200 MB at 100,000 lines, < 1 KB more a line):\n\n" + \
                 markdown([["lines", "peak (VmHWM)", "a line more, over the row before",
                            "speed (start-up included)"],
                           *memory])
    print(f"{table}\n\n{startup}")
    if args.out:
        write_report(Path(args.out), args, table, startup)


def write_report(path: Path, args: argparse.Namespace, table: str, startup: str) -> None:
    command = " ".join(["scripts/bench", *sys.argv[1:]])
    path.write_text(
        f"# Benchmarks\n\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
        f"{os.cpu_count()} cores with `{command}` (SQLite file, synthetic history of "
        f"{args.events:,} events, {args.per_term} per term).\n\n{table}\n\n"
        "raw / ours: the baseline's time over ours for the same work (1.0 = as fast as raw "
        "sqlite3; for latencies, the baseline's p99 over ours). For one command on a loaded "
        "term the baseline is loading and folding the whole term, what a command would cost "
        "without the incremental fold.\n\n## Start-up\n\nWhole `kkr` processes on the demo "
        "data, each round's times divided by that round's `python -c pass` (ratios are the "
        f"comparable figure), and the import cost of a roster's top-level modules:\n\n"
        f"{startup}\n")


if __name__ == "__main__":
    main()
