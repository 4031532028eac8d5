"""A term's timeline: the seats, places and roles of one KKR term, as an interval book.

The builder holds the state of a term on the day of the last fact applied; handlers
(`on_constitution.py`, `on_changes.py`, `on_roles.py`, given to it as a `HandlerTable`) check
a fact completely before they change anything. The bookkeeping of intervals, changes, timers
and lenient replay is the book's (`book.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.errors import RuleViolation
from ledger.events import Fact, TermConstituted, TermEnded
from ledger.fold.book import HandlerTable, IntervalBook
from ledger.values import Person, TermId


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


class TimelineBuilder(IntervalBook):
    """The fold's state of a term; `apply` one fact at a time, in effective-date order."""

    def __init__(self, term: str, handlers: HandlerTable, *, strict: bool = True) -> None:
        super().__init__(handlers, strict=strict)
        self.term = TermId.parse(term)
        self.seats: dict[str, SeatState] = {}
        self.places: dict[str, tuple[str, str]] = {}  # person_id -> (seat, capacity)
        self.leaves: dict[str, dict[str, Any]] = {}  # person_id -> the leave's details
        self.roles: dict[str, str] = {}  # role -> person_id
        self.acting: dict[str, str] = {}  # seat -> the substitute acting in it
        self.acting_chair: str | None = None  # FO3.5: the vice chair acting for the chair
        self.entitlements: dict[str, dict[str, Any]] = {}  # party -> B1.11 details
        self.votes: dict[str, int] | None = None

    def ensure_in_stream(self, fact: Fact) -> None:
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

    def place_of(self, person_id: str, day: date, rule: str) -> tuple[str, str]:
        if person_id not in self.places:
            raise RuleViolation(rule, f"{self.name(person_id)} holds no place in {self.term} "
                                f"on {day}")
        return self.places[person_id]

    def members_of_party(self, party: str) -> list[str]:
        return [pid for pid, (_seat, capacity) in self.places.items()
                if capacity == "member" and self.persons[pid].party == party]

    @property
    def size(self) -> int:
        return sum(1 for seat in self.seats.values() if seat.kind == "mayor" or seat.member)
