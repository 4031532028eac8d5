"""Back-dated facts: refused when they contradict later ones, refolded when valid."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.errors import RuleViolation
from ledger.events import Fact, LeaveStarted, MembershipEnded
from ledger.fold import fold
from ledger.store.application import Ledger, UnitOfWork
from ledger.values import TermId
from tests.builders import (
    NORD_2022,
    constituted,
    envelope,
    holders,
    places,
    record,
    refusal,
    snapshot,
)

NORD = TermId.parse(NORD_2022)


def test_a_back_dated_departure_before_a_recorded_leave_is_refused_naming_the_leave() -> None:
    term = constituted()
    leave = record(term, LeaveStarted, "2023-06-01", person_id="member-0",
                   expected_until=date(2023, 12, 1), reason="health")
    refused = refusal(term, MembershipEnded, "2023-03-01", person_id="member-0",
                      reason="resigned")
    assert refused.rule == "B1.7"
    assert leave.event_id in refused.reason and "contradicts" in refused.reason


def test_a_back_dated_fact_that_is_invalid_itself_is_refused_by_its_own_rule() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    refused = refusal(term, LeaveStarted, "2023-03-01", person_id="member-0",
                      expected_until=date(2023, 4, 1), reason="health")
    assert refused.rule == "B1.7" and "contradicts" not in refused.reason


def test_a_back_dated_fact_before_the_constitution_is_refused_by_b1_3() -> None:
    term = constituted()
    assert refusal(term, MembershipEnded, "2022-01-19", person_id="member-1",
                   reason="resigned").rule == "B1.3"


def test_a_valid_back_dated_leave_changes_the_timeline_from_its_date() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-09-01", person_id="member-1", reason="resigned")
    record(term, LeaveStarted, "2023-02-01", person_id="member-0",
           expected_until=date(2023, 6, 1), reason="health")
    assert holders(term, "acting", "2023-01-31", "party:a:1") == []
    assert holders(term, "acting", "2023-02-01", "party:a:1") == ["sub-0"]
    assert snapshot(term.timeline) == snapshot(fold(NORD_2022, term.facts))


def test_a_back_dated_departure_of_the_substitute_changes_the_later_succession() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-09-01", person_id="member-1", reason="resigned")
    assert holders(term, "member", "2023-09-01", "party:v:1") == ["sub-1"]
    record(term, MembershipEnded, "2023-05-01", person_id="sub-1", reason="left_council")
    assert holders(term, "member", "2023-09-01", "party:v:1") == []
    assert holders(term, "substitute", "2023-05-01", "party:v:1") == []


def stored(ledger: Ledger) -> list[Fact]:
    return ledger.stream(NORD.uuid)


def attempt(ledger: Ledger, event_class: type[Fact], day: str, **payload: Any) -> None:
    def work(unit: UnitOfWork) -> None:
        unit.term(NORD).record_fact(event_class, envelope(day), **payload)

    with pytest.raises(RuleViolation):
        ledger.execute(work)


def test_refused_commands_in_order_or_back_dated_write_nothing(memory_ledger: Ledger) -> None:
    memory_ledger.execute(lambda u: u.constitute(NORD, envelope("2022-01-20"), places(),
                                                 chair="mayor-aalborg", vice_chair="member-0"))
    memory_ledger.execute(lambda u: u.term(NORD).record_fact(
        LeaveStarted, envelope("2023-06-01"), person_id="member-0",
        expected_until=date(2023, 12, 1), reason="health"))
    before = stored(memory_ledger)
    attempt(memory_ledger, LeaveStarted, "2023-07-01", person_id="member-0",
            expected_until=date(2024, 1, 1), reason="health")
    attempt(memory_ledger, MembershipEnded, "2023-03-01", person_id="member-0", reason="resigned")
    assert [e.event_id for e in stored(memory_ledger)] == [e.event_id for e in before]
    term = memory_ledger.find_term(NORD)
    assert term is not None and holders(term, "acting", "2023-06-01") == ["sub-0"]
