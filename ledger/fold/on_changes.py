"""Fold handlers for what happens during a term: leave, departures, party changes, appointments.

Facts in, consequences derived: succession (B1.13), acting substitutes (B1.6/B1.7, mayor
vacancies) and vacancies follow from the facts here, so retracting a fact retracts them too.
"""

from __future__ import annotations

from datetime import date

from ledger.errors import RuleViolation
from ledger.events import (
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
)
from ledger.fold.on_constitution import mayor_seat_id, open_seat, party_seat_id
from ledger.fold.on_roles import refresh_acting_chair, vacate_roles
from ledger.fold.timeline import TimelineBuilder
from ledger.geography import municipality, slugify
from ledger.statute import rules
from ledger.values import Person
from ledger.vocabulary import LEAVE_REASONS

ENTITLEMENT_SHARE = 0.02  # B1.11: at least 2 % of the regional votes


def start_leave(b: TimelineBuilder, fact: LeaveStarted) -> None:
    rule = LEAVE_REASONS[fact.reason].rule or "B1.7"  # B1.6 for relieved_of_council_duties
    seat = _member_seat(b, fact.person_id, fact.effective, rule)
    who = b.name(fact.person_id)
    if fact.person_id in b.leaves:
        raise RuleViolation(rule, f"{who} is already on leave since "
                            f"{b.leaves[fact.person_id]['since']}")
    if b.seats[seat].kind == "mayor" and rule == "B1.7":
        raise RuleViolation("B1.6", f"mayor {who} takes leave when relieved of council duties "
                            "(reason relieved_of_council_duties); B1.7 is for party-elected "
                            "members")
    rules.ensure_leave_is_at_least_three_months(rule, who, fact.effective, fact.expected_until)
    b.leaves[fact.person_id] = {"since": fact.effective, "event": fact.event_id}
    b.open_interval("leave", seat, fact.person_id, fact.effective, rule=rule, cause=fact.event_id,
                    reason=fact.reason, expected_until=fact.expected_until.isoformat(),
                    decided_on=fact.decided_on.isoformat() if fact.decided_on else None)
    refresh_acting(b, seat, fact.effective, fact.event_id)
    refresh_acting_chair(b, fact.effective, fact.event_id)


def end_leave(b: TimelineBuilder, fact: LeaveEnded) -> None:
    seat = _member_seat(b, fact.person_id, fact.effective, "B1.7")
    if fact.person_id not in b.leaves:
        raise RuleViolation("B1.7", f"{b.name(fact.person_id)} is not on leave on "
                            f"{fact.effective}")
    del b.leaves[fact.person_id]
    b.close_interval(("leave", seat, fact.person_id, ""), fact.effective, "resumed",
                     fact.event_id)
    refresh_acting(b, seat, fact.effective, fact.event_id)
    refresh_acting_chair(b, fact.effective, fact.event_id)


def end_membership(b: TimelineBuilder, fact: MembershipEnded) -> None:
    seat, capacity = b.place_of(fact.person_id, fact.effective, "B1.9")
    if fact.reason == "left_party" and capacity == "member" and b.seats[seat].kind == "mayor":
        raise RuleViolation("B1.10", f"mayor {b.name(fact.person_id)} stays a member after "
                            "leaving the party; record change_party instead")
    leave_place(b, fact.person_id, fact.effective, fact.reason, fact.event_id,
                fact.successor_declines)


def change_party(b: TimelineBuilder, fact: PartyChanged) -> None:
    seat, capacity = b.place_of(fact.person_id, fact.effective, "B1.9")
    person = b.persons[fact.person_id]
    if fact.party == person.party:
        raise RuleViolation("B1.9", f"{b.name(fact.person_id)} is already of party "
                            f"{fact.party or '(none)'}")
    b.note_person(person.model_copy(update={"party": fact.party}), fact.effective)
    if b.seats[seat].kind == "mayor":
        # B1.10: the mayor (and the vice mayor substituting) stays; no recalculation.
        if capacity == "member":
            _entitle_if_sole_representative(b, person.party, fact.effective, fact.event_id)
        return
    leave_place(b, fact.person_id, fact.effective, "left_party", fact.event_id,
                fact.successor_declines)


def appoint_substitute(b: TimelineBuilder, fact: SubstituteAppointed) -> None:
    seat = _seat_for(b, fact.for_member, fact.effective)
    state, person = b.seats[seat], fact.person
    rules.ensure_people_are_in_region(b.term, [person])
    if person.person_id == state.substitute:
        raise RuleViolation("B1.14", f"{person.name} is already substitute of {seat}")
    b.ensure_free(person)
    holder = b.name(state.member) if state.member else seat
    basis = fact.basis or ("party_elected" if state.kind == "party" else None)
    rules.ensure_substitute_fits_seat(state.kind, state.municipality, holder, person, basis)
    if state.substitute is not None:
        b.unseat(state.substitute, fact.effective, "replaced", fact.event_id)
    b.seat_person(person, seat, "substitute", fact.effective, cause=fact.event_id, basis=basis)
    refresh_acting(b, seat, fact.effective, fact.event_id)


def appoint_member(b: TimelineBuilder, fact: MemberAppointed) -> None:
    person, day = fact.person, fact.effective
    people = [person] + ([fact.substitute] if fact.substitute else [])
    rules.ensure_people_are_in_region(b.term, people)
    rules.ensure_nobody_twice(people)
    for someone in people:
        b.ensure_free(someone)
    if fact.basis == "sole_representative":
        seat = _entitled_seat(b, person, day)
        open_seat(b, seat, "party", person.municipality, person.party, day)
        b.close_interval(("entitlement", "", "", person.party), day, "used", fact.event_id)
        del b.entitlements[person.party]
    else:
        seat = _vacant_party_seat(b, person, fact.seat, day)
    if fact.substitute is not None and b.seats[seat].substitute is not None:
        b.unseat(b.seats[seat].substitute or "", day, "replaced", fact.event_id)
    b.seat_person(person, seat, "member", day, cause=fact.event_id, basis=fact.basis)
    if fact.substitute is not None:
        b.seat_person(fact.substitute, seat, "substitute", day, cause=fact.event_id,
                      basis="party_elected")
    refresh_acting(b, seat, day, fact.event_id)


def change_mayor(b: TimelineBuilder, fact: MayorChanged) -> None:
    day, person = fact.effective, fact.person
    seat = _mayor_seat(b, fact.municipality, day)
    state = b.seats[seat]
    if municipality(person.municipality) != municipality(state.municipality):
        raise RuleViolation("B1.0", f"{person.name} sits for {person.municipality}, not "
                            f"{state.municipality}")
    if state.member == person.person_id:
        raise RuleViolation("B1.0", f"{person.name} is already mayor of {state.municipality}")
    substitute = fact.substitute
    if substitute is not None and substitute.person_id == person.person_id:
        raise RuleViolation("B1.2", "a member cannot be the own seat's substitute")
    if substitute is not None and substitute.person_id != state.substitute:
        b.ensure_free(substitute)
        rules.ensure_substitute_fits_seat("mayor", state.municipality, person.name, substitute,
                                          "first_vice_mayor")
    if state.member is not None:
        leave_place(b, state.member, day, "mayor_changed", fact.event_id, False)
    if person.person_id in b.places:
        # Still a member (now ex officio): a chair or vice chair keeps the role (B1.15).
        leave_place(b, person.person_id, day, "became_mayor", fact.event_id, False,
                    keep_roles=True)
    b.seat_person(person, seat, "member", day, cause=fact.event_id, basis="mayor")
    if substitute is not None and substitute.person_id != state.substitute:
        if state.substitute is not None:
            b.unseat(state.substitute, day, "replaced", fact.event_id)
        b.seat_person(substitute, seat, "substitute", day, cause=fact.event_id,
                      basis="first_vice_mayor")
    refresh_acting(b, seat, day, fact.event_id)


# -- shared consequences -----------------------------------------------------------------------


def leave_place(b: TimelineBuilder, person_id: str, day: date, reason: str, event_id: str,
                successor_declines: bool, *, keep_roles: bool = False) -> None:
    """A member or substitute leaves; B1.13 succession for party seats, roles fall (B1.15)."""
    seat, capacity = b.unseat(person_id, day, reason, event_id)
    state = b.seats[seat]
    if capacity == "member":
        if not keep_roles:
            vacate_roles(b, person_id, day, event_id)
        successor = state.substitute
        if state.kind == "party" and successor is not None and not successor_declines:
            b.unseat(successor, day, "succeeded", event_id)
            b.seat_person(b.persons[successor], seat, "member", day, cause=event_id,
                          basis="B1.13", succeeded=person_id)
    refresh_acting(b, seat, day, event_id)
    refresh_acting_chair(b, day, event_id)


def refresh_acting(b: TimelineBuilder, seat: str, day: date, event_id: str) -> None:
    """The substitute acts while the member is on leave, or while a mayor seat is vacant."""
    state = b.seats[seat]
    mayor_vacancy = state.kind == "mayor" and state.member is None
    on_leave = state.member is not None and state.member in b.leaves
    should = state.substitute if (mayor_vacancy or on_leave) else None
    current = b.acting.get(seat)
    if current == should:
        return
    if current is not None:
        b.close_interval(("acting", seat, current, ""), day, "stepped_back", event_id)
        del b.acting[seat]
    if should is not None:
        b.acting[seat] = should
        b.open_interval("acting", seat, should, day, cause=event_id,
                        basis="mayor_vacancy" if mayor_vacancy else "leave")


def _member_seat(b: TimelineBuilder, person_id: str, day: date, rule: str) -> str:
    seat, capacity = b.place_of(person_id, day, rule)
    if capacity != "member":
        raise RuleViolation(rule, f"{b.name(person_id)} is {capacity} of {seat}, not a member")
    return seat


def _seat_for(b: TimelineBuilder, for_member: str, day: date) -> str:
    if for_member in b.seats:
        return for_member
    if b.places.get(for_member, ("", ""))[1] == "member":
        return b.places[for_member][0]
    raise RuleViolation("B1.14", f"{for_member} is neither a seat nor a member of {b.term} "
                        f"on {day}")


def _mayor_seat(b: TimelineBuilder, name: str, day: date) -> str:
    seat = mayor_seat_id(name)
    if seat not in b.seats:
        raise RuleViolation("B1.0", f"{name} has no mayor seat in {b.term} on {day}")
    return seat


def _vacant_party_seat(b: TimelineBuilder, person: Person, seat: str | None, day: date) -> str:
    if seat is None:
        vacant = [s.seat for s in b.seats.values() if s.kind == "party" and s.member is None
                  and slugify(s.party) == slugify(person.party)]
        if len(vacant) != 1:
            raise RuleViolation("B1.13", f"{len(vacant)} vacant seats of party "
                                f"{person.party or '(none)'} on {day}; name the seat")
        return vacant[0]
    state = b.seats.get(seat)
    if state is None or state.kind != "party":
        raise RuleViolation("B1.13", f"{seat} is not a party seat of {b.term}; mayor seats "
                            "change with change_mayor")
    if state.member is not None:
        raise RuleViolation("B1.13", f"{seat} is held by {b.name(state.member)} on {day}")
    return seat


def _entitle_if_sole_representative(b: TimelineBuilder, party: str, day: date,
                                     event_id: str) -> None:
    """B1.11: a mayor who was the party's only representative leaves it; the party may appoint."""
    if not party or b.members_of_party(party):
        return
    total = sum(b.votes.values()) if b.votes else 0
    share = (b.votes or {}).get(party, 0) / total if total else None
    if share is not None and share < ENTITLEMENT_SHARE:
        return
    b.entitlements[party] = {"since": day, "event": event_id, "share": share}
    b.open_interval("entitlement", "", "", day, role=party, rule="B1.11", cause=event_id,
                    share=share)


def _entitled_seat(b: TimelineBuilder, person: Person, day: date) -> str:
    if person.party not in b.entitlements:
        raise RuleViolation("B1.11", f"party {person.party or '(none)'} has no B1.11 entitlement "
                            f"on {day}: it applies when a mayor who was the party's only "
                            "representative leaves the party, and the party has ≥ 2 % of the votes")
    taken = sum(1 for s in b.seats.values() if s.kind == "party" and
                slugify(s.party) == slugify(person.party))
    return party_seat_id(person.party, taken + 1)
