"""B1.0-B1.4 at the constitution: each rule accepted and refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.errors import RuleViolation
from ledger.store.application import Ledger
from ledger.term import Term
from ledger.values import ConstitutionPlace, TermId
from tests.builders import envelope, person, places

NORD = TermId.parse("nordjylland/2022")


def constitute(members: list[ConstitutionPlace], day: str = "2022-01-20", **details: Any) -> Term:
    return Term.constitute(NORD, envelope(day), members, **details)


def refused_rule(members: list[ConstitutionPlace], **details: Any) -> str:
    with pytest.raises(RuleViolation) as caught:
        constitute(members, **details)
    return caught.value.rule


def test_a_complete_constitution_seats_every_mayor_and_party_member() -> None:
    term = constitute(places(party_seats=5), chair="mayor-aalborg", vice_chair="member-0")
    seats = term.timeline.seats
    assert len(seats) == 16
    assert seats["mayor:aalborg"].member == "mayor-aalborg"
    assert seats["party:a:1"].substitute == "sub-0"


def test_a_missing_mayor_seat_is_refused_by_b1_0() -> None:
    members = [p for p in places() if p.person.person_id != "mayor-laesoe"]
    assert refused_rule(members) == "B1.0"


def test_two_mayors_for_one_municipality_are_refused_by_b1_0() -> None:
    members = places()
    extra = ConstitutionPlace(person=person("second-mayor", "Aalborg"), seat="mayor")
    assert refused_rule([*members, extra]) == "B1.0"


def test_a_member_from_another_region_is_refused_by_b1_0() -> None:
    stranger = ConstitutionPlace(person=person("from-odense", "Odense"), seat="party")
    assert refused_rule([*places(), stranger]) == "B1.0"


def test_a_party_seat_without_a_party_is_refused_by_b1_0() -> None:
    loner = ConstitutionPlace(person=person("no-party", party=""), seat="party")
    assert refused_rule([*places(), loner]) == "B1.0"


def test_the_cap_of_twice_the_municipalities_is_accepted_and_one_more_refused_by_b1_1() -> None:
    assert len(constitute(places(party_seats=11)).timeline.seats) == 22
    assert refused_rule(places(party_seats=12)) == "B1.1"


def test_a_person_in_two_places_is_refused_by_b1_2() -> None:
    members = places()
    twice = members[-1].model_copy(update={"substitute": members[0].person})
    assert refused_rule([*members[:-1], twice]) == "B1.2"


def test_a_mayor_substitute_without_basis_is_refused_by_b1_2() -> None:
    members = places()
    members[0] = members[0].model_copy(update={"basis": None})
    assert refused_rule(members) == "B1.2"


def test_a_mayor_substitute_from_another_council_is_refused_by_b1_2() -> None:
    members = places()
    members[0] = members[0].model_copy(update={"substitute": person("elsewhere", "Aalborg")})
    assert members[0].person.municipality != "Aalborg"
    assert refused_rule(members) == "B1.2"


def test_a_second_vice_mayor_basis_is_accepted_for_a_mayor_by_b1_2() -> None:
    members = places()
    members[0] = members[0].model_copy(update={"basis": "second_vice_mayor"})
    term = constitute(members)
    substitute = term.timeline.by_key[("substitute", "mayor:morsoe", "vice-morsoe", "",
                                       date(2022, 1, 20))]
    assert substitute.data["basis"] == "second_vice_mayor"


def test_a_member_without_substitute_is_recorded_for_the_audit_by_b1_2() -> None:
    members = places(substitutes=False)
    term = constitute(members)
    assert all(seat.substitute is None for seat in term.timeline.seats.values())


def test_a_meeting_after_31_january_is_recorded_and_flagged_by_b1_3() -> None:
    term = constitute(places(), day="2022-02-03")
    flags = [i for i in term.timeline.intervals if i.kind == "flag"]
    assert [f.data["rule"] for f in flags] == ["B1.3"]
    assert flags[0].valid_from == date(2022, 2, 1)
    assert flags[0].valid_to == date(2022, 2, 3)


def test_a_meeting_by_31_january_raises_no_flag_by_b1_3() -> None:
    term = constitute(places(), day="2022-01-31")
    assert not [i for i in term.timeline.intervals if i.kind == "flag"]


def test_a_meeting_before_the_election_is_refused_by_b1_3() -> None:
    assert refused_rule(places(), election_date=date(2022, 1, 25)) == "B1.3"
    with pytest.raises(RuleViolation, match="outside"):
        constitute(places(), day="2021-06-01")


def test_a_convener_who_is_not_a_mayor_is_refused_by_b1_3() -> None:
    assert refused_rule(places(), convened_by="member-0") == "B1.3"
    assert constitute(places(), convened_by="mayor-aalborg").version == 1


def test_a_chair_who_is_not_a_member_is_refused_by_b1_4() -> None:
    assert refused_rule(places(), chair="sub-0") == "B1.4"


def test_one_person_as_chair_and_vice_chair_is_refused_by_b1_4() -> None:
    assert refused_rule(places(), chair="member-0", vice_chair="member-0") == "B1.4"


def test_constituting_the_next_term_ends_the_previous_one_that_day_by_b1_3(
    memory_ledger: Ledger,
) -> None:
    earlier, later = TermId.parse("nordjylland/2018"), NORD
    memory_ledger.execute(lambda u: u.constitute(earlier, envelope("2018-01-18"), places()))
    memory_ledger.execute(lambda u: u.constitute(later, envelope("2022-01-20"), places()))
    old = memory_ledger.find_term(earlier)
    assert old is not None and old.timeline.end == date(2022, 1, 20)
    assert all(i.valid_to == date(2022, 1, 20) for i in old.timeline.intervals
               if i.kind != "flag")


def test_a_term_constituted_before_its_successor_was_loaded_ends_at_the_successor(
    memory_ledger: Ledger,
) -> None:
    earlier = TermId.parse("nordjylland/2018")
    memory_ledger.execute(lambda u: u.constitute(NORD, envelope("2022-01-20"), places()))
    memory_ledger.execute(lambda u: u.constitute(earlier, envelope("2018-01-18"), places()))
    old = memory_ledger.find_term(earlier)
    assert old is not None and old.timeline.end == date(2022, 1, 20)


def test_constituting_a_term_twice_is_refused_by_b1_3(memory_ledger: Ledger) -> None:
    memory_ledger.execute(lambda u: u.constitute(NORD, envelope("2022-01-20"), places()))
    with pytest.raises(RuleViolation, match="already constituted"):
        memory_ledger.execute(lambda u: u.constitute(NORD, envelope("2022-01-21"), places()))


def test_a_refused_constitution_writes_nothing_and_ends_no_term(
    memory_ledger: Ledger,
) -> None:
    memory_ledger.execute(lambda u: u.constitute(NORD, envelope("2022-01-20"), places()))
    with pytest.raises(RuleViolation) as caught:
        memory_ledger.execute(lambda u: u.constitute(
            TermId.parse("nordjylland/2026"), envelope("2021-12-01"), places()))
    assert caught.value.rule == "B1.3"
    assert memory_ledger.find_term(TermId.parse("nordjylland/2026")) is None
