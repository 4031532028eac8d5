"""B1.4, B1.15, B1.16 and FO3.5: chair and vice chair, vacancies, temporary holders, acting."""

from __future__ import annotations

from datetime import date

from ledger.events import ChairElected, LeaveEnded, LeaveStarted, MembershipEnded
from tests.builders import constituted, holders, record, refusal

# The builders' term: chair mayor-aalborg, vice chair member-0.


def test_a_member_elected_chair_takes_the_role_from_the_previous_chair_by_b1_4() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-01", role="chair", person_id="mayor-thisted",
           elected_by="A+V")
    assert holders(term, "role", "2023-02-28", role="chair") == ["mayor-aalborg"]
    assert holders(term, "role", "2023-03-01", role="chair") == ["mayor-thisted"]


def test_a_member_elected_vice_chair_takes_that_role_by_b1_4() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-01", role="vice_chair", person_id="member-2")
    assert holders(term, "role", "2023-03-01", role="vice_chair") == ["member-2"]
    assert holders(term, "role", "2023-03-01", role="chair") == ["mayor-aalborg"]


def test_a_substitute_or_a_stranger_elected_chair_is_refused_by_b1_4() -> None:
    term = constituted()
    for someone in ("sub-0", "vice-aalborg", "nobody"):
        assert refusal(term, ChairElected, "2023-03-01", role="chair",
                       person_id=someone).rule == "B1.4"


def test_one_person_in_both_roles_or_elected_twice_is_refused_by_b1_4() -> None:
    term = constituted()
    assert refusal(term, ChairElected, "2023-03-01", role="chair",
                   person_id="member-0").rule == "B1.4"
    assert refusal(term, ChairElected, "2023-03-01", role="vice_chair",
                   person_id="mayor-aalborg").rule == "B1.4"
    assert refusal(term, ChairElected, "2023-03-01", role="chair",
                   person_id="mayor-aalborg").rule == "B1.4"


def test_a_member_on_leave_elected_chair_is_refused_by_b1_4() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-2",
           expected_until=date(2023, 9, 1), reason="health")
    assert refusal(term, ChairElected, "2023-04-01", role="chair",
                   person_id="member-2").rule == "B1.4"


def test_the_chair_falls_vacant_the_day_the_holder_stops_being_a_member_by_b1_15() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-05-01", person_id="mayor-aalborg", reason="left_council")
    assert holders(term, "role", "2023-04-30", role="chair") == ["mayor-aalborg"]
    assert holders(term, "role", "2023-05-01", role="chair") == []
    record(term, ChairElected, "2023-06-01", role="chair", person_id="mayor-thisted")
    assert holders(term, "role", "2023-06-01", role="chair") == ["mayor-thisted"]


def test_the_vice_chair_who_leaves_the_party_leaves_the_role_vacant_by_b1_15() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-05-01", person_id="member-0", reason="left_party")
    assert "vice_chair" not in term.timeline.roles
    assert holders(term, "role", "2023-05-01", role="vice_chair") == []


def test_electing_the_holder_who_left_again_is_refused_by_b1_15() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-05-01", person_id="mayor-aalborg", reason="left_council")
    assert refusal(term, ChairElected, "2023-06-01", role="chair",
                   person_id="mayor-aalborg").rule == "B1.4"


def test_a_temporary_chair_gives_the_role_back_at_the_end_of_the_period_by_b1_16() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-15", role="chair", person_id="mayor-thisted",
           until=date(2023, 9, 1))
    assert holders(term, "role", "2023-08-31", role="chair") == ["mayor-thisted"]
    assert holders(term, "role", "2023-09-01", role="chair") == ["mayor-aalborg"]
    assert holders(term, "role", "2023-03-14", role="chair") == ["mayor-aalborg"]


def test_a_temporary_election_for_under_three_months_is_refused_by_b1_16() -> None:
    term = constituted()
    refused = refusal(term, ChairElected, "2023-03-15", role="chair", person_id="mayor-thisted",
                      until=date(2023, 6, 14))
    assert refused.rule == "B1.16"


def test_the_role_is_not_given_back_to_a_previous_holder_who_left_by_b1_16() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-15", role="vice_chair", person_id="member-2",
           until=date(2023, 9, 1))
    record(term, MembershipEnded, "2023-06-01", person_id="member-0", reason="resigned")
    assert holders(term, "role", "2023-08-31", role="vice_chair") == ["member-2"]
    assert holders(term, "role", "2023-09-01", role="vice_chair") == []


def test_a_permanent_election_meanwhile_cancels_the_giving_back_by_b1_16() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-15", role="chair", person_id="mayor-thisted",
           until=date(2023, 9, 1))
    record(term, ChairElected, "2023-05-01", role="chair", person_id="mayor-rebild")
    assert holders(term, "role", "2023-09-01", role="chair") == ["mayor-rebild"]


def test_the_previous_chair_returns_even_if_the_temporary_chair_left_by_b1_16() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-15", role="chair", person_id="mayor-thisted",
           until=date(2023, 9, 1))
    record(term, MembershipEnded, "2023-06-01", person_id="mayor-thisted", reason="resigned")
    assert holders(term, "role", "2023-06-01", role="chair") == []
    assert holders(term, "role", "2023-09-01", role="chair") == ["mayor-aalborg"]


def test_the_vice_chair_acts_while_the_chair_is_on_leave_by_fo3_5() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-aalborg",
           expected_until=date(2023, 9, 1), reason="relieved_of_council_duties")
    record(term, LeaveEnded, "2023-08-01", person_id="mayor-aalborg")
    assert holders(term, "role", "2023-02-28", role="acting_chair") == []
    assert holders(term, "role", "2023-03-01", role="acting_chair") == ["member-0"]
    assert holders(term, "role", "2023-08-01", role="acting_chair") == []


def test_a_temporary_chair_ends_the_vice_chair_s_acting_by_fo3_5() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-aalborg",
           expected_until=date(2023, 9, 1), reason="relieved_of_council_duties")
    record(term, ChairElected, "2023-03-15", role="chair", person_id="mayor-thisted",
           until=date(2023, 9, 1))
    assert holders(term, "role", "2023-03-14", role="acting_chair") == ["member-0"]
    assert holders(term, "role", "2023-03-15", role="acting_chair") == []


def test_no_one_acts_for_the_chair_when_the_vice_chair_is_away_too_by_fo3_5() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-02-01", person_id="member-0",
           expected_until=date(2023, 9, 1), reason="health")
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-aalborg",
           expected_until=date(2023, 9, 1), reason="relieved_of_council_duties")
    assert holders(term, "role", "2023-03-01", role="acting_chair") == []
    record(term, LeaveEnded, "2023-04-01", person_id="member-0")
    assert holders(term, "role", "2023-04-01", role="acting_chair") == ["member-0"]


def test_no_one_acts_for_a_chair_who_is_present_by_fo3_5() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-2",
           expected_until=date(2023, 9, 1), reason="health")
    assert holders(term, "role", "2023-03-01", role="acting_chair") == []
