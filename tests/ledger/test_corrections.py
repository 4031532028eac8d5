"""Corrections: retract and redate are later facts; contradictions are refused, naming events."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.errors import NotFound, RuleViolation
from ledger.events import Fact, LeaveEnded, LeaveStarted
from ledger.store.application import Ledger, UnitOfWork
from ledger.values import TermId
from tests.builders import envelope, places

TERM = TermId.parse("nordjylland/2022")


def given_a_leave(ledger: Ledger) -> tuple[str, str]:
    """member-0 on leave from 2022-03-01 to 2022-09-01; returns both event ids."""
    ids: list[str] = []

    def work(u: UnitOfWork) -> None:
        u.constitute(TERM, envelope("2022-01-20"), places())
        term = u.term(TERM)
        ids.append(term.record_fact(LeaveStarted, envelope("2022-03-01"), person_id="member-0",
                                    expected_until=date(2022, 8, 1), reason="health").event_id)
        ids.append(term.record_fact(LeaveEnded, envelope("2022-09-01"),
                                    person_id="member-0").event_id)

    ledger.execute(work)
    return ids[0], ids[1]


def acting_on(ledger: Ledger, day: date) -> list[str]:
    term = ledger.find_term(TERM)
    assert term is not None
    return [i.person_id for i in term.timeline.intervals if i.kind == "acting" and
            i.holds_on(day)]


def correct(ledger: Ledger, kind: str, event_id: str, day: str | None = None) -> Fact:
    def work(unit: UnitOfWork) -> Fact:
        term = unit.aggregate_of_event(event_id)
        if kind == "retract":
            return term.retract(envelope("2000-01-01"), event_id, "reported in error")
        return term.redate(envelope(day or "2000-01-01"), event_id, "wrong date")

    return ledger.execute(work)


def test_a_retracted_leave_takes_its_acting_substitute_with_it(memory_ledger: Ledger) -> None:
    start, end = given_a_leave(memory_ledger)
    assert acting_on(memory_ledger, date(2022, 5, 1)) == ["sub-0"]
    correct(memory_ledger, "retract", end)
    correct(memory_ledger, "retract", start)
    assert acting_on(memory_ledger, date(2022, 5, 1)) == []


def test_retracting_a_start_that_a_later_end_needs_is_refused_naming_it(
    memory_ledger: Ledger,
) -> None:
    start, end = given_a_leave(memory_ledger)
    with pytest.raises(RuleViolation) as caught:
        correct(memory_ledger, "retract", start)
    assert end in caught.value.message and caught.value.rule == "B1.7"


def test_a_redated_leave_moves_the_acting_period(memory_ledger: Ledger) -> None:
    start, _end = given_a_leave(memory_ledger)
    correct(memory_ledger, "redate", start, "2022-04-01")
    assert acting_on(memory_ledger, date(2022, 3, 15)) == []
    assert acting_on(memory_ledger, date(2022, 4, 2)) == ["sub-0"]


def test_a_redate_that_breaks_a_rule_is_refused(memory_ledger: Ledger) -> None:
    start, _end = given_a_leave(memory_ledger)
    with pytest.raises(RuleViolation, match="shorter than 3 months"):
        correct(memory_ledger, "redate", start, "2022-07-01")


def test_retracting_twice_or_an_unknown_event_is_refused(memory_ledger: Ledger) -> None:
    _start, end = given_a_leave(memory_ledger)
    correct(memory_ledger, "retract", end)
    with pytest.raises(RuleViolation, match="already retracted"):
        correct(memory_ledger, "retract", end)
    with pytest.raises(NotFound):
        correct(memory_ledger, "retract", f"{TERM.uuid}:99")


def test_the_constitution_cannot_be_retracted(memory_ledger: Ledger) -> None:
    given_a_leave(memory_ledger)
    with pytest.raises(RuleViolation, match="term boundary"):
        correct(memory_ledger, "retract", f"{TERM.uuid}:1")


def test_a_correction_keeps_the_original_event_in_the_stream(memory_ledger: Ledger) -> None:
    start, end = given_a_leave(memory_ledger)
    correct(memory_ledger, "retract", end)
    stream = memory_ledger.stream(TERM.uuid)
    assert [e.event_id for e in stream][:3] == [f"{TERM.uuid}:1", start, end]
    assert len(stream) == 4
