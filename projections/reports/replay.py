"""Replay of a term (issue 5): every fact with its consequences, the daily check, the digest.

The facts are applied one by one in the fold's order (effective date, then recording order);
after each one the intervals it opened, closed or withdrew are its consequences. B1.16 timers
that fire between facts are steps of their own. The settled timeline is then checked day by
day (`projections/reports/invariants.py`) and summarised in a digest that the projection's
interval table must reproduce: "replay equals ledger".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection

from ledger.events import EventRetracted, Fact
from ledger.fold import effective_order, new_timeline
from ledger.fold.book import Interval, IntervalKey
from ledger.fold.corrections import corrected, corrections_of
from ledger.fold.timeline import TimelineBuilder
from projections.readmodel.tables import intervals
from projections.reports.audit_view import Finding
from projections.reports.invariants import check_daily
from projections.views.query import fetch, known_at
from projections.views.reads import Row

KIND_ORDER = ("term", "seat", "member", "substitute", "leave", "acting", "role", "entitlement",
              "flag", "person")
CLIPPED_KEYS = ("end_reason", "ended_by")  # set by a later fact when it closes the interval


@dataclass
class Step:
    """One fact (or a B1.16 timer when event_id is None) and what it changed."""

    event_id: str | None
    type: str
    effective: date
    consequences: list[dict[str, Any]]
    source: str = ""
    recorded_at: datetime | None = None
    refused: str | None = None
    corrected_by: str | None = None  # the re-dating that moved it, or the retraction

    def as_json(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "type": self.type,
                "effective": self.effective.isoformat(), "source": self.source,
                "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
                "corrected_by": self.corrected_by, "refused": self.refused,
                "consequences": self.consequences}


@dataclass
class Replay:
    term: str
    until: date | None
    builder: TimelineBuilder
    steps: list[Step] = field(default_factory=list)
    retracted: list[Step] = field(default_factory=list)  # left out of the replay
    violations: list[Finding] = field(default_factory=list)
    checked: tuple[date, date] | None = None

    @cached_property
    def listing(self) -> list[str]:
        """The canonical listing of the replayed intervals (computed once: replay is done)."""
        return canonical_listing(self.term, (_values_of(i) for i in self.builder.intervals))

    @property
    def digest(self) -> str:
        return digest_of(self.listing)


def facts_replayed(facts: Iterable[Fact], until: date | None) -> int:
    """How many steps `replay_term` takes for these facts (the corrected ones up to `until`)."""
    return sum(1 for fact in corrected(list(facts)) if until is None or fact.effective <= until)


def replay_term(term: str, facts: Iterable[Fact], until: date | None = None,
                tick: Callable[[], None] | None = None, today: date | None = None) -> Replay:
    """Replay `facts` of `term` up to `until` (inclusive; all when None) and check each day."""
    builder = new_timeline(term, strict=False)
    replay, differ = Replay(term, until, builder), Differ(builder)
    facts = list(facts)
    corrections = corrections_of(facts)
    replay.retracted = [Step(f.event_id, f.type_name, f.effective, [], f.source, f.timestamp,
                             corrected_by=corrections[f.event_id].event_id) for f in facts
                        if isinstance(corrections.get(f.event_id), EventRetracted)]
    for fact in effective_order(corrected(facts)):
        if until is not None and fact.effective > until:
            break
        replay.steps += _timer_steps(builder, differ, fact.effective)
        replay.steps.append(_step(builder, differ, fact, corrections.get(fact.event_id)))
        if tick is not None:
            tick()
    replay.steps += _timer_steps(builder, differ, until)
    replay.violations = [_unapplied(term, v.rule, v.event_id, v.effective, v.message)
                         for v in builder.violations]
    found, replay.checked = check_daily(term, builder, until, today or date.today())
    replay.violations += found
    return replay


def _step(builder: TimelineBuilder, differ: Differ, fact: Fact,
          correction: Fact | None) -> Step:
    """Apply one fact; its step lists what changed, or why the fold refused it."""
    refused_before = len(builder.violations)
    builder.apply(fact, settle=False)
    refused = builder.violations[refused_before:]
    return Step(fact.event_id, fact.type_name, fact.effective, differ.changes(), fact.source,
                fact.timestamp, refused[0].message if refused else None,
                correction.event_id if correction else None)


def _timer_steps(builder: TimelineBuilder, differ: Differ, day: date | None) -> list[Step]:
    """B1.16: temporary periods that end by `day` (all of them when None)."""
    steps = []
    while builder.timers:
        due = min(t.due for t in builder.timers)
        if day is not None and due > day:
            break
        builder.advance(due)
        changes = differ.changes()
        if changes:
            steps.append(Step(None, "TemporaryPeriodEnded", due, changes))
    return steps


class Differ:
    """The intervals opened, closed or withdrawn since the last call, as consequences."""

    def __init__(self, builder: TimelineBuilder) -> None:
        self.builder = builder
        self.seen: dict[IntervalKey, tuple[date | None, Interval]] = {}
        self.people: set[str] = set()

    def changes(self) -> list[dict[str, Any]]:
        found = []
        for key in self.builder.drain_changes():
            found += self._change(key)
        return sorted(found, key=lambda c: (c["change"] != "closed",
                                            KIND_ORDER.index(c["kind"]), c["seat"],
                                            c["person_id"], c["role"]))

    def _change(self, key: IntervalKey) -> list[dict[str, Any]]:
        interval, before = self.builder.by_key.get(key), self.seen.get(key)
        if interval is None:
            if before is None:
                return []
            del self.seen[key]
            return [_consequence(self.builder, "withdrawn", before[1])]
        if before is not None and before[0] == interval.valid_to:
            return []
        change = "opened" if before is None else "closed"
        self.seen[key] = (interval.valid_to, interval)
        if interval.kind == "person":
            # A person's record matters when it replaces an earlier one (a party change).
            first = interval.person_id not in self.people
            self.people.add(interval.person_id)
            if first or change == "closed":
                return []
        return [_consequence(self.builder, change, interval)]


def _consequence(builder: TimelineBuilder, change: str, interval: Interval) -> dict[str, Any]:
    data = interval.data
    reason = data.get("end_reason") if change == "closed" else data.get("basis") or \
        data.get("rule")
    return {"change": change, "kind": interval.kind, "seat": interval.seat,
            "person_id": interval.person_id, "role": data.get("role", ""),
            "from": interval.valid_from.isoformat(),
            "to": interval.valid_to.isoformat() if interval.valid_to else None,
            "reason": reason, "text": describe(builder, change, interval)}


TEXTS = {  # kind -> (opened, closed)
    "term": ("term {term} starts", "term {term} ends"),
    "seat": ("seat {seat} opens", "seat {seat} closes"),
    "member": ("{who} becomes member of {seat}", "{who} leaves {seat}"),
    "substitute": ("{who} becomes substitute in {seat}", "{who} stops being substitute in {seat}"),
    "acting": ("{who} acts in {seat}", "{who} stops acting in {seat}"),
    "leave": ("{who} goes on leave ({rule}, expected until {expected_until})",
              "{who} returns from leave ({rule}, expected until {expected_until})"),
    "role": ("{who} becomes {role}", "{who} is no longer {role}"),
    "entitlement": ("party {role} gains the B1.11 right to elect a member",
                    "party {role} loses the B1.11 right to elect a member"),
    "flag": ("flagged [{rule}]: {message}", "flag [{rule}] ends"),
    "person": ("{who} is now of party {party}", "{who} was of party {party}"),
}


def describe(builder: TimelineBuilder, change: str, interval: Interval) -> str:
    """One readable line: who entered, who left, who acts, which role changed."""
    who, data = _name(builder, interval.person_id), interval.data
    if change == "withdrawn":
        return f"withdrawn: {interval.kind} {interval.seat or who} from {interval.valid_from}"
    opened, closed = TEXTS.get(interval.kind, ("{kind} {seat} {who}",) * 2)
    text = (closed if change == "closed" else opened).format(
        who=who, seat=interval.seat, term=builder.term, kind=interval.kind,
        rule=data.get("rule"), expected_until=data.get("expected_until"),
        role=data.get("role"), message=data.get("message"), party=data.get("party") or "(none)")
    return f"{text} ({data.get('end_reason')})" if change == "closed" else text


def _name(builder: TimelineBuilder, person_id: str) -> str:
    person = builder.persons.get(person_id)
    return f"{person.name} ({person_id})" if person is not None else person_id


def _unapplied(term: str, rule: str, event_id: str, day: date, message: str) -> Finding:
    return Finding(rule, "error", "unapplied_fact", term, day, None, (), (event_id,),
                   f"stored fact {event_id} could not be applied: {message}")


# -- the digest ---------------------------------------------------------------------------------

Values = tuple[str, str, str, str, date, date | None, dict[str, Any]]


def _values_of(interval: Interval) -> Values:
    return (interval.kind, interval.seat, interval.person_id, str(interval.data.get("role", "")),
            interval.valid_from, interval.valid_to, interval.data)


def _values_of_row(row: Row, until: date | None) -> Values | None:
    """A projection row as the replay up to `until` knows it (later closings not yet seen)."""
    if until is not None and row.valid_from > until:
        return None
    data, valid_to = row.data, row.valid_to
    if until is not None and valid_to is not None and valid_to > until:
        valid_to = None
        data = {k: v for k, v in data.items() if k not in CLIPPED_KEYS}
    return (row.kind, row.seat, row.person_id, row.role, row.valid_from, valid_to, data)


def canonical_listing(term: str, values: Iterable[Values | None]) -> list[str]:
    lines = [json.dumps([term, kind, seat, person, role, start.isoformat(),
                         end.isoformat() if end else None, data],
                        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
             for kind, seat, person, role, start, end, data in (v for v in values if v)]
    return sorted(lines)


def digest_of(listing: list[str]) -> str:
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()


def ledger_listing(conn: Connection, term: str, moment: datetime,
                   until: date | None = None) -> list[str]:
    """The same listing from the projection's interval table, as known at `moment`."""
    rows = fetch(conn, intervals.c.term == term, known_at(moment))
    return canonical_listing(term, (_values_of_row(r, until) for r in rows))


def report(replay: Replay, ledger: list[str], moment: datetime,
           limit: int = 20) -> dict[str, Any]:
    """The JSON of DESIGN.md §3.2, with the rows that differ when the digests do not match."""
    mine = replay.listing
    only_replay, only_ledger = sorted(set(mine) - set(ledger)), sorted(set(ledger) - set(mine))
    as_of = replay.checked[1] if replay.checked else date.today()
    return {
        "term": replay.term, "until": replay.until.isoformat() if replay.until else None,
        "known_at": moment.isoformat(),
        "events": [step.as_json() for step in replay.steps],
        "retracted": [step.as_json() for step in replay.retracted],
        "violations": [v.as_json(as_of) for v in replay.violations],
        "checked": None if replay.checked is None else {
            "from": replay.checked[0].isoformat(), "to": replay.checked[1].isoformat(),
            "days": (replay.checked[1] - replay.checked[0]).days + 1},
        "digest": digest_of(mine), "ledger_digest": digest_of(ledger),
        "matches_ledger": mine == ledger,
        "differences": [{"only_in": "replay", "row": json.loads(r)} for r in only_replay[:limit]]
        + [{"only_in": "ledger", "row": json.loads(r)} for r in only_ledger[:limit]],
    }
