"""B1.9, B1.13, B1.14: members and substitutes who leave, succession, and the vacancies left."""

from __future__ import annotations

from datetime import date

from ledger.events import LeaveStarted, MemberAppointed, MembershipEnded, SubstituteAppointed
from tests.builders import constituted, holders, person, places, record, refusal


def test_a_member_who_leaves_the_council_leaves_the_kkr_by_b1_9() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="left_council")
    assert holders(term, "member", "2023-05-31", "party:v:1") == ["member-1"]
    assert "member-1" not in term.timeline.places
    ended = next(i for i in term.timeline.intervals if i.person_id == "member-1"
                 and i.kind == "member")
    assert (ended.valid_to, ended.data["end_reason"]) == (date(2023, 6, 1), "left_council")


def test_ending_the_membership_of_someone_without_a_place_is_refused_by_b1_9() -> None:
    term = constituted()
    assert refusal(term, MembershipEnded, "2023-06-01", person_id="nobody",
                   reason="resigned").rule == "B1.9"
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    assert refusal(term, MembershipEnded, "2023-07-01", person_id="member-1",
                   reason="deceased").rule == "B1.9"


def test_the_personal_substitute_succeeds_a_member_who_leaves_by_b1_13() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    assert holders(term, "member", "2023-06-01", "party:v:1") == ["sub-1"]
    assert holders(term, "substitute", "2023-06-01", "party:v:1") == []
    successor = next(i for i in term.timeline.intervals if i.kind == "member"
                     and i.person_id == "sub-1")
    assert (successor.data["basis"], successor.data["succeeded"]) == ("B1.13", "member-1")


def test_the_substitute_acting_for_a_member_on_leave_succeeds_when_the_member_leaves() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-1",
           expected_until=date(2023, 9, 1), reason="health")
    record(term, MembershipEnded, "2023-05-01", person_id="member-1", reason="deceased")
    assert holders(term, "member", "2023-05-01", "party:v:1") == ["sub-1"]
    assert holders(term, "acting", "2023-05-01") == []
    assert holders(term, "leave", "2023-05-01") == []


def test_a_declining_substitute_stays_substitute_of_a_vacant_seat_by_b1_13() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned",
           successor_declines=True)
    assert holders(term, "member", "2023-06-01", "party:v:1") == []
    assert holders(term, "substitute", "2023-06-01", "party:v:1") == ["sub-1"]
    assert holders(term, "acting", "2023-06-01") == []


def test_the_party_elects_a_new_member_whom_the_declining_substitute_serves_by_b1_13() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned",
           successor_declines=True)
    record(term, MemberAppointed, "2023-07-01", person=person("new-v", "Thisted", "V"),
           basis="successor_declined")
    assert holders(term, "member", "2023-07-01", "party:v:1") == ["new-v"]
    assert holders(term, "substitute", "2023-07-01", "party:v:1") == ["sub-1"]


def test_appointing_a_member_to_a_seat_that_has_one_is_refused_by_b1_13() -> None:
    term = constituted()
    assert refusal(term, MemberAppointed, "2023-07-01", person=person("new-v", "Thisted", "V"),
                   basis="vacancy").rule == "B1.13"
    assert refusal(term, MemberAppointed, "2023-07-01", person=person("new-v", "Thisted", "V"),
                   basis="vacancy", seat="party:v:1").rule == "B1.13"
    assert refusal(term, MemberAppointed, "2023-07-01", person=person("new-a", "Aalborg"),
                   basis="vacancy", seat="mayor:aalborg").rule == "B1.13"


def test_with_two_vacant_seats_of_a_party_the_appointment_must_name_one_by_b1_13() -> None:
    term = constituted(places(party_seats=6))
    for member in ("member-0", "member-5"):
        record(term, MembershipEnded, "2023-06-01", person_id=member, reason="resigned",
               successor_declines=True)
    new = person("new-a", "Aalborg")
    assert "name the seat" in refusal(term, MemberAppointed, "2023-07-01", person=new,
                                      basis="successor_declined").reason
    record(term, MemberAppointed, "2023-07-01", person=new, basis="successor_declined",
           seat="party:a:2")
    assert holders(term, "member", "2023-07-01", "party:a:2") == ["new-a"]


def test_an_appointed_member_who_already_holds_a_place_is_refused_by_b1_2() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned",
           successor_declines=True)
    for new, substitute in ((person("sub-0", "Morsø"), None),
                            (person("new-v", "Thisted", "V"), person("new-v", "Thisted", "V"))):
        assert refusal(term, MemberAppointed, "2023-07-01", person=new, substitute=substitute,
                       basis="successor_declined").rule == "B1.2"


def test_a_member_appointed_with_a_substitute_replaces_the_declining_one_by_b1_13() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned",
           successor_declines=True)
    record(term, MemberAppointed, "2023-07-01", person=person("new-v", "Thisted", "V"),
           basis="vacancy", substitute=person("new-v-sub", "Thisted", "V"))
    assert holders(term, "substitute", "2023-07-01", "party:v:1") == ["new-v-sub"]
    assert "sub-1" not in term.timeline.places


def test_a_substitute_who_leaves_leaves_a_vacancy_until_the_party_elects_one_by_b1_14() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="sub-1", reason="left_council")
    assert holders(term, "substitute", "2023-06-01", "party:v:1") == []
    assert holders(term, "member", "2023-06-01", "party:v:1") == ["member-1"]
    record(term, SubstituteAppointed, "2023-08-01", person=person("new-sub", "Thisted", "V"),
           for_member="member-1")
    assert holders(term, "substitute", "2023-07-31", "party:v:1") == []
    assert holders(term, "substitute", "2023-08-01", "party:v:1") == ["new-sub"]


def test_the_successor_gets_a_new_substitute_by_b1_13_and_b1_14() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    record(term, SubstituteAppointed, "2023-07-01", person=person("new-sub", "Thisted", "V"),
           for_member="sub-1")
    assert holders(term, "member", "2023-07-01", "party:v:1") == ["sub-1"]
    assert holders(term, "substitute", "2023-07-01", "party:v:1") == ["new-sub"]


def test_an_appointed_substitute_replaces_the_current_one_by_b1_14() -> None:
    term = constituted()
    record(term, SubstituteAppointed, "2023-07-01", person=person("new-sub", "Thisted", "V"),
           for_member="party:v:1", basis="party_elected")
    assert holders(term, "substitute", "2023-07-01", "party:v:1") == ["new-sub"]
    assert "sub-1" not in term.timeline.places


def test_a_substitute_for_no_member_or_the_same_substitute_again_is_refused_by_b1_14() -> None:
    term = constituted()
    assert refusal(term, SubstituteAppointed, "2023-07-01", person=person("x", "Thisted", "V"),
                   for_member="sub-1").rule == "B1.14"
    assert refusal(term, SubstituteAppointed, "2023-07-01", person=person("sub-1", "Thisted", "V"),
                   for_member="member-1").rule == "B1.14"


def test_a_member_or_another_member_s_substitute_as_substitute_is_refused_by_b1_2() -> None:
    term = constituted()
    for someone in (person("member-0", "Morsø"), person("sub-0", "Morsø")):
        assert refusal(term, SubstituteAppointed, "2023-07-01", person=someone,
                       for_member="member-1").rule == "B1.2"


def test_a_mayor_s_substitute_needs_a_basis_and_a_seat_in_that_council_by_b1_2() -> None:
    term = constituted()
    new = person("second-vice", "Thisted", "V")
    assert refusal(term, SubstituteAppointed, "2023-07-01", person=new,
                   for_member="mayor-thisted").rule == "B1.2"
    assert refusal(term, SubstituteAppointed, "2023-07-01", person=person("far", "Aalborg"),
                   for_member="mayor-thisted", basis="second_vice_mayor").rule == "B1.2"
    record(term, SubstituteAppointed, "2023-07-01", person=new, for_member="mayor-thisted",
           basis="second_vice_mayor")
    assert holders(term, "substitute", "2023-07-01", "mayor:thisted") == ["second-vice"]
