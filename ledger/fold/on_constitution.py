"""Fold handlers for the start and end of a term (B1.0-B1.4)."""

from __future__ import annotations

from datetime import date, timedelta

from ledger.errors import RuleViolation
from ledger.events import TermConstituted, TermEnded
from ledger.fold.timeline import SeatState, TimelineBuilder
from ledger.geography import municipality, slugify
from ledger.statute import rules
from ledger.values import TermId


def party_seat_id(party: str, number: int) -> str:
    return f"party:{slugify(party)}:{number}"


def mayor_seat_id(municipality_name: str) -> str:
    return f"mayor:{municipality(municipality_name).slug}"


def constitute(b: TimelineBuilder, fact: TermConstituted) -> None:
    check_constitution(b.term, fact)
    b.start, day = fact.effective, fact.effective
    b.votes = dict(fact.votes) if fact.votes else None
    b.open_interval("term", "", "", day, region=b.term.region, event=fact.event_id)
    for place in fact.members:
        person = place.person
        if place.seat == "mayor":
            seat = mayor_seat_id(person.municipality)
        else:
            taken = sum(1 for s in b.seats.values() if s.kind == "party" and
                        slugify(s.party) == slugify(person.party))
            seat = party_seat_id(person.party, taken + 1)
        open_seat(b, seat, place.seat, person.municipality, person.party, day)
        b.seat_person(person, seat, "member", day, cause=fact.event_id, basis="constitution")
        if place.substitute is not None:
            b.seat_person(place.substitute, seat, "substitute", day, cause=fact.event_id,
                          basis=place.basis or "party_elected")
    for role, holder in (("chair", fact.chair), ("vice_chair", fact.vice_chair)):
        if holder is not None:
            b.roles[role] = holder
            b.open_interval("role", "", holder, day, role=role, cause=fact.event_id)
    deadline = b.term.constitution_deadline
    if day > deadline:
        b.add_flag("B1.3", deadline + timedelta(days=1), day, fact.event_id,
                   f"constituent meeting held {day}, after the deadline {deadline}")


def open_seat(b: TimelineBuilder, seat: str, kind: str, municipality_name: str, party: str,
              day: date) -> None:
    b.seats[seat] = SeatState(seat, kind, municipality_name, party)
    b.open_interval("seat", seat, "", day, seat_kind=kind, municipality=municipality_name,
                    party=party)


def check_constitution(term: TermId, fact: TermConstituted) -> None:
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


def end_term(b: TimelineBuilder, fact: TermEnded) -> None:
    """B1.3: the term ends the day the next term of the region is constituted. Terms may be
    recorded in any order: when an earlier successor's constitution arrives after a later
    one's, the term ends at the earliest, and the later TermEnded is superseded (no-op)."""
    assert b.start is not None
    if b.end is not None and b.end <= fact.effective:
        return
    if fact.effective <= b.start:
        raise RuleViolation("B1.3", f"{fact.successor} constituted {fact.effective}, not after "
                            f"{b.term} ({b.start})")
    for slot in list(b.open):
        b.close_interval(slot, fact.effective, "term_ended", fact.event_id)
    b.end = fact.effective
    for state in (b.places, b.leaves, b.roles, b.acting, b.entitlements):
        state.clear()
    b.timers.clear()
    b.acting_chair = None
