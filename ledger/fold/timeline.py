"""The timeline: intervals of seats, places and roles, and the builder the fold drives.

Intervals are half-open `[valid_from, valid_to)`. The builder holds the state of a term on
the day of the last fact applied; handlers (`on_constitution.py`, `on_changes.py`,
`on_roles.py`, given to it as a `HandlerTable`) check a fact completely before they change
anything, so the aggregate can
ask the builder whether a command is allowed (strict) and the projections can replay stored
history that a later, stricter rule would refuse (lenient: the fact is skipped and reported).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.errors import RuleViolation
from ledger.events import EventRedated, EventRetracted, TermConstituted, TermEnded, TermEvent
from ledger.values import Person, TermId

IntervalKey = tuple[str, str, str, str, date]
Slot = tuple[str, str, str, str]


@dataclass
class Interval:
    """One fact of the timeline: a seat, a member, a substitute, an acting substitute, ..."""

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


@dataclass
class SeatState:
    seat: str
    kind: str
    municipality: str
    party: str
    member: str | None = None
    substitute: str | None = None


@dataclass
class Timer:
    """A consequence due on a later date (B1.16: a temporary chair gives the role back)."""

    due: date
    role: str
    holder: str
    previous: str | None


@dataclass(frozen=True)
class HandlerTable:
    """What the builder does with each kind of fact, and with a timer that falls due."""

    facts: Mapping[type[TermEvent], Callable[[TimelineBuilder, Any], None]]
    timer: Callable[[TimelineBuilder, Timer], None]


class TimelineBuilder:
    """The fold's state; `apply` one fact at a time, in effective-date order."""

    def __init__(self, term: str, handlers: HandlerTable, *, strict: bool = True) -> None:
        self.term = TermId.parse(term)
        self.handlers = handlers
        self.strict = strict
        self.intervals: list[Interval] = []
        self.by_key: dict[IntervalKey, Interval] = {}
        self.open: dict[Slot, Interval] = {}
        self.seats: dict[str, SeatState] = {}
        self.persons: dict[str, Person] = {}
        self.places: dict[str, tuple[str, str]] = {}  # person_id -> (seat, capacity)
        self.leaves: dict[str, dict[str, Any]] = {}  # person_id -> the leave's details
        self.roles: dict[str, str] = {}  # role -> person_id
        self.acting: dict[str, str] = {}  # seat -> the substitute acting in it
        self.acting_chair: str | None = None  # FO3.5: the vice chair acting for the chair
        self.timers: list[Timer] = []
        self.entitlements: dict[str, dict[str, Any]] = {}  # party -> B1.11 details
        self.start: date | None = None
        self.end: date | None = None
        self.horizon: date | None = None  # the latest date the timeline has settled up to
        self.votes: dict[str, int] | None = None
        self.violations: list[Violation] = []
        # What changed since the last drain; not kept while a whole history is folded.
        self.recording = True
        self.changed: set[IntervalKey] = set()
        self.added: set[IntervalKey] = set()  # the changed keys that are new intervals
        self.removed: set[IntervalKey] = set()  # keys that existed before and were dropped

    # -- applying facts -------------------------------------------------------------------

    def apply(self, fact: TermEvent, *, settle: bool = True) -> None:
        """Apply one fact dated no earlier than the last; settle due timers after it."""
        self.advance(fact.effective)
        handler = self.handlers.facts.get(type(fact))
        if handler is not None:
            try:
                self._ensure_in_term(fact)
                handler(self, fact)
            except RuleViolation as violation:
                if self.strict:
                    raise
                self.violations.append(
                    Violation(violation.rule, fact.event_id, fact.effective, violation.reason))
        self.horizon = max(self.horizon or fact.effective, fact.effective)
        if settle:
            self.advance(None)

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

    def accepts_in_order(self, fact: TermEvent) -> bool:
        """True when `fact` can be applied on top (nothing settled lies after its date).

        A correction never can: it changes an earlier fact, so the term is refolded.
        """
        if isinstance(fact, EventRetracted | EventRedated):
            return False
        return self.horizon is None or fact.effective >= self.horizon

    def _ensure_in_term(self, fact: TermEvent) -> None:
        if isinstance(fact, TermConstituted):
            return
        if self.start is None or fact.effective < self.start:
            raise RuleViolation("B1.3", f"{fact.effective} is before the constitution of "
                                f"{self.term}")
        if isinstance(fact, TermEnded):
            return  # an end after the end is superseded by the earlier one (`end_term`)
        if self.end is not None and fact.effective >= self.end:
            raise RuleViolation(
                "B1.3", f"{self.term} ended on {self.end}; {fact.effective} is not in the term")

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
            raise RuleViolation("B1.2", f"{interval.person_id or interval.seat} would enter "
                                f"{interval.kind} twice on {interval.valid_from}")
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

    def add_flag(self, rule: str, start: date, end: date, event_id: str, message: str) -> None:
        """A recorded irregularity over `[start, end)`: the ledger keeps it and flags it."""
        self.add_interval(Interval("flag", rule, "", start, end,
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

    # -- places -----------------------------------------------------------------------------

    def seat_person(self, person: Person, seat: str, capacity: str, day: date,
                    **data: Any) -> None:
        """Put a person in a place; B1.2 forbids a second place in the same term at once."""
        self.ensure_free(person)
        self.places[person.person_id] = (seat, capacity)
        self.note_person(person, day)
        self.open_interval(capacity, seat, person.person_id, day, **data)
        state = self.seats[seat]
        if capacity == "member":
            state.member = person.person_id
        else:
            state.substitute = person.person_id

    def ensure_free(self, person: Person) -> None:
        if person.person_id in self.places:
            held_seat, held_capacity = self.places[person.person_id]
            raise RuleViolation("B1.2", f"{person.name} ({person.person_id}) is already "
                                f"{held_capacity} of {held_seat}")

    def unseat(self, person_id: str, day: date, reason: str, event_id: str) -> tuple[str, str]:
        """End a person's place (and leave); the seat keeps its other occupant."""
        seat, capacity = self.places.pop(person_id)
        self.close_interval((capacity, seat, person_id, ""), day, reason, event_id)
        state = self.seats[seat]
        if capacity == "member":
            state.member = None
            self.leaves.pop(person_id, None)
            self.close_interval(("leave", seat, person_id, ""), day, reason, event_id)
        else:
            state.substitute = None
        return seat, capacity

    def note_person(self, person: Person, day: date) -> None:
        if self.persons.get(person.person_id) == person:
            return
        self.persons[person.person_id] = person
        self.open_interval("person", "", person.person_id, day, name=person.name,
                           municipality=person.municipality, party=person.party)

    def place_of(self, person_id: str, day: date, rule: str) -> tuple[str, str]:
        if person_id not in self.places:
            raise RuleViolation(rule, f"{self.name(person_id)} holds no place in {self.term} "
                                f"on {day}")
        return self.places[person_id]

    def name(self, person_id: str) -> str:
        person = self.persons.get(person_id)
        return f"{person.name} ({person_id})" if person else person_id

    def members_of_party(self, party: str) -> list[str]:
        return [pid for pid, (_seat, capacity) in self.places.items()
                if capacity == "member" and self.persons[pid].party == party]

    @property
    def size(self) -> int:
        return sum(1 for seat in self.seats.values() if seat.kind == "mayor" or seat.member)


def changed_between(old: TimelineBuilder | None, new: TimelineBuilder) -> set[IntervalKey]:
    """The keys whose interval differs between two timelines of one term, or is in one only."""
    if old is None:
        return set(new.by_key)

    def state(key: IntervalKey, builder: TimelineBuilder) -> tuple[Any, ...] | None:
        interval = builder.by_key.get(key)
        return None if interval is None else (interval.valid_to, interval.data)

    return {key for key in old.by_key.keys() | new.by_key.keys()
            if state(key, old) != state(key, new)}
