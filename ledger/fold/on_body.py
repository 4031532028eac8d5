"""Fold handlers for a body's facts: FO2.2, FO3.8a/b/c, KSL28 and the end causes (END).

Refused (strict) are what cannot be: a seat that does not exist, an ineligible person, a
person in two seats of one body. Recorded but flagged are what is irregular yet decided:
a vacancy refilled by another group (KSL28), designations beyond a group's allocation (FO3.8b).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ledger.errors import RuleViolation
from ledger.fold.body_book import PERIOD_KINDS, BodyBook
from ledger.geography import municipality
from ledger.mandate_events import (
    BodyDissolved,
    BodyRegistered,
    Designated,
    DesignationEnded,
    PostsAllocated,
    PostsDefined,
)
from ledger.periods import council_period_end
from ledger.values import Person


def register(b: BodyBook, fact: BodyRegistered) -> None:
    b.start, b.region, b.title = fact.effective, fact.region, fact.name
    b.open_interval("body", "", "", fact.effective, name=fact.name, region=fact.region,
                    body_kind=fact.kind, legal_basis=fact.legal_basis,
                    successor_of=fact.successor_of)


def define_posts(b: BodyBook, fact: PostsDefined) -> None:
    day, seats = fact.effective, fact.kkr_seats
    if len(b.holders) > seats:
        raise RuleViolation("FO3.8b", f"{b.title} has {len(b.holders)} designated "
                            f"({_names(b, b.holders.values())}); {seats} seat(s) cannot "
                            "hold them: end designations first")
    end = fact.until or council_period_end(day)
    if end <= day:
        raise RuleViolation("END", f"the posts of {b.title} would end on {end}, not after "
                            f"{day}")
    b.posts = {"kkr_seats": seats, "nominated": fact.nominated, "substitutes": fact.substitutes,
               "eligibility": fact.eligibility, "until": end.isoformat()}
    _new_period_end(b, end)
    b.open_for_period("posts", "", "", day, **b.posts, method=_method(seats),
                      cause=fact.event_id)
    if b.allocation is not None and sum(b.allocation.values()) != seats:  # made for others
        b.close_interval(("allocation", "", "", ""), day, "posts_changed", fact.event_id)
        b.allocation = None
    _resize(b, seats, day, fact.event_id)


def _new_period_end(b: BodyBook, end: date) -> None:
    """Posts defined anew within the period: the seats held now end at the new end."""
    if b.period_end == end:
        return
    b.period_end = end
    for slot, interval in b.open.items():
        if slot[0] in PERIOD_KINDS and slot[0] != "posts":
            interval.valid_to = end
            if b.recording:
                b.changed.add(interval.key)


def _method(seats: int) -> str:
    return "majority (FO3.8a)" if seats == 1 else "proportional (FO3.8b)"


def _resize(b: BodyBook, seats: int, day: date, event_id: str) -> None:
    """Add vacant seats up to `seats`, or drop the highest-numbered vacant ones."""
    number = 0
    while b.seat_count() < seats:
        number += 1
        if str(number) not in b.holders and str(number) not in b.vacancies:
            b.open_vacancy(str(number), day, None)
    for seat in sorted(b.vacancies, key=int, reverse=True):
        if b.seat_count() <= seats:
            break
        b.fill_vacancy(seat, day, "posts_reduced", event_id)


def allocate(b: BodyBook, fact: PostsAllocated) -> None:
    posts = _posts(b, fact.effective)
    if posts["kkr_seats"] < 2:
        raise RuleViolation("FO3.8a", f"{b.title} has one KKR seat, filled by majority; "
                            "there is nothing to allocate")
    if sum(fact.seats.values()) != posts["kkr_seats"]:
        raise RuleViolation("FO3.8b", f"the allocation gives {sum(fact.seats.values())} "
                            f"seats; {b.title} has {posts['kkr_seats']}")
    b.allocation = dict(fact.seats)
    b.open_for_period("allocation", "", "", fact.effective, seats=b.allocation,
                      groups=[g.model_dump() for g in fact.groups],
                      lots=[lot.model_dump() for lot in fact.lots], cause=fact.event_id)


def designate(b: BodyBook, fact: Designated) -> None:
    day, person = fact.effective, fact.person
    posts = _posts(b, day)
    _check_person(b, person, day, posts)
    if fact.substitute is not None:
        if not posts["substitutes"]:
            raise RuleViolation("FO3.8", f"{b.title} has no personal substitutes; "
                                f"{fact.substitute.name} cannot be one")
        if fact.substitute.person_id == person.person_id:
            raise RuleViolation("FO3.8", f"{person.name} cannot be their own substitute")
        _check_person(b, fact.substitute, day, posts)
    group = fact.group or person.party or None
    seat = _free_seat(b, group, fact)
    b.fill_vacancy(seat, day, "filled", fact.event_id)
    b.holders[seat], b.groups[seat] = person.person_id, group
    b.note_person(person, day)
    b.open_for_period("designated", seat, person.person_id, day, group=group,
                      decided_on=_iso(fact.decided_on), nominated=posts["nominated"],
                      cause=fact.event_id)
    if fact.substitute is not None:
        b.deputies[seat] = fact.substitute.person_id
        b.note_person(fact.substitute, day)
        b.open_for_period("deputy", seat, fact.substitute.person_id, day,
                          substitute_for=person.person_id, cause=fact.event_id)
    _check_allocation(b, group, fact)


def _check_person(b: BodyBook, person: Person, day: date, posts: dict[str, Any]) -> None:
    if posts["eligibility"] == "councillor_in_region":
        region = municipality(person.municipality).region
        if region != b.region:
            raise RuleViolation("FO3.8c", f"{person.name} ({person.person_id}) sits on the "
                                f"council of {person.municipality} (region {region}); "
                                f"{b.title} is designated by KKR {b.region}")
    if b.seat_of(person.person_id) or b.deputy_seat_of(person.person_id):
        raise RuleViolation("FO3.8", f"{person.name} ({person.person_id}) already holds a "
                            f"seat or is a substitute in {b.title} on {day}")


def _free_seat(b: BodyBook, group: str | None, fact: Designated) -> str:
    """KSL28: a seat its group left is refilled first; another group's refill is flagged."""
    day = fact.effective
    if not b.vacancies:
        assert b.posts is not None
        raise RuleViolation("FO3.8b", f"{b.title} has {b.posts['kkr_seats']} KKR seat(s), "
                            f"all filled on {day}: {_names(b, b.holders.values())}")
    by_number = sorted(b.vacancies, key=int)
    same = [seat for seat in by_number if b.vacancies[seat] == group]
    seat = (same or [s for s in by_number if b.vacancies[s] is None] or by_number)[0]
    left_by = b.vacancies[seat]
    if left_by is not None and left_by != group:
        b.add_flag("KSL28", day, day + timedelta(days=1), fact.event_id,
                   f"seat {seat} of {b.title}, left by group {left_by}, was refilled by "
                   f"group {group or '(none)'}", fact.person.person_id)
    return seat


def _check_allocation(b: BodyBook, group: str | None, fact: Designated) -> None:
    if b.allocation is None:
        return
    held = sum(1 for g in b.groups.values() if g == group)
    allotted = b.allocation.get(group or "", 0)
    if held > allotted:
        b.add_flag("FO3.8b", fact.effective, fact.effective + timedelta(days=1),
                   fact.event_id, f"group {group or '(none)'} holds {held} seat(s) of "
                   f"{b.title}; the allocation gives it {allotted}", fact.person.person_id)


def end_designation(b: BodyBook, fact: DesignationEnded) -> None:
    day, person_id = fact.effective, fact.person_id
    seat = b.seat_of(person_id)
    if seat is not None:
        group = b.groups.get(seat)
        b.vacate(seat, day, fact.reason, fact.event_id)
        b.open_vacancy(seat, day, group)
        return
    deputy_seat = b.deputy_seat_of(person_id)
    if deputy_seat is None:
        raise RuleViolation("END", f"{b.name(person_id)} holds no seat in {b.title} on {day}")
    b.end_deputy(deputy_seat, day, fact.reason, fact.event_id)


def dissolve(b: BodyBook, fact: BodyDissolved) -> None:
    day = fact.effective
    b.end_every_seat(day, "body_dissolved", fact.event_id)
    b.close_interval(("body", "", "", ""), day, "body_dissolved", fact.event_id)
    interval = b.by_key.get(("body", "", "", "", b.start or day))
    if interval is not None and fact.successor:
        interval.data["successor"] = fact.successor
    b.end = day


def no_timers(b: BodyBook, timer: object) -> None:
    raise AssertionError("a body's book sets no timers: its period ends by `expire`")


def _posts(b: BodyBook, day: date) -> dict[str, Any]:
    if b.posts is None:
        raise RuleViolation("FO3.8b", f"{b.title} has no KKR posts on {day}: define them "
                            "first (`define_posts`)")
    return b.posts


def _names(b: BodyBook, person_ids: Iterable[str]) -> str:
    return ", ".join(b.name(p) for p in person_ids) or "no one"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
