"""The timeline fold: a pure function from a term's facts to intervals (the statute's truth).

`fold(facts)` orders the facts by effective date, then recording order, leaves out retracted
ones, and replays them through a `TimelineBuilder`. The builder validates each fact before it
changes anything, so the aggregate can ask it whether a command is allowed (strict), and the
projections can replay stored history that a later, stricter rule would refuse (lenient: the
fact is skipped and reported as a violation). Intervals are half-open `[valid_from, valid_to)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ledger import rules
from ledger.errors import RuleViolation
from ledger.events import TermConstituted, TermEnded, TermEvent
from ledger.geography import municipality, slugify
from ledger.values import Person, TermId

IntervalKey = tuple[str, str, str, str, date]


@dataclass
class Interval:
    """One fact of the timeline: a seat, a member, a substitute, an acting substitute, ..."""

    kind: str
    seat: str
    person_id: str
    valid_from: date
    valid_to: date | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> IntervalKey:
        return (self.kind, self.seat, self.person_id, self.data.get("role", ""), self.valid_from)

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


class TimelineBuilder:
    """The fold's state; `apply` one fact at a time, in effective-date order."""

    def __init__(self, term: str, *, strict: bool = True) -> None:
        self.term = TermId.parse(term)
        self.strict = strict
        self.intervals: list[Interval] = []
        self.by_key: dict[IntervalKey, Interval] = {}
        self.open: dict[tuple[str, str, str, str], Interval] = {}
        self.seats: dict[str, SeatState] = {}
        self.persons: dict[str, Person] = {}
        self.places: dict[str, tuple[str, str]] = {}  # person_id -> (seat, capacity)
        self.start: date | None = None
        self.end: date | None = None
        self.last_effective: date | None = None
        self.violations: list[Violation] = []
        self.changed: set[IntervalKey] = set()
        self.votes: dict[str, int] | None = None

    # -- applying facts -------------------------------------------------------------------

    def apply(self, fact: TermEvent) -> None:
        handler = _HANDLERS.get(type(fact))
        if handler is None:
            return
        try:
            self._ensure_in_term(fact)
            handler(self, fact)
        except RuleViolation as violation:
            if self.strict:
                raise
            self.violations.append(
                Violation(violation.rule, fact.event_id, fact.effective, violation.reason)
            )
            return
        if self.last_effective is None or fact.effective > self.last_effective:
            self.last_effective = fact.effective

    def _ensure_in_term(self, fact: TermEvent) -> None:
        if isinstance(fact, TermConstituted):
            return
        if self.start is None or fact.effective < self.start:
            raise RuleViolation(
                "B1.3", f"{fact.effective} is before the constitution of {self.term}"
            )
        if self.end is not None and fact.effective >= self.end:
            raise RuleViolation(
                "B1.3", f"{self.term} ended on {self.end}; {fact.effective} is not in the term"
            )

    # -- interval bookkeeping -------------------------------------------------------------

    def open_interval(
        self, kind: str, seat: str, person_id: str, day: date, **data: Any
    ) -> Interval:
        interval = Interval(kind, seat, person_id, day, None, data)
        slot = (kind, seat, person_id, data.get("role", ""))
        if slot in self.open:
            self.close_interval(slot, day, "replaced")
        self.open[slot] = interval
        self._add(interval)
        return interval

    def _add(self, interval: Interval) -> None:
        if interval.key in self.by_key:
            raise RuleViolation(
                "B1.2", f"{interval.person_id or interval.seat} would enter {interval.kind} twice "
                f"on {interval.valid_from}",
            )
        self.intervals.append(interval)
        self.by_key[interval.key] = interval
        self.changed.add(interval.key)

    def close_interval(
        self, slot: tuple[str, str, str, str], day: date, reason: str, event_id: str = ""
    ) -> None:
        interval = self.open.pop(slot, None)
        if interval is None:
            return
        self.changed.add(interval.key)
        if day <= interval.valid_from:
            self.intervals.remove(interval)
            del self.by_key[interval.key]
            return
        interval.valid_to = day
        interval.data["end_reason"] = reason
        if event_id:
            interval.data["ended_by"] = event_id

    def open_slots(self, kind: str | None = None, person_id: str | None = None) -> list[Any]:
        return [
            slot
            for slot in self.open
            if (kind is None or slot[0] == kind) and (person_id is None or slot[2] == person_id)
        ]

    def add_flag(self, rule: str, start: date, end: date, event_id: str, message: str) -> None:
        """A recorded irregularity over `[start, end)`: the ledger keeps it and flags it."""
        flag = Interval("flag", rule, "", start, end, {"rule": rule, "event": event_id,
                                                       "message": message})
        self._add(flag)

    def drain_changes(self) -> set[IntervalKey]:
        changed, self.changed = self.changed, set()
        return changed

    def seat_person(self, person: Person, seat: str, capacity: str, day: date, **data: Any) -> None:
        """Put a person in a place; B1.2 forbids a second place in the same term at once."""
        if person.person_id in self.places:
            held_seat, held_capacity = self.places[person.person_id]
            raise RuleViolation(
                "B1.2",
                f"{person.name} ({person.person_id}) is already {held_capacity} of {held_seat}",
            )
        self.places[person.person_id] = (seat, capacity)
        self.note_person(person, day)
        self.open_interval(capacity, seat, person.person_id, day, **data)

    def note_person(self, person: Person, day: date) -> None:
        known = self.persons.get(person.person_id)
        if known == person:
            return
        self.persons[person.person_id] = person
        self.open_interval(
            "person", "", person.person_id, day,
            name=person.name, municipality=person.municipality, party=person.party,
        )

    @property
    def size(self) -> int:
        return sum(1 for seat in self.seats.values() if seat.kind == "mayor" or seat.member)


# -- handlers: check everything first, then change state ------------------------------------


def _constitute(b: TimelineBuilder, fact: TermEvent) -> None:
    assert isinstance(fact, TermConstituted)
    _check_constitution(b.term, fact)
    b.start = fact.effective
    b.votes = dict(fact.votes) if fact.votes else None
    day = fact.effective
    b.open_interval("term", "", "", day, region=b.term.region, event=fact.event_id)
    party_counts: dict[str, int] = {}
    for place in fact.members:
        person = place.person
        if place.seat == "mayor":
            seat = f"mayor:{municipality(person.municipality).slug}"
        else:
            party_slug = slugify(person.party)
            party_counts[party_slug] = party_counts.get(party_slug, 0) + 1
            seat = f"party:{party_slug}:{party_counts[party_slug]}"
        state = SeatState(seat, place.seat, person.municipality, person.party)
        b.seats[seat] = state
        b.open_interval(
            "seat", seat, "", day, seat_kind=place.seat,
            municipality=person.municipality, party=person.party,
        )
        b.seat_person(person, seat, "member", day, cause=fact.event_id, basis="constitution")
        state.member = person.person_id
        if place.substitute is not None:
            basis = place.basis or "party_elected"
            b.seat_person(place.substitute, seat, "substitute", day, cause=fact.event_id,
                          basis=basis)
            state.substitute = place.substitute.person_id
    for role, holder in (("chair", fact.chair), ("vice_chair", fact.vice_chair)):
        if holder is not None:
            seat = b.places[holder][0]
            b.open_interval("role", seat, holder, day, role=role, cause=fact.event_id)
    deadline = b.term.constitution_deadline
    if day > deadline:
        b.add_flag(
            "B1.3", deadline + timedelta(days=1), day, fact.event_id,
            f"constituent meeting held {day}, after the deadline {deadline}",
        )


def _check_constitution(term: TermId, fact: TermConstituted) -> None:
    if fact.term != str(term):
        raise RuleViolation("B1.3", f"constitution of {fact.term} stored in the stream of {term}")
    rules.ensure_constitution_date_is_plausible(term, fact.effective, fact.election_date)
    people = [p.person for p in fact.members]
    people += [p.substitute for p in fact.members if p.substitute is not None]
    rules.ensure_nobody_twice(people)
    rules.ensure_people_are_in_region(term, people)
    rules.ensure_one_mayor_per_municipality(term, fact.members)
    rules.ensure_party_seats_name_a_party(fact.members)
    rules.ensure_within_cap(term.region, len(fact.members))
    for place in fact.members:
        rules.ensure_substitute_basis_fits(place)
    member_ids = [p.person.person_id for p in fact.members]
    rules.ensure_roles_are_distinct_members(fact.chair, fact.vice_chair, member_ids)
    mayors = [p.person.person_id for p in fact.members if p.seat == "mayor"]
    rules.ensure_convener_is_a_mayor(fact.convened_by, mayors)


def _end_term(b: TimelineBuilder, fact: TermEvent) -> None:
    assert isinstance(fact, TermEnded) and b.start is not None
    if fact.effective <= b.start:
        raise RuleViolation(
            "B1.3", f"{fact.successor} constituted {fact.effective}, not after {b.term} "
            f"({b.start})",
        )
    for slot in list(b.open):
        b.close_interval(slot, fact.effective, "term_ended", fact.event_id)
    b.end = fact.effective
    b.places.clear()


_HANDLERS: dict[type[TermEvent], Callable[[TimelineBuilder, TermEvent], None]] = {
    TermConstituted: _constitute,
    TermEnded: _end_term,
}


# -- the fold -----------------------------------------------------------------------------


def effective_order(facts: Iterable[TermEvent]) -> list[TermEvent]:
    """Effective date first, recording order second: the order the statute applies them."""
    return sorted(facts, key=lambda f: (f.effective, f.originator_version))


def fold(term: str, facts: Sequence[TermEvent], *, strict: bool = False) -> TimelineBuilder:
    builder = TimelineBuilder(term, strict=strict)
    for fact in effective_order(facts):
        builder.apply(fact)
    return builder
