"""The interval book every fold keeps: intervals, what changed, timers, and lenient replay.

Intervals are half-open `[valid_from, valid_to)`. A book applies one fact at a time in
effective-date order through its `HandlerTable`; a handler checks a fact completely before it
changes anything, so an aggregate can ask whether a command is allowed (strict) and a
projection can replay stored history that a later, stricter rule would refuse (lenient: the
fact is skipped and reported). A term's timeline (`timeline.py`) and a body's seats
(`body_book.py`) are books.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from ledger.errors import RuleViolation
from ledger.events import EventRedated, EventRetracted, Fact
from ledger.values import Person

IntervalKey = tuple[str, str, str, str, date]
Slot = tuple[str, str, str, str]


@dataclass
class Interval:
    """One fact of a timeline: a seat, a member, a designation, a vacancy, ..."""

    kind: str
    seat: str
    person_id: str
    valid_from: date
    valid_to: date | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # The identity: what it is, where, whose, which role, from when (none of which changes).
    key: IntervalKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.key = (self.kind, self.seat, self.person_id, self.data.get("role", ""),
                    self.valid_from)

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass
class Violation:
    """A stored fact the fold could not apply (lenient mode): replay and audit report it."""

    rule: str
    event_id: str
    effective: date
    message: str


class Timer(Protocol):
    """A consequence due on a later date."""

    @property
    def due(self) -> date: ...


@dataclass(frozen=True)
class HandlerTable:
    """What a book does with each kind of fact, and with a timer that falls due."""

    facts: Mapping[type[Fact], Callable[[Any, Any], None]]
    timer: Callable[[Any, Any], None]


class IntervalBook:
    """The state a fold keeps; `apply` one fact at a time, in effective-date order."""

    DUPLICATE_RULE = "B1.2"  # the rule a second identical interval on one day breaks

    def __init__(self, handlers: HandlerTable, *, strict: bool = True) -> None:
        self.handlers = handlers
        self.strict = strict
        self.intervals: list[Interval] = []
        self.by_key: dict[IntervalKey, Interval] = {}
        self.open: dict[Slot, Interval] = {}
        self.persons: dict[str, Person] = {}
        self.timers: list[Any] = []
        self.start: date | None = None
        self.end: date | None = None
        self.horizon: date | None = None  # the latest date the book has settled up to
        self.violations: list[Violation] = []
        # What changed since the last drain; not kept while a whole history is folded.
        self.recording = True
        self.changed: set[IntervalKey] = set()
        self.added: set[IntervalKey] = set()  # the changed keys that are new intervals
        self.removed: set[IntervalKey] = set()  # keys that existed before and were dropped

    # -- applying facts -------------------------------------------------------------------

    def apply(self, fact: Fact, *, settle: bool = True) -> None:
        """Apply one fact dated no earlier than the last; settle due timers after it."""
        self.advance(fact.effective)
        handler = self.handlers.facts.get(type(fact))
        if handler is not None:
            try:
                self.ensure_in_stream(fact)
                handler(self, fact)
            except RuleViolation as violation:
                if self.strict:
                    raise
                self.violations.append(
                    Violation(violation.rule, fact.event_id, fact.effective, violation.reason))
        self.horizon = max(self.horizon or fact.effective, fact.effective)
        if settle:
            self.advance(None)

    def ensure_in_stream(self, fact: Fact) -> None:
        """Refuse a fact dated outside the stream's life (a term's period, a body's)."""

    def advance(self, day: date | None) -> None:
        """Fire the timers due by `day` (all of them when None), in date order."""
        if not self.timers:  # nearly always
            return
        while self.timers:
            timer = min(self.timers, key=lambda t: t.due)
            if day is not None and timer.due > day:
                return
            self.timers.remove(timer)
            if self.end is None or timer.due < self.end:
                self.handlers.timer(self, timer)
                self.horizon = max(self.horizon or timer.due, timer.due)

    def accepts_in_order(self, fact: Fact) -> bool:
        """True when `fact` can be applied on top (nothing settled lies after its date).

        A correction never can: it changes an earlier fact, so the stream is refolded.
        """
        if isinstance(fact, EventRetracted | EventRedated):
            return False
        return self.horizon is None or fact.effective >= self.horizon

    # -- interval bookkeeping -------------------------------------------------------------

    def open_interval(self, kind: str, seat: str, person_id: str, day: date,
                      **data: Any) -> Interval:
        interval = Interval(kind, seat, person_id, day, None, data)
        slot = (kind, seat, person_id, data.get("role", ""))
        if slot in self.open:
            self.close_interval(slot, day, "replaced")
        self.open[slot] = interval
        self.add_interval(interval)
        return interval

    def add_interval(self, interval: Interval) -> None:
        if interval.key in self.by_key:
            raise RuleViolation(self.DUPLICATE_RULE, f"{interval.person_id or interval.seat} "
                                f"would enter {interval.kind} twice on {interval.valid_from}")
        self.intervals.append(interval)
        self.by_key[interval.key] = interval
        if self.recording:
            self.changed.add(interval.key)
            if interval.key not in self.removed:  # dropped and opened again: not new
                self.added.add(interval.key)

    def close_interval(self, slot: Slot, day: date, reason: str, event_id: str = "") -> None:
        interval = self.open.pop(slot, None)
        if interval is None:
            return
        if self.recording:
            self.changed.add(interval.key)
        if day <= interval.valid_from:  # it never held: drop it (by identity, not by value)
            self.intervals = [i for i in self.intervals if i is not interval]
            del self.by_key[interval.key]
            if interval.key in self.added:
                self.added.discard(interval.key)
            elif self.recording:
                self.removed.add(interval.key)
            return
        interval.valid_to = day
        interval.data["end_reason"] = reason
        if event_id:
            interval.data["ended_by"] = event_id

    def add_flag(self, rule: str, start: date, end: date | None, event_id: str,
                 message: str, person_id: str = "") -> None:
        """A recorded irregularity over `[start, end)`: the ledger keeps it and flags it.
        `person_id` (whom it concerns) tells apart two flags of one rule on one day."""
        self.add_interval(Interval("flag", rule, person_id, start, end,
                                   {"rule": rule, "event": event_id, "message": message}))

    def drain_changes(self) -> set[IntervalKey]:
        """The keys changed since the last drain (and forget which of them were added)."""
        changed, self.changed, self.added, self.removed = self.changed, set(), set(), set()
        return changed

    def snapshot(self, keys: Iterable[IntervalKey]) -> dict[IntervalKey, Interval | None]:
        """Copies of the intervals under `keys` as they are now (None: no longer there)."""
        found = {}
        for key in keys:
            interval = self.by_key.get(key)
            found[key] = None if interval is None else Interval(
                interval.kind, interval.seat, interval.person_id, interval.valid_from,
                interval.valid_to, dict(interval.data))
        return found

    # -- persons --------------------------------------------------------------------------

    def note_person(self, person: Person, day: date) -> None:
        """The person's details as of `day` (a new version when they changed)."""
        if self.persons.get(person.person_id) == person:
            return
        self.persons[person.person_id] = person
        self.open_interval("person", "", person.person_id, day, name=person.name,
                           municipality=person.municipality, party=person.party)

    def name(self, person_id: str) -> str:
        person = self.persons.get(person_id)
        return f"{person.name} ({person_id})" if person else person_id


def changed_between(old: IntervalBook | None, new: IntervalBook) -> set[IntervalKey]:
    """The keys whose interval differs between two books of one stream, or is in one only."""
    if old is None:
        return set(new.by_key)

    def state(key: IntervalKey, book: IntervalBook) -> tuple[Any, ...] | None:
        interval = book.by_key.get(key)
        return None if interval is None else (interval.valid_to, interval.data)

    return {key for key in old.by_key.keys() | new.by_key.keys()
            if state(key, old) != state(key, new)}
