"""What the audit and the replay work on: findings, half-open spans, the indexed timeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ledger.fold.book import Interval
from ledger.fold.timeline import TimelineBuilder
from projections.views.spans import Span, overlaps, span

__all__ = ["Finding", "Span", "View", "around", "dated", "gaps", "overlaps", "party_on", "span"]



@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    check: str  # which audit check found it: a stable name, e.g. "member_without_substitute"
    term: str
    start: date
    end: date | None
    persons: tuple[str, ...]
    events: tuple[str, ...]
    message: str

    def days(self, as_of: date) -> int:
        """How long it lasted, or has lasted by `as_of` while still open."""
        last = self.end if self.end is not None else max(as_of + timedelta(days=1), self.start)
        return (last - self.start).days

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, first: date | None, last: date | None) -> bool:
        """Whether it holds on some day of the inclusive window first..last (None: open)."""
        return (last is None or self.start <= last) and (
            first is None or self.end is None or self.end > first)

    def as_json(self, as_of: date) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "check": self.check,
                "term": self.term, "from": self.start.isoformat(),
                "to": self.end.isoformat() if self.end else None, "days": self.days(as_of),
                "persons": list(self.persons), "events": list(self.events),
                "message": self.message}


# -- spans ------------------------------------------------------------------------------------


def gaps(span: Span, covers: Iterable[Span]) -> list[Span]:
    """The parts of `span` that none of `covers` covers."""
    start, end = span
    stop, cursor = end or date.max, start
    found: list[tuple[date, date]] = []
    for s, e in sorted(covers, key=lambda c: c[0]):
        if (e or date.max) <= cursor or s >= stop:
            continue
        if s > cursor:
            found.append((cursor, s))
        cursor = max(cursor, e or date.max)
    if cursor < stop:
        found.append((cursor, stop))
    return [(s, None if e == date.max else e) for s, e in found]


# -- the folded term, indexed -----------------------------------------------------------------


@dataclass
class View:
    """The settled timeline of one term, indexed by kind and seat or person."""

    builder: TimelineBuilder
    as_of: date
    by_seat: dict[tuple[str, str], list[Interval]] = field(default_factory=dict)
    by_person: dict[tuple[str, str], list[Interval]] = field(default_factory=dict)
    kinds: dict[str, list[Interval]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_seat, by_person, kinds = defaultdict(list), defaultdict(list), defaultdict(list)
        for interval in self.builder.intervals:
            by_seat[(interval.kind, interval.seat)].append(interval)
            by_person[(interval.kind, interval.person_id)].append(interval)
            kinds[interval.kind].append(interval)
        self.by_seat, self.by_person, self.kinds = dict(by_seat), dict(by_person), dict(kinds)

    @property
    def term(self) -> str:
        return str(self.builder.term)

    @property
    def term_span(self) -> Span:
        terms = self.kinds.get("term", [])
        return span(terms[0]) if terms else (date.max, None)

    def at(self, kind: str, seat: str) -> list[Interval]:
        return self.by_seat.get((kind, seat), [])

    def of(self, kind: str, person_id: str) -> list[Interval]:
        return self.by_person.get((kind, person_id), [])

    def name(self, person_id: str) -> str:
        return self.builder.name(person_id)

    def finding(self, rule: str, severity: str, check: str, where: Span, persons: Iterable[str],
                events: Iterable[str | None], message: str) -> Finding:
        ids = tuple(dict.fromkeys(e for e in events if e))
        return Finding(rule, severity, check, self.term, where[0], where[1],
                       tuple(dict.fromkeys(persons)), ids, message)


def around(intervals: Iterable[Interval], where: Span) -> list[str | None]:
    """The events that opened a gap (ended an interval at its start) and closed it."""
    found: list[str | None] = []
    for interval in intervals:
        if interval.valid_to == where[0]:
            found.append(interval.data.get("ended_by"))
        if interval.valid_from == where[1]:
            found.append(interval.data.get("cause"))
    return found


def dated(where: Span) -> str:
    return f"from {where[0]}" + (f" to {where[1]}" if where[1] else " (still open)")


def party_on(view: View, person_id: str, day: date) -> str:
    """The person's party on `day` (a party change opens a new person record)."""
    for record in view.of("person", person_id):
        if record.holds_on(day):
            return str(record.data.get("party", ""))
    return ""
