"""Timing of the mandates (issue 14); not a test. Run: .venv/bin/python scripts/bench_mandates.py

1. A synthetic ledger of 1,000 bodies (200 per KKR) over five municipal periods (2010-2029),
   two or three KKR seats each, 10,000+ designations with ends and refills: `mandates --all`
   on random dates (p50, p99; target p99 ≤ 10 ms) beside the raw read of the same rows.
2. The demo: `mandates --all` the same way, and `kkr bluebook REGION` as a whole process
   (target ≤ 0.5 s).
3. Rebuild and replay with the mandate streams: events/s of a rebuild of the synthetic
   mandates ledger beside a membership-only ledger of about the same size (target: the same).
"""

from __future__ import annotations

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
from pathlib import Path
from typing import Any

from bench import percentile
from synthetic import synthetic_history

from commands.batch import apply_batch, parse_lines
from ledger.geography import REGION_NAMES, municipalities_of
from ledger.store.application import Ledger
from projections.readmodel.catchup import Projector
from projections.views.mandates import mandates

PERIODS = (2010, 2014, 2018, 2022, 2026)
BODIES_PER_REGION = 200
GROUPS = ("A", "V", "C", "F", "Ø")
QUERIES = 500


def mandate_lines(seed: int = 11) -> Iterator[dict[str, Any]]:
    """Valid batch lines, in date order: bodies, posts per period, designations, refills."""
    rng = random.Random(seed)
    serial = 0

    def person(region: str) -> dict[str, str]:
        nonlocal serial
        serial += 1
        town = rng.choice(municipalities_of(region)).name
        return {"person_id": f"syn-d{serial}", "name": f"Designee {serial}",
                "municipality": town, "party": rng.choice(GROUPS)}

    bodies = [(region, f"syn-{region[:4]}-{n}") for region in REGION_NAMES
              for n in range(BODIES_PER_REGION)]
    for region, body in bodies:
        yield {"command": "register_body", "effective": "2010-01-15", "body": body,
               "name": f"Body {body}", "region": region}
    for year in PERIODS:
        start = date(year, 2, 1)
        for region, body in bodies:
            seats = 2 + sum(map(ord, body)) % 2
            yield {"command": "define_posts", "effective": start.isoformat(), "body": body,
                   "kkr_seats": seats}
            for _ in range(seats):
                yield {"command": "designate", "effective": start.isoformat(), "body": body,
                       "person": person(region)}
        yield from _refills(bodies, start, rng, person)


def _refills(bodies: list[tuple[str, str]], start: date, rng: random.Random,
             person: Callable[[str], dict[str, str]]) -> Iterator[dict[str, Any]]:
    """One body in ten: a designee leaves in the period's second year and is replaced."""
    day = start + timedelta(days=400)
    for region, body in bodies[::10]:
        yield {"command": "end_designation", "effective": day.isoformat(), "body": body,
               "person_id": "", "reason": "relieved"}  # filled in by `resolve_ends`
        yield {"command": "designate", "effective": (day + timedelta(days=30)).isoformat(),
               "body": body, "person": person(region)}


def resolve_ends(lines: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Name the designee an `end_designation` ends: the body's latest one."""
    latest: dict[str, str] = {}
    for line in lines:
        if line["command"] == "designate":
            latest[line["body"]] = line["person"]["person_id"]
        elif line["command"] == "end_designation":
            line["person_id"] = latest[line["body"]]
        yield line


def load(db: Path, lines: list[dict[str, Any]]) -> tuple[Ledger, Projector, float]:
    ledger = Ledger(f"sqlite:///{db}")
    start = time.perf_counter()
    apply_batch(ledger, parse_lines([json.dumps(line) for line in lines]), "bench")
    projector = Projector(ledger)
    projector.catch_up()
    return ledger, projector, time.perf_counter() - start


def latencies(projector: Projector, days: list[date]) -> list[float]:
    moment, found = datetime.now(UTC), []
    with projector.engine.connect() as conn:
        for day in days:
            start = time.perf_counter()
            mandates(conn, day, moment)
            found.append((time.perf_counter() - start) * 1000)
    return found


def raw_latencies(db: Path, days: list[date]) -> list[float]:
    """The same rows through sqlite3, without composing anything."""
    conn, found = sqlite3.connect(db), []
    sql = ("SELECT term, kind, seat, person_id, data FROM kkr_intervals WHERE term >= 'body:' "
           "AND term < 'body;' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
           "AND recorded_to IS NULL AND kind IN ('body', 'posts', 'designated', 'deputy', "
           "'vacancy')")
    for day in days:
        start = time.perf_counter()
        conn.execute(sql, (day.isoformat(), day.isoformat())).fetchall()
        found.append((time.perf_counter() - start) * 1000)
    conn.close()
    return found


def report(name: str, measured: list[float], raw: list[float]) -> None:
    p50, p99 = statistics.median(measured), percentile(measured, 0.99)
    print(f"  {name:38} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms   raw read p50 "
          f"{statistics.median(raw):5.2f} ms ({p50 / statistics.median(raw):4.1f}×)  "
          f"target p99 ≤ 10 ms")


def rebuild_rate(projector: Projector) -> tuple[int, float]:
    start = time.perf_counter()
    done = projector.rebuild(workers=0)
    return done, done / (time.perf_counter() - start)


def bench_synthetic(folder: Path) -> None:
    lines = list(resolve_ends(mandate_lines()))
    ledger, projector, took = load(folder / "mandates.sqlite", lines)
    designations = sum(1 for line in lines if line["command"] == "designate")
    print(f"synthetic: {BODIES_PER_REGION * 5} bodies, {designations} designations, "
          f"{len(lines)} lines (applied and projected in {took:.1f} s)")
    rng = random.Random(3)
    days = [date(2010, 1, 1) + timedelta(days=rng.randrange(365 * 20)) for _ in range(QUERIES)]
    report("mandates --all (one date)", latencies(projector, days),
           raw_latencies(folder / "mandates.sqlite", days))
    done, rate = rebuild_rate(projector)
    members = Ledger(f"sqlite:///{folder / 'members.sqlite'}")
    history = list(synthetic_history(max(1, done // 500), 500))
    apply_batch(members, parse_lines([json.dumps(line) for line in history]), "bench")
    member_projector = Projector(members)
    member_done, member_rate = rebuild_rate(member_projector)
    print(f"  rebuild, mandates only               {rate:8.0f} ev/s ({done} events)\n"
          f"  rebuild, memberships only            {member_rate:8.0f} ev/s ({member_done} "
          f"events)   ratio {rate / member_rate:.2f} (target ≈ 1)")
    ledger.close()
    members.close()


def bench_demo(folder: Path) -> None:
    db = folder / "demo.sqlite"
    kkr = [str(Path(sys.executable).parent / "kkr"), "--db", f"sqlite:///{db}"]
    subprocess.run([*kkr, "demo"], check=True, capture_output=True)
    ledger = Ledger(f"sqlite:///{db}")
    projector = Projector(ledger)
    rng = random.Random(5)
    days = [date(2022, 1, 1) + timedelta(days=rng.randrange(365 * 5)) for _ in range(QUERIES)]
    report("demo: mandates --all", latencies(projector, days), raw_latencies(db, days))
    ledger.close()
    for region in ("nordjylland", "midtjylland"):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([*kkr, "bluebook", region, "--on", "2023-06-01"], check=True,
                           capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            runs.append(time.perf_counter() - start)
        print(f"  demo: kkr bluebook {region:17} median {statistics.median(runs) * 1000:6.0f} ms"
              f" as a process (target ≤ 500 ms)")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        bench_synthetic(Path(folder))
        bench_demo(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
