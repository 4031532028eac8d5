"""Properties of random valid histories of one term: the invariants of the statute hold on
every day, the recording order of the facts does not matter, incremental equals refolded.

Commands are drawn from the current state of the term; the aggregate keeps those it accepts
(a RuleViolation means the candidate is skipped), so every history is a valid one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ledger.errors import RuleViolation
from ledger.events import (
    ChairElected,
    Fact,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
)
from ledger.fold import fold
from ledger.fold.book import Interval
from ledger.fold.on_constitution import mayor_seat_id
from ledger.fold.timeline import TimelineBuilder
from ledger.geography import municipalities_of
from ledger.statute.rules import MAYOR_BASES, add_months
from ledger.term import Term
from ledger.values import Person
from tests.builders import NORD_2022, constituted, envelope, places, snapshot, with_sole_mayor

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
START = date(2022, 1, 20)
MUNICIPALITIES = [m.name for m in municipalities_of("nordjylland")]
PARTIES = ["A", "V", "C", "F", "Ø", "K", ""]
VOTES = {"A": 500, "V": 300, "C": 100, "F": 50, "Ø": 30, "K": 20}
LEAVE_REASONS = ["health", "public_office", "business", "other", "relieved_of_council_duties"]
END_REASONS = ["left_council", "left_party", "deceased", "resigned", "other"]
PLACES = ("member", "substitute")
ROLES = ("chair", "vice_chair", "acting_chair")

Draw = Callable[[st.SearchStrategy[Any]], Any]
Command = tuple[type[Fact], date, dict[str, Any]]


@dataclass
class Story:
    """A term being written: the facts it accepted, in recording order."""

    term: Term
    day: date = START
    people: int = 0
    accepted: list[Command] = field(default_factory=list)

    @property
    def now(self) -> TimelineBuilder:
        return self.term.timeline

    def newcomer(self, municipality: str, party: str) -> Person:
        self.people += 1
        return Person(person_id=f"p-{self.people}", name=f"Person {self.people}",
                      municipality=municipality, party=party)

    def try_record(self, command: Command) -> bool:
        event_class, day, payload = command
        try:
            self.term.record_fact(event_class, envelope(day.isoformat()), **payload)
        except RuleViolation:
            return False
        self.accepted.append(command)
        self.day = max(self.day, day)
        return True


def new_term() -> Term:
    return constituted(with_sole_mayor("K", places()), votes=VOTES)


# -- candidate commands, drawn from the state of the term ------------------------------------


def someone(s: Story, draw: Draw, municipality: str, party: str) -> Person:
    """Mostly a newcomer; sometimes a person the term knows (often refused by B1.2)."""
    if draw(st.integers(0, 3)) or not s.now.persons:
        return s.newcomer(municipality, party)
    return s.now.persons[draw(st.sampled_from(sorted(s.now.persons)))]


def leave(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    person_id = draw(st.sampled_from(sorted(s.now.places)))
    seat, _ = s.now.places[person_id]
    reason = ("relieved_of_council_duties" if s.now.seats[seat].kind == "mayor"
              else draw(st.sampled_from(LEAVE_REASONS)))
    return {"person_id": person_id, "reason": reason,
            "expected_until": add_months(day, draw(st.integers(2, 8)))}


def end_leave(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    on_leave = sorted(s.now.leaves) or sorted(s.now.places)
    return {"person_id": draw(st.sampled_from(on_leave))}


def end_membership(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    return {"person_id": draw(st.sampled_from(sorted(s.now.places))),
            "reason": draw(st.sampled_from(END_REASONS)),
            "successor_declines": draw(st.booleans())}


def change_party(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    return {"person_id": draw(st.sampled_from(sorted(s.now.places))),
            "party": draw(st.sampled_from(PARTIES)),
            "successor_declines": draw(st.booleans())}


def appoint_substitute(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    state = s.now.seats[draw(st.sampled_from(sorted(s.now.seats)))]
    mayor = state.kind == "mayor"
    party = draw(st.sampled_from(PARTIES)) if mayor else state.party
    for_member = state.member if state.member and draw(st.booleans()) else state.seat
    return {"person": someone(s, draw, state.municipality, party), "for_member": for_member,
            "basis": draw(st.sampled_from(MAYOR_BASES)) if mayor else None}


def appoint_member(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    vacant = sorted(seat for seat, state in s.now.seats.items()
                    if state.kind == "party" and state.member is None)
    home = draw(st.sampled_from(MUNICIPALITIES))
    if s.now.entitlements and (not vacant or draw(st.booleans())):
        party = draw(st.sampled_from(sorted(s.now.entitlements)))
        seat, basis = None, "sole_representative"
    elif vacant:
        seat = draw(st.sampled_from(vacant))
        party, basis = s.now.seats[seat].party, draw(st.sampled_from(["successor_declined",
                                                                       "vacancy"]))
    else:
        return None
    substitute = someone(s, draw, home, party) if draw(st.booleans()) else None
    return {"person": s.newcomer(home, party), "basis": basis, "substitute": substitute,
            "seat": seat if draw(st.booleans()) else None}


def change_mayor(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    municipality = draw(st.sampled_from(MUNICIPALITIES))
    state = s.now.seats[mayor_seat_id(municipality)]
    locals_ = sorted(pid for pid in s.now.places
                     if s.now.persons[pid].municipality == municipality)
    choice = draw(st.sampled_from(["newcomer", "vice mayor", "local"]))
    if choice == "vice mayor" and state.substitute is not None:
        person = s.now.persons[state.substitute]
    elif choice == "local" and locals_:
        person = s.now.persons[draw(st.sampled_from(locals_))]
    else:
        person = s.newcomer(municipality, draw(st.sampled_from(PARTIES)))
    vice = draw(st.sampled_from([None, None, person, someone(s, draw, municipality, "C")]))
    return {"municipality": municipality, "person": person, "substitute": vice}


def elect_chair(s: Story, draw: Draw, day: date) -> dict[str, Any] | None:
    members = sorted(pid for pid, (_, capacity) in s.now.places.items() if capacity == "member")
    temporary = draw(st.booleans())
    return {"role": draw(st.sampled_from(["chair", "vice_chair"])),
            "person_id": draw(st.sampled_from(members)),
            "until": add_months(day, draw(st.integers(2, 8))) if temporary else None}


CANDIDATES: list[tuple[type[Fact], Callable[[Story, Draw, date], dict[str, Any] | None]]] = [
    (LeaveStarted, leave), (LeaveStarted, leave), (LeaveEnded, end_leave),
    (LeaveEnded, end_leave), (MembershipEnded, end_membership), (PartyChanged, change_party),
    (SubstituteAppointed, appoint_substitute), (SubstituteAppointed, appoint_substitute),
    (MemberAppointed, appoint_member), (MemberAppointed, appoint_member),
    (MayorChanged, change_mayor), (ChairElected, elect_chair), (ChairElected, elect_chair),
]


INCREASING = st.integers(1, 60)  # distinct dates, each after the last
ANY_ORDER = st.integers(-60, 60)  # the same day, later, or back-dated


def write_history(draw: Draw, steps: int, gaps: st.SearchStrategy[int] = INCREASING,
                  check: Callable[[Story], None] | None = None) -> Story:
    """Draw `steps` candidate commands, each `gaps` days from the latest; keep the accepted."""
    story = Story(new_term())
    for _ in range(steps):
        event_class, candidate = draw(st.sampled_from(CANDIDATES))
        day = max(START + timedelta(days=1), story.day + timedelta(days=draw(gaps)))
        payload = candidate(story, draw, day)
        if payload is not None and story.try_record((event_class, day, payload)) and check:
            check(story)
    return story


# -- what the timeline shows on a day ---------------------------------------------------------


def on_day(timeline: TimelineBuilder, day: date, kinds: tuple[str, ...]) -> list[Interval]:
    return [i for i in timeline.intervals if i.kind in kinds and i.holds_on(day)]


def change_days(timeline: TimelineBuilder) -> list[date]:
    """Every day on which an interval starts or ends: between two, nothing changes."""
    days = {i.valid_from for i in timeline.intervals}
    return sorted(days | {i.valid_to for i in timeline.intervals if i.valid_to is not None})


def roster(timeline: TimelineBuilder, day: date) -> list[tuple[str, ...]]:
    return sorted((i.kind, i.seat, i.person_id, i.data.get("role", ""),
                   str(i.data.get("party", ""))) for i in timeline.intervals if i.holds_on(day))


def assert_invariants_on(timeline: TimelineBuilder, day: date) -> None:
    places = on_day(timeline, day, PLACES)
    twice = [pid for pid, n in Counter(i.person_id for i in places).items() if n > 1]
    assert not twice, f"{twice} in two places on {day}"
    members = {i.person_id for i in places if i.kind == "member"}
    seats = Counter(i.seat for i in places if i.kind == "member")
    assert all(n == 1 for n in seats.values()), f"a seat with two members on {day}"
    for role in on_day(timeline, day, ("role",)):
        assert role.person_id in members, f"{role.data['role']} {role.person_id} on {day}"
    substitutes = {(i.seat, i.person_id) for i in places if i.kind == "substitute"}
    for acting in on_day(timeline, day, ("acting",)):
        assert (acting.seat, acting.person_id) in substitutes, f"{acting} on {day}"


# -- the properties -----------------------------------------------------------------------------


@PROPERTY
@given(st.data(), st.integers(5, 30))
def test_random_valid_histories_keep_the_invariants_of_the_statute_on_every_day(
    data: st.DataObject, steps: int,
) -> None:
    timeline = write_history(data.draw, steps, ANY_ORDER).term.timeline
    for day in change_days(timeline):
        assert_invariants_on(timeline, day)


@PROPERTY
@given(st.data(), st.integers(5, 30))
def test_the_timeline_after_each_append_equals_the_fold_of_the_same_facts(
    data: st.DataObject, steps: int,
) -> None:
    def same_as_fold(story: Story) -> None:
        assert snapshot(story.term.timeline) == snapshot(fold(NORD_2022, story.term.facts))

    write_history(data.draw, steps, ANY_ORDER, check=same_as_fold)


@PROPERTY
@given(st.data(), st.integers(3, 20))
def test_the_same_facts_recorded_in_a_shuffled_order_give_the_same_roster_every_day(
    data: st.DataObject, steps: int,
) -> None:
    original = write_history(data.draw, steps)
    shuffled = Story(new_term())
    pending = data.draw(st.permutations(original.accepted))
    progress = True
    while pending and progress:  # a fact refused for now may be valid once others are in
        progress = False
        for command in list(pending):
            if shuffled.try_record(command):
                pending.remove(command)
                progress = True
    assume(not pending)
    first, second = original.term.timeline, shuffled.term.timeline
    last = max(change_days(first) + change_days(second))
    for offset in range((last - START).days + 2):
        day = START + timedelta(days=offset)
        assert roster(first, day) == roster(second, day), f"rosters differ on {day}"
