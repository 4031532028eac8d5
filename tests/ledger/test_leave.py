"""B1.6-B1.8: leave of at least three months, the substitute acting, the member resuming."""

from __future__ import annotations

from datetime import date

from ledger.events import LeaveEnded, LeaveStarted, MembershipEnded, SubstituteAppointed
from tests.builders import constituted, holders, person, record, refusal


def test_a_mayor_relieved_of_council_duties_is_replaced_by_the_vice_mayor_by_b1_6() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-thisted",
           expected_until=date(2023, 6, 1), reason="relieved_of_council_duties")
    assert holders(term, "acting", "2023-02-28", "mayor:thisted") == []
    assert holders(term, "acting", "2023-03-01", "mayor:thisted") == ["vice-thisted"]
    assert holders(term, "member", "2023-03-01", "mayor:thisted") == ["mayor-thisted"]
    assert holders(term, "leave", "2023-03-01") == ["mayor-thisted"]


def test_a_mayor_on_leave_for_health_reasons_is_refused_by_b1_6() -> None:
    term = constituted()
    refused = refusal(term, LeaveStarted, "2023-03-01", person_id="mayor-thisted",
                      expected_until=date(2023, 9, 1), reason="health")
    assert refused.rule == "B1.6"
    assert "relieved_of_council_duties" in refused.reason


def test_a_party_member_relieved_of_council_duties_has_the_substitute_acting_by_b1_6() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-1",
           expected_until=date(2023, 8, 1), reason="relieved_of_council_duties")
    assert holders(term, "acting", "2023-03-01", "party:v:1") == ["sub-1"]
    leave = next(i for i in term.timeline.intervals if i.kind == "leave")
    assert leave.data["rule"] == "B1.6"


def test_a_leave_of_exactly_three_calendar_months_is_accepted_by_b1_7() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-01-31", person_id="member-0",
           expected_until=date(2023, 4, 30), reason="health", decided_on=date(2023, 2, 8))
    leave = next(i for i in term.timeline.intervals if i.kind == "leave")
    assert (leave.data["rule"], leave.data["decided_on"]) == ("B1.7", "2023-02-08")
    assert holders(term, "acting", "2023-01-31", "party:a:1") == ["sub-0"]


def test_a_leave_one_day_short_of_three_months_is_refused_by_b1_7_with_a_pointer_to_b1_8() -> None:
    term = constituted()
    refused = refusal(term, LeaveStarted, "2023-03-01", person_id="member-0",
                      expected_until=date(2023, 5, 31), reason="business")
    assert refused.rule == "B1.7"
    assert "B1.8" in refused.reason and "shorter than 3 months" in refused.reason


def test_a_single_meeting_absence_of_a_mayor_is_refused_with_a_pointer_to_b1_8() -> None:
    term = constituted()
    refused = refusal(term, LeaveStarted, "2023-03-01", person_id="mayor-aalborg",
                      expected_until=date(2023, 3, 2), reason="relieved_of_council_duties")
    assert refused.rule == "B1.6" and "single-meeting absence (B1.8)" in refused.reason


def test_a_leave_for_a_substitute_or_a_stranger_is_refused_by_b1_7() -> None:
    term = constituted()
    for someone in ("sub-0", "nobody"):
        refused = refusal(term, LeaveStarted, "2023-03-01", person_id=someone,
                          expected_until=date(2023, 9, 1), reason="health")
        assert refused.rule == "B1.7"


def test_a_second_leave_while_on_leave_is_refused_by_b1_7() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-0",
           expected_until=date(2023, 9, 1), reason="health")
    refused = refusal(term, LeaveStarted, "2023-04-01", person_id="member-0",
                      expected_until=date(2023, 9, 1), reason="other")
    assert refused.rule == "B1.7" and "already on leave" in refused.reason


def test_the_member_resumes_and_the_substitute_steps_back_at_the_end_of_leave_by_b1_7() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-0",
           expected_until=date(2023, 9, 1), reason="health")
    record(term, LeaveEnded, "2023-07-15", person_id="member-0")
    assert holders(term, "acting", "2023-07-14", "party:a:1") == ["sub-0"]
    assert holders(term, "acting", "2023-07-15", "party:a:1") == []
    assert holders(term, "leave", "2023-07-15") == []


def test_a_leave_lasts_past_its_expected_end_until_it_is_ended_by_b1_7() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-0",
           expected_until=date(2023, 6, 1), reason="health")
    assert holders(term, "acting", "2023-12-01", "party:a:1") == ["sub-0"]
    record(term, LeaveEnded, "2024-01-10", person_id="member-0")
    assert holders(term, "acting", "2024-01-10", "party:a:1") == []


def test_ending_a_leave_that_was_never_started_is_refused_by_b1_7() -> None:
    term = constituted()
    assert refusal(term, LeaveEnded, "2023-03-01", person_id="member-0").rule == "B1.7"
    assert refusal(term, LeaveEnded, "2023-03-01", person_id="sub-0").rule == "B1.7"


def test_a_substitute_appointed_during_a_leave_acts_at_once_by_b1_7() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-0",
           expected_until=date(2023, 9, 1), reason="health")
    record(term, MembershipEnded, "2023-04-01", person_id="sub-0", reason="left_council")
    assert holders(term, "acting", "2023-04-01", "party:a:1") == []
    record(term, SubstituteAppointed, "2023-05-01", person=person("new-sub", "Morsø"),
           for_member="member-0")
    assert holders(term, "acting", "2023-05-01", "party:a:1") == ["new-sub"]
