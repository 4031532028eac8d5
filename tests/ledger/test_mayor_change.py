"""A mayor change in mid-term: the seat stays, the vice mayor acts, the new mayor takes it."""

from __future__ import annotations

from datetime import date

from ledger.events import LeaveStarted, MayorChanged, MembershipEnded
from tests.builders import constituted, holders, person, record, refusal


def test_a_mayor_who_resigns_leaves_the_seat_to_the_acting_vice_mayor() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-05-01", person_id="mayor-thisted", reason="resigned")
    assert holders(term, "member", "2023-05-01", "mayor:thisted") == []
    assert holders(term, "acting", "2023-05-01", "mayor:thisted") == ["vice-thisted"]
    assert "mayor:thisted" in term.timeline.seats and term.timeline.size == 16


def test_a_mayor_on_leave_who_resigns_keeps_the_vice_mayor_acting() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-thisted",
           expected_until=date(2023, 9, 1), reason="relieved_of_council_duties")
    record(term, MembershipEnded, "2023-05-01", person_id="mayor-thisted", reason="resigned")
    assert holders(term, "acting", "2023-05-01", "mayor:thisted") == ["vice-thisted"]
    assert holders(term, "leave", "2023-05-01") == []


def test_the_new_mayor_takes_the_seat_and_keeps_the_vice_mayor_as_substitute() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-05-01", person_id="mayor-thisted", reason="deceased")
    record(term, MayorChanged, "2023-06-01", municipality="Thisted",
           person=person("new-mayor", "Thisted", "V"))
    assert holders(term, "member", "2023-06-01", "mayor:thisted") == ["new-mayor"]
    assert holders(term, "substitute", "2023-06-01", "mayor:thisted") == ["vice-thisted"]
    assert holders(term, "acting", "2023-06-01", "mayor:thisted") == []


def test_a_mayor_change_ends_the_old_mayor_s_membership_the_same_day() -> None:
    term = constituted()
    record(term, MayorChanged, "2023-06-01", municipality="Thisted",
           person=person("new-mayor", "Thisted", "V"))
    assert holders(term, "member", "2023-05-31", "mayor:thisted") == ["mayor-thisted"]
    assert holders(term, "member", "2023-06-01", "mayor:thisted") == ["new-mayor"]
    assert holders(term, "acting", "2023-06-01") == []


def test_a_mayor_change_with_a_new_vice_mayor_replaces_the_substitute() -> None:
    term = constituted()
    record(term, MayorChanged, "2023-06-01", municipality="Thisted",
           person=person("new-mayor", "Thisted", "V"),
           substitute=person("new-vice", "Thisted", "C"))
    assert holders(term, "substitute", "2023-06-01", "mayor:thisted") == ["new-vice"]
    assert "vice-thisted" not in term.timeline.places


def test_the_vice_mayor_who_becomes_mayor_leaves_the_substitute_place() -> None:
    term = constituted()
    record(term, MayorChanged, "2023-06-01", municipality="Thisted",
           person=person("vice-thisted", "Thisted", "C"))
    assert holders(term, "member", "2023-06-01", "mayor:thisted") == ["vice-thisted"]
    assert holders(term, "substitute", "2023-06-01", "mayor:thisted") == []


def test_a_party_member_who_becomes_mayor_is_succeeded_in_the_party_seat_by_b1_13() -> None:
    term = constituted()
    record(term, MayorChanged, "2023-06-01", municipality="Thisted",
           person=person("member-1", "Thisted", "V"))
    assert holders(term, "member", "2023-06-01", "mayor:thisted") == ["member-1"]
    assert holders(term, "member", "2023-06-01", "party:v:1") == ["sub-1"]
    assert holders(term, "substitute", "2023-06-01", "party:v:1") == []


def test_a_vice_chair_who_becomes_mayor_stays_a_member_and_keeps_the_role_by_b1_15() -> None:
    term = constituted()
    record(term, MayorChanged, "2023-06-01", municipality="Morsø",
           person=person("member-0", "Morsø"))
    assert term.timeline.roles["vice_chair"] == "member-0"
    assert holders(term, "role", "2023-06-01", role="vice_chair") == ["member-0"]


def test_a_chair_whose_mayoralty_ends_leaves_the_chair_vacant_by_b1_15() -> None:
    term = constituted()
    record(term, MayorChanged, "2023-06-01", municipality="Aalborg",
           person=person("new-mayor", "Aalborg"))
    assert "chair" not in term.timeline.roles
    assert holders(term, "role", "2023-06-01", role="chair") == []


def test_a_new_mayor_from_another_council_or_the_same_mayor_is_refused_by_b1_0() -> None:
    term = constituted()
    assert refusal(term, MayorChanged, "2023-06-01", municipality="Thisted",
                   person=person("stranger", "Aalborg")).rule == "B1.0"
    assert refusal(term, MayorChanged, "2023-06-01", municipality="Thisted",
                   person=person("mayor-thisted", "Thisted")).rule == "B1.0"
    assert refusal(term, MayorChanged, "2023-06-01", municipality="Odense",
                   person=person("stranger", "Odense")).rule == "B1.0"


def test_a_new_vice_mayor_who_holds_a_place_or_is_the_mayor_is_refused_by_b1_2() -> None:
    term = constituted()
    new = person("new-mayor", "Thisted", "V")
    for substitute in (person("member-1", "Thisted", "V"), new):
        assert refusal(term, MayorChanged, "2023-06-01", municipality="Thisted", person=new,
                       substitute=substitute).rule == "B1.2"


def test_the_vice_mayor_as_new_mayor_and_own_substitute_is_refused_by_b1_2() -> None:
    term = constituted()
    vice = person("vice-thisted", "Thisted", "C")
    assert refusal(term, MayorChanged, "2023-06-01", municipality="Thisted", person=vice,
                   substitute=vice).rule == "B1.2"
