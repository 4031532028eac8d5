"""Timing of the reports (issue 5); not a test. Run: .venv/bin/python scripts/bench_reports.py

1. A synthetic term (hovedstaden/2022, ~500 facts over four years: leave, departures with
   B1.13 succession, new substitutes, mayor changes, chair elections) in a temporary SQLite
   file: replay with the daily checks, and the digest against the projection.
2. The demo data: the audit of all five KKR of the 2022 period.
Medians of several runs; the targets are 100 ms and 1 s.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from commands.batch import apply_batch, parse_lines
from ledger.errors import RuleViolation
from ledger.events import (
    ChairElected,
    Fact,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MembershipEnded,
    SubstituteAppointed,
)
from ledger.geography import municipalities_of
from ledger.store.application import Ledger, UnitOfWork
from ledger.term import Term
from ledger.values import ConstitutionPlace, Envelope, Person, TermId
from projections.readmodel.catchup import Projector
from projections.reports.audit import audit_term
from projections.reports.replay import ledger_listing, replay_term, report

TERM = "hovedstaden/2022"
START, END = date(2022, 1, 27), date(2025, 12, 20)
EVENTS = 500
RUNS = 7
PARTIES = ("A", "C", "V", "Ø", "F", "B")


class Synthetic:
    """A seeded stream of valid facts for one term; refused candidates are simply skipped."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.towns = [m.name for m in municipalities_of("hovedstaden")]
        self.serial = 0
        self.pending: list[tuple[date, type[Fact], dict[str, Any]]] = []

    def person(self, town: str, party: str) -> Person:
        self.serial += 1
        return Person(person_id=f"syn-{self.serial}", name=f"Synthetic Person {self.serial}",
                      municipality=town, party=party)

    def constitution(self) -> list[ConstitutionPlace]:
        places = [ConstitutionPlace(person=self.person(t, self.rng.choice(PARTIES)), seat="mayor",
                                    substitute=self.person(t, "C"), basis="first_vice_mayor")
                  for t in self.towns]
        for n in range(25):
            town, party = self.towns[n % len(self.towns)], PARTIES[n % len(PARTIES)]
            places.append(ConstitutionPlace(person=self.person(town, party), seat="party",
                                            substitute=self.person(town, party)))
        return places

    def candidate(self, term: Term, day: date) -> tuple[type[Fact], dict[str, Any]]:
        timeline = term.timeline
        members = [p for p, (_s, c) in timeline.places.items() if c == "member"
                   and p not in timeline.leaves and p not in timeline.roles.values()]
        pick = self.rng.random()
        if "chair" not in timeline.roles or "vice_chair" not in timeline.roles:
            role = "chair" if "chair" not in timeline.roles else "vice_chair"
            return ChairElected, {"role": role, "person_id": self.rng.choice(members)}
        who = self.rng.choice(members)
        seat = timeline.seats[timeline.places[who][0]]
        if pick < 0.35:
            back = day + timedelta(days=self.rng.randint(95, 200))
            self.pending.append((back, LeaveEnded, {"person_id": who}))
            reason = "relieved_of_council_duties" if seat.kind == "mayor" else "health"
            return LeaveStarted, {"person_id": who, "expected_until": back, "reason": reason,
                                  "decided_on": None if seat.kind == "mayor" else day}
        if pick < 0.6:
            return SubstituteAppointed, {"person": self.person(seat.municipality, seat.party)
                                         if seat.kind == "party" else
                                         self.person(seat.municipality, "C"),
                                         "for_member": who, "basis": None if seat.kind ==
                                         "party" else "first_vice_mayor"}
        if pick < 0.85 and seat.kind == "party":
            later = day + timedelta(days=self.rng.randint(10, 60))
            self.pending.append((later, SubstituteAppointed, {
                "person": self.person(seat.municipality, seat.party), "for_member": seat.seat}))
            return MembershipEnded, {"person_id": who, "reason": "resigned"}
        return MayorChanged, {"municipality": self.rng.choice(self.towns),
                              "person": self.person(self.rng.choice(self.towns), "A")}

    def facts(self, unit: UnitOfWork) -> int:
        term_id = TermId.parse(TERM)
        unit.constitute(term_id, Envelope(effective=START), self.constitution(),
                        chair="syn-1", vice_chair="syn-3")
        term, day, recorded = unit.term(term_id), START, 1
        step = (END - START).days / EVENTS
        while recorded < EVENTS and day < END:
            day += timedelta(days=max(1, round(self.rng.expovariate(1 / step))))
            recorded += self._record_due(term, day) + self._record_one(term, day)
        return recorded

    def _record_due(self, term: Term, day: date) -> int:
        due = sorted((p for p in self.pending if p[0] <= day), key=lambda p: p[0])
        self.pending = [p for p in self.pending if p[0] > day]
        return sum(self._try(term, when, cls, payload) for when, cls, payload in due)

    def _record_one(self, term: Term, day: date) -> int:
        for _ in range(10):
            cls, payload = self.candidate(term, day)
            if self._try(term, day, cls, payload):
                return 1
        return 0

    @staticmethod
    def _try(term: Term, day: date, cls: type[Fact], payload: dict[str, Any]) -> int:
        if cls is MayorChanged:
            town = payload["municipality"]
            payload["person"] = payload["person"].model_copy(update={"municipality": town})
        try:
            term.record_fact(cls, Envelope(effective=day), **payload)
        except RuleViolation:
            return 0
        return 1


def timed(function: Callable[[], Any], runs: int = RUNS) -> tuple[str, Any]:
    """Median wall time and CPU time in milliseconds (the CPU time is steadier on a busy
    machine), and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return f"{statistics.median(wall):7.1f} ms (cpu {statistics.median(cpu):6.1f})", result


def bench_replay(folder: Path) -> None:
    ledger = Ledger(f"sqlite:///{folder / 'synthetic.sqlite'}")
    count = ledger.execute(Synthetic().facts)
    projector = Projector(ledger)
    projector.catch_up()
    uuid, moment = TermId.parse(TERM).uuid, datetime.now(UTC)
    load_ms, facts = timed(lambda: ledger.stream(uuid))
    replay_ms, replay = timed(lambda: replay_term(TERM, facts))

    def compare() -> dict[str, Any]:
        with projector.engine.connect() as conn:
            return report(replay, ledger_listing(conn, TERM, moment), moment)

    compare_ms, result = timed(compare)
    days = result["checked"]["days"]
    print(f"synthetic {TERM}: {len(facts)} facts ({count} recorded), {len(replay.steps)} steps,"
          f" {len(replay.builder.intervals)} intervals, {days} days checked")
    print(f"  load the stream from SQLite          {load_ms}")
    print(f"  replay + daily invariant check       {replay_ms}   (target ≤ 100 ms)")
    print(f"  digest vs projection + JSON report   {compare_ms}   "
          f"matches_ledger={result['matches_ledger']}, violations={len(result['violations'])}")
    audit_ms, findings = timed(lambda: audit_term(TERM, facts, END))
    print(f"  audit of the synthetic term          {audit_ms}   ({len(findings)} findings)")
    ledger.close()


def bench_audit(folder: Path) -> None:
    ledger = Ledger(f"sqlite:///{folder / 'demo.sqlite'}")
    demo = resources.files("commands.data").joinpath("demo")
    lines: list[str] = []
    for name in ("01-constitutions.jsonl", "02-changes-2022.jsonl"):
        lines += demo.joinpath(name).read_text("utf-8").splitlines()
    apply_batch(ledger, parse_lines(lines), "bench")
    terms = [f"{r}/2022" for r in ("hovedstaden", "sjaelland", "syddanmark", "midtjylland",
                                   "nordjylland")]
    today = date.today()

    def audit_all() -> int:
        return sum(len(audit_term(t, ledger.stream(TermId.parse(t).uuid), today)) for t in terms)

    total_ms, count = timed(audit_all)
    print(f"demo: audit of all five KKR 2022 (load + fold + checks)\n"
          f"  {'':37}{total_ms}   (target ≤ 1000 ms; {count} findings)")
    ledger.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        bench_replay(Path(folder))
        bench_audit(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
