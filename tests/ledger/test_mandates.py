"""Mandates (design/mandates.md): FO3.8a/b/c, KSL28, the end causes (END), personal
substitutes, end_council_membership in one transaction, and corrections of mandate facts.

A body's own rules are checked on a `Body` held in memory; what spans streams (council
membership, KKR terms, corrections, reads as known at a moment) goes through batches."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from commands.batch import apply_batch, parse_lines
from ledger.body import Body
from ledger.errors import LedgerError, NotFound, RuleViolation
from ledger.fold.body_book import BodyBook
from ledger.mandate_events import GroupCount, LotDrawn, PostsAllocated
from ledger.statute.allocation import allocate
from ledger.store.application import Ledger
from ledger.values import Person, TermId, body_uuid, council_uuid
from projections.readmodel.catchup import Projector
from projections.views.mandates import mandates
from tests.builders import (
    NORD_2022,
    RAR,
    body_lines,
    constitution_line,
    designate_line,
    envelope,
    mandate_line,
    person,
    register_line,
    registered_body,
    snapshot,
)

pytestmark = pytest.mark.store

ANNA = person("anna-holm", "Aalborg", "A")
BO = person("bo-berg", "Hjørring", "V")
CARL = person("carl-dahl", "Thisted", "C")
DORTE = person("dorte-eg", "Rebild", "A")
MEMBER_1 = person("member-1", "Thisted", "V")  # a KKR member of Nordjylland 2022 (places())


# -- a body in memory -------------------------------------------------------------------------

def groups(**members: int) -> list[GroupCount]:
    return [GroupCount(group=name, members=count) for name, count in members.items()]


def designate(body: Body, who: Person, day: str, **details: Any) -> None:
    body.designate(envelope(day), who, {}, **details)


def body_refusal(body: Body, method: str, *args: Any, **kwargs: Any) -> RuleViolation:
    """Call a command the body must refuse; check that nothing was recorded or changed."""
    version, before = body.version, snapshot_of(body)
    with pytest.raises(RuleViolation) as caught:
        getattr(body, method)(*args, **kwargs)
    assert (body.version, snapshot_of(body)) == (version, before), "a refused fact changed it"
    return caught.value


def snapshot_of(body: Body) -> list[tuple[Any, ...]]:
    return snapshot(body.seats)  # type: ignore[arg-type]


def seated(book: BodyBook, day: str, kind: str = "designated") -> dict[str, str]:
    """seat -> the person holding it (as `kind`) on `day`."""
    on = date.fromisoformat(day)
    return {i.seat: i.person_id for i in book.intervals if i.kind == kind and i.holds_on(on)}


def vacant(book: BodyBook, day: str) -> dict[str, str | None]:
    """seat -> the group that left it, of the seats vacant on `day`."""
    on = date.fromisoformat(day)
    return {i.seat: i.data["group"] for i in book.intervals
            if i.kind == "vacancy" and i.holds_on(on)}


def ending(book: BodyBook, person_id: str, kind: str = "designated") -> tuple[date | None, Any]:
    """When and why the person's last `kind` interval ends."""
    last = [i for i in book.intervals if i.kind == kind and i.person_id == person_id][-1]
    return last.valid_to, last.data.get("end_reason")


def flags(book: BodyBook) -> list[tuple[str, date, str]]:
    return [(i.data["rule"], i.valid_from, i.data["message"]) for i in book.intervals
            if i.kind == "flag"]


# -- a ledger: batches, the events they store ---------------------------------------------------

@pytest.fixture
def ledger(memory_ledger: Ledger) -> Ledger:
    """Given Nordjylland 2022 constituted on 2022-01-20 and the RAR with 3 KKR seats."""
    stored(memory_ledger, constitution_line(NORD_2022, "2022-01-20"), *body_lines())
    return memory_ledger


def stored(ledger: Ledger, *lines: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Apply the lines as one batch; the stored events as (event id, stream, type)."""
    result = apply_batch(ledger, parse_lines([json.dumps(line) for line in lines]), "test")
    return [(e.event_id, e.term, e.type) for e in result.events]


def refused(ledger: Ledger, *lines: dict[str, Any]) -> LedgerError:
    """Apply a batch the ledger must refuse; check that nothing of it was stored."""
    before = event_count(ledger)
    with pytest.raises(LedgerError) as caught:
        stored(ledger, *lines)
    assert event_count(ledger) == before, "a refused batch stored events"
    return caught.value


def event_count(ledger: Ledger) -> int:
    return sum(1 for _ in ledger.iter_notifications())


def book_of(ledger: Ledger, body: str = RAR) -> BodyBook:
    found = ledger.find_aggregate(body_uuid(body))
    assert isinstance(found, Body)
    return found.seats


def term_holders(ledger: Ledger, kind: str, day: str, seat: str) -> list[str]:
    term = ledger.find_term(TermId.parse(NORD_2022))
    assert term is not None
    on = date.fromisoformat(day)
    return sorted(i.person_id for i in term.timeline.intervals
                  if i.kind == kind and i.seat == seat and i.holds_on(on))


def end_line(person_id: str, day: str, reason: str = "relieved",
             body: str = RAR) -> dict[str, Any]:
    return mandate_line("end_designation", day, body=body, person_id=person_id, reason=reason)


def council_end_line(person_id: str, day: str, reason: str = "left_council") -> dict[str, Any]:
    return mandate_line("end_council_membership", day, person_id=person_id, reason=reason)


# -- FO3.8a: one seat, by majority ---------------------------------------------------------------

def test_allocating_the_one_seat_of_a_body_is_refused_by_fo3_8a() -> None:
    body = registered_body(seats=1)
    refusal = body_refusal(body, "allocate", envelope("2022-02-01"), groups(A=9, V=5), ())
    assert refusal.rule == "FO3.8a"


def test_the_one_seat_is_filled_by_majority_without_an_allocation_by_fo3_8a() -> None:
    body = registered_body(seats=1)
    designate(body, ANNA, "2022-03-01")
    assert seated(body.seats, "2022-03-01") == {"1": "anna-holm"}
    assert body.seats.posts_on(date(2022, 3, 1))["method"] == "majority (FO3.8a)"  # type: ignore[index]


# -- FO3.8b: d'Hondt, alliances pooled, lots ----------------------------------------------------

@pytest.mark.parametrize(("members", "seats", "alliances", "expected"), [
    # A 9, 4.5, 3 | V 5, 2.5 | C 2: the seats go to 9 (A), 5 (V), 4.5 (A)
    ({"A": 9, "V": 5, "C": 2}, 3, [], {"A": 2, "V": 1, "C": 0}),
    # 7 (A), 5 (V), 3.5 (A), 3 (C), 2.5 (V); F's 2 comes sixth
    ({"A": 7, "V": 5, "C": 3, "F": 2}, 5, [], {"A": 2, "V": 2, "C": 1, "F": 0}),
    # alone, A's third quotient (3.67) beats V's 3: A takes all three
    ({"A": 11, "V": 3, "C": 2}, 3, [], {"A": 3, "V": 0, "C": 0}),
    # V+C pool 5, which beats A's 3.67; inside the alliance V's 3 beats C's 2
    ({"A": 11, "V": 3, "C": 2}, 3, [["V", "C"]], {"A": 2, "V": 1, "C": 0}),
    # three equal groups for three seats: a tie, but every tied group fits
    ({"A": 6, "V": 6, "C": 6}, 3, [], {"A": 1, "V": 1, "C": 1}),
])
def test_seats_are_allocated_by_dhondt_with_alliances_pooled_by_fo3_8b(
    members: dict[str, int], seats: int, alliances: list[list[str]], expected: dict[str, int]
) -> None:
    assert allocate(members, seats, alliances).seats == expected


def test_an_allocation_is_stored_with_its_inputs_and_its_seats_by_fo3_8b() -> None:
    body = registered_body(seats=3)
    body.allocate(envelope("2022-02-01"), groups(A=9, V=5, C=2), ())
    fact = body.facts[-1]
    assert isinstance(fact, PostsAllocated)
    assert (fact.seats, [g.group for g in fact.groups]) == ({"A": 2, "V": 1, "C": 0},
                                                            ["A", "V", "C"])


def test_a_tie_across_the_last_seat_without_a_lot_is_refused_naming_the_tied_groups() -> None:
    # A 6, 3 | V 3 | C 3: the second seat falls on three equal quotients of 3
    body = registered_body(seats=2)
    refusal = body_refusal(body, "allocate", envelope("2022-02-01"), groups(A=6, V=3, C=3), ())
    assert refusal.rule == "FO3.8b"
    assert "a lot is needed between A, C, V for 1 seat(s)" in refusal.reason


def test_with_the_lot_the_winner_gets_the_seat_and_the_lot_is_stored_by_fo3_8b() -> None:
    body = registered_body(seats=2)
    lot = LotDrawn(between=("A", "V", "C"), winner="C")
    body.allocate(envelope("2022-02-01"), groups(A=6, V=3, C=3), (lot,))
    fact = body.facts[-1]
    assert isinstance(fact, PostsAllocated)
    assert (fact.seats, fact.lots) == ({"A": 1, "V": 0, "C": 1}, (lot,))


def test_a_lot_that_no_tie_needed_is_not_stored_as_drawn_by_fo3_8b() -> None:
    body = registered_body(seats=3)
    body.allocate(envelope("2022-02-01"), groups(A=9, V=5, C=2),
                  (LotDrawn(between=("V", "C"), winner="C"),))
    fact = body.facts[-1]
    assert isinstance(fact, PostsAllocated) and fact.lots == ()


def test_a_lot_whose_winner_was_not_drawn_is_malformed(ledger: Ledger) -> None:
    line = mandate_line("allocate_posts", "2022-02-01", body=RAR,
                        groups=[{"group": "A", "members": 4}, {"group": "V", "members": 2}],
                        lots=[{"between": ["A", "V"], "winner": "C"}])
    refusal = refused(ledger, line)
    assert refusal.exit_code == 2
    assert "lots: the winner 'C' is not one of A, V" in refusal.message


def test_designations_beyond_a_groups_allocation_are_stored_and_flagged_by_fo3_8b() -> None:
    body = registered_body(seats=3)
    body.allocate(envelope("2022-02-01"), groups(A=9, V=5), ())  # A 2, V 1
    for who in (ANNA, DORTE):
        designate(body, who, "2022-03-01")
    designate(body, person("erik-fog", "Aalborg", "A"), "2022-04-01")
    assert len(seated(body.seats, "2022-04-01")) == 3
    assert flags(body.seats) == [("FO3.8b", date(2022, 4, 1), "group A holds 3 seat(s) of "
                                  "Rar Nordjylland; the allocation gives it 2")]


def test_two_designations_beyond_the_allocation_on_one_day_are_both_flagged_by_fo3_8b() -> None:
    body = registered_body(seats=3)
    body.allocate(envelope("2022-02-01"), groups(A=9, V=5), ())  # A 2, V 1: C none
    designate(body, CARL, "2022-03-01")
    designate(body, person("cecilie-ask", "Thisted", "C"), "2022-03-01")
    assert [rule for rule, _, _ in flags(body.seats)] == ["FO3.8b", "FO3.8b"]


def test_designating_to_a_body_with_no_free_seat_is_refused_naming_its_seats_and_holders() -> None:
    body = registered_body(seats=2)
    designate(body, ANNA, "2022-03-01")
    designate(body, BO, "2022-03-01")
    refusal = body_refusal(body, "designate", envelope("2022-04-01"), CARL, {})
    assert refusal.rule == "FO3.8b"
    assert refusal.reason == ("Rar Nordjylland has 2 KKR seat(s), all filled on 2022-04-01: "
                              "Anna Holm (anna-holm), Bo Berg (bo-berg)")


def test_redefining_the_number_of_seats_ends_the_allocation_made_for_the_old_number() -> None:
    body = registered_body(seats=3)
    body.allocate(envelope("2022-02-01"), groups(A=9, V=5), ())  # A 2, V 1 of 3
    body.define_posts(envelope("2022-05-01"), kkr_seats=5)
    assert body.seats.allocation is None
    allocation = next(i for i in body.seats.intervals if i.kind == "allocation")
    assert (allocation.valid_to, allocation.data["end_reason"]) == (date(2022, 5, 1),
                                                                   "posts_changed")


def test_redefining_the_posts_with_the_same_seats_keeps_the_allocation() -> None:
    body = registered_body(seats=3)
    body.allocate(envelope("2022-02-01"), groups(A=9, V=5), ())
    body.define_posts(envelope("2022-05-01"), kkr_seats=3, substitutes=True)
    allocation = next(i for i in body.seats.intervals if i.kind == "allocation")
    assert allocation.data["end_reason"] == "term_end"  # the period's end, 2026-01-01


# -- posts -----------------------------------------------------------------------------------

def test_designating_before_the_posts_are_defined_is_refused_by_fo3_8b() -> None:
    body = Body.register("eu-kontor", envelope("2022-02-01"), name="EU-kontor",
                         region="nordjylland")
    refusal = body_refusal(body, "designate", envelope("2022-03-01"), ANNA, {})
    assert refusal.rule == "FO3.8b" and "define them first" in refusal.reason


def test_reducing_the_posts_below_the_designated_is_refused_naming_them_by_fo3_8b() -> None:
    body = registered_body(seats=3)
    designate(body, ANNA, "2022-03-01")
    designate(body, BO, "2022-03-01")
    refusal = body_refusal(body, "define_posts", envelope("2022-05-01"), kkr_seats=1)
    assert refusal.rule == "FO3.8b"
    assert "Anna Holm (anna-holm), Bo Berg (bo-berg)" in refusal.reason


def test_reducing_the_posts_drops_the_vacant_seats_only() -> None:
    body = registered_body(seats=3)
    designate(body, ANNA, "2022-03-01")
    body.define_posts(envelope("2022-05-01"), kkr_seats=1)
    assert (seated(body.seats, "2022-05-01"), vacant(body.seats, "2022-05-01")) == (
        {"1": "anna-holm"}, {})


# -- FO3.8c: councillors of the region ----------------------------------------------------------

def test_a_councillor_of_another_region_is_refused_naming_municipality_and_region() -> None:
    body = registered_body()
    refusal = body_refusal(body, "designate", envelope("2022-03-01"),
                           person("ole-vig", "Odense", "A"), {})
    assert refusal.rule == "FO3.8c"
    assert "Odense (region syddanmark)" in refusal.reason
    assert "designated by KKR nordjylland" in refusal.reason


def test_a_seat_open_to_non_councillors_takes_anyone_by_fo3_8c() -> None:
    body = registered_body(eligibility="open")
    designate(body, person("ole-vig", "Odense", "A"), "2022-03-01")
    assert seated(body.seats, "2022-03-01") == {"1": "ole-vig"}


def test_a_person_whose_council_membership_ended_is_refused_until_the_next_period(
    ledger: Ledger
) -> None:
    stored(ledger, council_end_line("anna-holm", "2023-06-01"))
    refusal = refused(ledger, designate_line(ANNA, "2025-12-31"))
    assert isinstance(refusal, RuleViolation) and refusal.rule == "FO3.8c"
    assert "anna-holm is not a council member on 2025-12-31 (left council)" in refusal.reason
    # the next period's councils sit from 1 January 2026: the posts of that period take her
    stored(ledger, mandate_line("define_posts", "2026-01-01", body=RAR, kkr_seats=3),
           designate_line(ANNA, "2026-01-01"))
    assert seated(book_of(ledger), "2026-01-01") == {"1": "anna-holm"}


def test_a_substitute_whose_council_membership_ended_is_refused_by_fo3_8c(
    ledger: Ledger
) -> None:
    stored(ledger, *body_lines("erhvervshus-nordjylland", 2, substitutes=True),
           council_end_line("bo-berg", "2023-06-01", "deceased"))
    refusal = refused(ledger, designate_line(ANNA, "2023-07-01", "erhvervshus-nordjylland",
                                             substitute=BO))
    assert isinstance(refusal, RuleViolation) and refusal.rule == "FO3.8c"
    assert "bo-berg" in refusal.reason and "deceased" in refusal.reason


# -- KSL28: a vacancy is refilled by the group that left it -------------------------------------

def test_a_vacancy_refilled_by_the_same_group_is_not_flagged_by_ksl28() -> None:
    body = registered_body(seats=2)
    designate(body, ANNA, "2022-03-01")
    designate(body, BO, "2022-03-01")
    body.end_designation(envelope("2022-06-01"), "anna-holm", "relieved")
    assert vacant(body.seats, "2022-06-01") == {"1": "A"}
    designate(body, DORTE, "2022-07-01")
    assert seated(body.seats, "2022-07-01") == {"1": "dorte-eg", "2": "bo-berg"}
    assert flags(body.seats) == []


def test_a_vacancy_refilled_by_another_group_is_flagged_by_ksl28() -> None:
    body = registered_body(seats=2)
    designate(body, ANNA, "2022-03-01")
    designate(body, BO, "2022-03-01")
    body.end_designation(envelope("2022-06-01"), "anna-holm", "replaced")
    designate(body, CARL, "2022-07-01")
    assert seated(body.seats, "2022-07-01") == {"1": "carl-dahl", "2": "bo-berg"}
    assert flags(body.seats) == [("KSL28", date(2022, 7, 1), "seat 1 of Rar Nordjylland, "
                                  "left by group A, was refilled by group C")]


def test_two_refills_by_other_groups_on_one_day_are_both_flagged_by_ksl28() -> None:
    body = registered_body(seats=2)
    designate(body, ANNA, "2022-03-01")
    designate(body, DORTE, "2022-03-01")
    for pid in ("anna-holm", "dorte-eg"):
        body.end_designation(envelope("2022-06-01"), pid, "replaced")
    designate(body, BO, "2022-07-01")
    designate(body, CARL, "2022-07-01")
    assert [rule for rule, _, _ in flags(body.seats)] == ["KSL28", "KSL28"]


# -- END: the causes a designation ends with ----------------------------------------------------

@pytest.mark.parametrize("reason", ["left_council", "deceased", "relieved", "replaced", "other"])
def test_a_designation_ends_with_the_reason_given_and_the_seat_falls_vacant(reason: str) -> None:
    body = registered_body()
    designate(body, ANNA, "2022-03-01")
    body.end_designation(envelope("2023-04-01"), "anna-holm", reason)
    assert ending(body.seats, "anna-holm") == (date(2023, 4, 1), reason)
    assert vacant(body.seats, "2023-04-01")["1"] == "A"


def test_ending_the_designation_of_someone_without_a_seat_is_refused_by_end() -> None:
    body = registered_body()
    refusal = body_refusal(body, "end_designation", envelope("2023-04-01"), "bo-berg",
                           "relieved")
    assert refusal.rule == "END" and "bo-berg holds no seat" in refusal.reason


def test_the_designations_end_with_the_bodys_period_on_until_by_end() -> None:
    body = registered_body(until=date(2024, 6, 30))
    designate(body, ANNA, "2022-03-01")
    assert ending(body.seats, "anna-holm") == (date(2024, 6, 30), "term_end")
    assert (seated(body.seats, "2024-06-30"), vacant(body.seats, "2024-06-30")) == ({}, {})


def test_without_until_the_designations_end_on_1_january_of_the_next_period_by_end() -> None:
    body = registered_body()
    designate(body, ANNA, "2022-03-01")
    assert ending(body.seats, "anna-holm") == (date(2026, 1, 1), "term_end")
    refusal = body_refusal(body, "designate", envelope("2026-01-01"), BO, {})
    assert refusal.rule == "FO3.8b"  # the new period needs its posts defined


def test_dissolving_a_body_ends_every_designation_and_refuses_later_facts_by_end() -> None:
    body = registered_body(seats=2, substitutes=True)
    designate(body, ANNA, "2022-03-01", substitute=DORTE)
    designate(body, BO, "2022-03-01")
    body.dissolve(envelope("2023-01-01"), None)
    assert ending(body.seats, "anna-holm") == (date(2023, 1, 1), "body_dissolved")
    assert ending(body.seats, "bo-berg") == (date(2023, 1, 1), "body_dissolved")
    assert ending(body.seats, "dorte-eg", "deputy") == (date(2023, 1, 1), "body_dissolved")
    refusal = body_refusal(body, "designate", envelope("2023-02-01"), CARL, {})
    assert refusal.rule == "END" and "was dissolved on 2023-01-01" in refusal.reason
    assert body_refusal(body, "end_designation", envelope("2023-02-01"), "bo-berg",
                        "relieved").rule == "END"


def test_a_dissolved_bodys_successor_must_be_registered(ledger: Ledger) -> None:
    refusal = refused(ledger, mandate_line("dissolve_body", "2027-01-01", body=RAR,
                                           successor="rar-nord"))
    assert isinstance(refusal, NotFound) and "rar-nord is not registered" in refusal.message
    assert isinstance(refused(ledger, register_line("rar-nord", successor_of="rar-x")), NotFound)
    stored(ledger, register_line("rar-nord", "2022-12-01", successor_of=RAR),
           mandate_line("dissolve_body", "2023-01-01", body=RAR, successor="rar-nord"))
    assert book_of(ledger).end == date(2023, 1, 1)


def test_a_body_cannot_succeed_itself(ledger: Ledger) -> None:
    refusal = refused(ledger, mandate_line("dissolve_body", "2023-01-01", body=RAR,
                                           successor=RAR))
    assert isinstance(refusal, RuleViolation) and refusal.rule == "END"


def test_a_body_registered_twice_is_refused_by_fo2_2(ledger: Ledger) -> None:
    refusal = refused(ledger, register_line(day="2023-01-01"))
    assert isinstance(refusal, RuleViolation) and refusal.rule == "FO2.2"
    assert "rar-nordjylland is already registered" in refusal.reason


# -- party change; personal substitutes; the same person twice ----------------------------------

def test_a_kkr_member_who_changes_party_keeps_their_designation(ledger: Ledger) -> None:
    stored(ledger, designate_line(MEMBER_1, "2022-03-01"))
    stored(ledger, {"command": "change_party", "term": NORD_2022, "effective": "2023-06-01",
                    "person_id": "member-1", "party": "Æ"})
    assert term_holders(ledger, "member", "2023-06-01", "party:v:1") == ["sub-1"]  # B1.9
    assert seated(book_of(ledger), "2023-06-01") == {"1": "member-1"}
    assert ending(book_of(ledger), "member-1") == (date(2026, 1, 1), "term_end")


def test_a_personal_substitute_is_refused_where_the_body_has_none() -> None:
    body = registered_body()
    refusal = body_refusal(body, "designate", envelope("2022-03-01"), ANNA, {},
                           substitute=DORTE)
    assert refusal.rule == "FO3.8" and "has no personal substitutes" in refusal.reason


def test_a_personal_substitute_ends_with_their_designee() -> None:
    body = registered_body(substitutes=True)
    designate(body, ANNA, "2022-03-01", substitute=DORTE)
    assert seated(body.seats, "2022-03-01", "deputy") == {"1": "dorte-eg"}
    body.end_designation(envelope("2023-04-01"), "anna-holm", "deceased")
    assert ending(body.seats, "dorte-eg", "deputy") == (date(2023, 4, 1), "deceased")
    assert seated(body.seats, "2023-04-01", "deputy") == {}


def test_a_personal_substitute_can_leave_alone_and_the_designee_stays() -> None:
    body = registered_body(substitutes=True)
    designate(body, ANNA, "2022-03-01", substitute=DORTE)
    body.end_designation(envelope("2023-04-01"), "dorte-eg", "relieved")
    assert seated(body.seats, "2023-04-01") == {"1": "anna-holm"}
    assert seated(body.seats, "2023-04-01", "deputy") == {}


def test_the_same_person_twice_in_one_body_is_refused_by_fo3_8() -> None:
    body = registered_body(substitutes=True)
    designate(body, ANNA, "2022-03-01", substitute=DORTE)
    for who, substitute in ((ANNA, None), (DORTE, None), (BO, ANNA), (BO, BO)):
        refusal = body_refusal(body, "designate", envelope("2022-04-01"), who, {},
                               substitute=substitute)
        assert refusal.rule == "FO3.8"


# -- end_council_membership: one command, one transaction, every consequence --------------------

def test_leaving_the_council_ends_kkr_place_and_designations_in_one_batch(
    ledger: Ledger
) -> None:
    # given member-1 (KKR member, party:v:1, substitute sub-1) in three bodies
    stored(ledger, *body_lines("uc-nordjylland", 2, eligibility="open"),
           *body_lines("erhvervshus-nordjylland", 2, substitutes=True),
           designate_line(MEMBER_1, "2022-03-01"),
           designate_line(MEMBER_1, "2022-03-01", "uc-nordjylland"),
           designate_line(ANNA, "2022-03-01", "erhvervshus-nordjylland", substitute=MEMBER_1))
    # when member-1 leaves the council
    events = stored(ledger, council_end_line("member-1", "2023-06-01"))
    # then one batch stored the council fact, the KKR place's end and two designations' ends
    assert sorted((stream, kind) for _, stream, kind in events) == [
        ("body:erhvervshus-nordjylland", "DesignationEnded"),
        ("body:rar-nordjylland", "DesignationEnded"),
        ("council", "CouncilMembershipEnded"),
        (NORD_2022, "MembershipEnded")]
    assert term_holders(ledger, "member", "2023-06-01", "party:v:1") == ["sub-1"]  # B1.13
    assert ending(book_of(ledger), "member-1") == (date(2023, 6, 1), "left_council")
    assert ending(book_of(ledger, "erhvervshus-nordjylland"), "member-1", "deputy") == (
        date(2023, 6, 1), "left_council")
    assert seated(book_of(ledger, "erhvervshus-nordjylland"), "2023-06-01") == {"1": "anna-holm"}
    assert seated(book_of(ledger, "uc-nordjylland"), "2023-06-01") == {"1": "member-1"}


def test_a_mayor_who_leaves_the_council_has_the_vice_mayor_acting(ledger: Ledger) -> None:
    stored(ledger, council_end_line("mayor-aalborg", "2023-06-01", "deceased"))
    assert term_holders(ledger, "member", "2023-06-01", "mayor:aalborg") == []
    assert term_holders(ledger, "acting", "2023-06-01", "mayor:aalborg") == ["vice-aalborg"]


def test_a_refused_line_after_end_council_membership_stores_nothing(ledger: Ledger) -> None:
    stored(ledger, designate_line(MEMBER_1, "2022-03-01"))
    refusal = refused(ledger, council_end_line("member-1", "2023-06-01"),
                      designate_line(person("ole-vig", "Odense"), "2023-07-01"))
    assert isinstance(refusal, RuleViolation) and refusal.rule == "FO3.8c"
    assert ledger.find_aggregate(council_uuid("member-1")) is None
    assert seated(book_of(ledger), "2023-06-01") == {"1": "member-1"}
    assert term_holders(ledger, "member", "2023-06-01", "party:v:1") == ["member-1"]


def test_a_council_end_that_contradicts_a_later_fact_stores_nothing(ledger: Ledger) -> None:
    # given a designation already ended later: ending it on the council's day contradicts that
    stored(ledger, designate_line(MEMBER_1, "2022-03-01"), end_line("member-1", "2023-09-01"))
    refusal = refused(ledger, council_end_line("member-1", "2023-06-01"))
    assert isinstance(refusal, RuleViolation) and refusal.rule == "END"
    assert term_holders(ledger, "member", "2023-06-01", "party:v:1") == ["member-1"]


def test_ending_a_council_membership_twice_is_refused_by_end(ledger: Ledger) -> None:
    stored(ledger, council_end_line("anna-holm", "2023-06-01"))
    for day in ("2023-06-01", "2024-01-01", "2023-03-01"):
        refusal = refused(ledger, council_end_line("anna-holm", day))
        assert isinstance(refusal, RuleViolation) and refusal.rule == "END", day
        assert "anna-holm" in refusal.reason and "2023-06-01" in refusal.reason


def test_a_council_membership_ends_again_in_a_later_period(ledger: Ledger) -> None:
    stored(ledger, council_end_line("anna-holm", "2023-06-01"))
    events = stored(ledger, council_end_line("anna-holm", "2026-05-01", "other"))
    assert [kind for _, _, kind in events] == ["CouncilMembershipEnded"]


def test_the_council_end_of_a_person_holding_nothing_stores_that_fact_only(
    ledger: Ledger
) -> None:
    events = stored(ledger, council_end_line("anna-holm", "2023-06-01"))
    assert [(stream, kind) for _, stream, kind in events] == [
        ("council", "CouncilMembershipEnded")]


# -- corrections of mandate facts, as known at a moment -----------------------------------------

def seats_known(projector: Projector, day: str, moment: datetime) -> list[str]:
    projector.catch_up()
    with projector.engine.connect() as conn:
        found = mandates(conn, date.fromisoformat(day), moment, "nordjylland")
    return [f"{d['person']['person_id']}@{d['from']}" for b in found["bodies"]
            for d in b["designations"]]


@pytest.fixture
def designated(store: Ledger, projector: Projector) -> str:
    """Given the RAR and Anna designated on 2022-03-01: the id of that event."""
    stored(store, *body_lines())
    [(event_id, _, _)] = stored(store, designate_line(ANNA, "2022-03-01"))
    projector.catch_up()
    return event_id


def test_retracting_a_designation_frees_its_seat_as_known_after_it(
    store: Ledger, projector: Projector, designated: str
) -> None:
    before = datetime.now(UTC)
    stored(store, {"command": "retract", "event_id": designated, "reason": "never decided"})
    assert vacant(book_of(store), "2022-06-01") == {"1": None, "2": None, "3": None}
    assert seats_known(projector, "2022-06-01", before) == ["anna-holm@2022-03-01"]
    assert seats_known(projector, "2022-06-01", datetime.now(UTC)) == []
    stored(store, designate_line(BO, "2022-03-01"), designate_line(CARL, "2022-03-01"),
           designate_line(DORTE, "2022-03-01"))  # all three seats are free again


def test_redating_a_designation_moves_it_as_known_after_it(
    store: Ledger, projector: Projector, designated: str
) -> None:
    before = datetime.now(UTC)
    stored(store, {"command": "redate", "event_id": designated, "effective": "2022-05-01",
                   "reason": "the meeting was in May"})
    assert seats_known(projector, "2022-04-01", before) == ["anna-holm@2022-03-01"]
    assert seats_known(projector, "2022-04-01", datetime.now(UTC)) == []
    assert seats_known(projector, "2022-06-01", datetime.now(UTC)) == ["anna-holm@2022-05-01"]


def test_a_designation_is_not_known_before_it_was_recorded(
    store: Ledger, projector: Projector
) -> None:
    stored(store, *body_lines())
    before = datetime.now(UTC)
    stored(store, designate_line(ANNA, "2022-03-01"))
    assert seats_known(projector, "2022-06-01", before) == []
    assert seats_known(projector, "2022-06-01", datetime.now(UTC)) == ["anna-holm@2022-03-01"]


# -- council ends and designations recorded out of date order ---------------------------------

def test_a_designation_back_dated_before_a_council_end_ends_with_it(ledger: Ledger) -> None:
    stored(ledger, council_end_line("anna-holm", "2023-06-01"))
    try:
        stored(ledger, designate_line(ANNA, "2023-03-01"))
    except RuleViolation as refusal:
        assert refusal.rule == "FO3.8c"
        return
    assert ending(book_of(ledger), "anna-holm") == (date(2023, 6, 1), "left_council")


def test_leaving_the_council_before_a_recorded_designation_begins_ends_it(
    ledger: Ledger
) -> None:
    stored(ledger, designate_line(ANNA, "2023-09-01"))
    try:
        stored(ledger, council_end_line("anna-holm", "2023-06-01"))
    except RuleViolation as refusal:
        assert refusal.rule == "FO3.8c"
        return
    assert seated(book_of(ledger), "2023-10-01") == {}
