"""Every kind of event is folded, stored by a command, summarised by the trail and ruled."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest

from commands.batch import apply_batch, parse_lines
from commands.lines import EVENT_OF_OTHER_COMMAND, EVENT_STORED_BY, Command
from commands.models import EVENT_OF_COMMAND
from ledger import events as ev
from ledger import mandate_events as mev
from ledger.errors import LedgerError, RuleViolation
from ledger.fold.corrections import CORRECTIONS
from ledger.fold.table import BODY_HANDLERS, COUNCIL_HANDLERS, HANDLERS, RULES
from ledger.store.application import Ledger
from ledger.term import Term
from projections.reports.trail import SUMMARIES
from tests.builders import (
    constituted,
    constitution_line,
    envelope,
    person,
    refusal,
    registered_body,
)

LEDGER = Path(__file__).resolve().parents[1] / "ledger"


def event_classes() -> set[type[ev.Fact]]:
    """The stored kinds of fact: every Fact class defined in ledger.events and
    ledger.mandate_events."""
    found = {value for module in (ev, mev) for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, ev.Fact)
             and value.__module__ == module.__name__}
    return found - {ev.Fact}


def test_the_event_lists_name_every_event_class() -> None:
    # given the classes defined in the two event modules; then their lists name each once
    listed = [*ev.EVENT_CLASSES, *mev.BODY_EVENT_CLASSES, *mev.COUNCILLOR_EVENT_CLASSES]
    assert set(listed) == event_classes()
    assert len(listed) == len(set(listed))


def test_every_event_is_folded_by_a_handler_table_or_corrects_another() -> None:
    # given the folds' handler tables and the corrections; then together they cover each event
    tables = [HANDLERS, BODY_HANDLERS, COUNCIL_HANDLERS]
    assert set().union(*(t.facts for t in tables)) | set(CORRECTIONS) == event_classes()


def test_every_event_is_stored_by_exactly_one_batch_command() -> None:
    # given the three tables of commands/models.py
    by_payload, by_handler = list(EVENT_OF_COMMAND.values()), list(EVENT_OF_OTHER_COMMAND.values())
    stored = by_payload + by_handler + list(EVENT_STORED_BY)
    # then each event is named once: by the command it mirrors, by its handler, or as derived
    assert sorted(stored, key=str) == sorted(event_classes(), key=str)


def test_every_batch_command_stores_an_event_of_its_own() -> None:
    # given the commands a batch line may name
    union = get_args(Command)[0]
    # then each is a key of one table, and a derived event names one of them
    commands = set(get_args(union))
    assert set(EVENT_OF_COMMAND) | set(EVENT_OF_OTHER_COMMAND) == commands
    assert set(EVENT_STORED_BY.values()) <= commands


DERIVING: dict[type[ev.Fact], tuple[dict[str, Any], ...]] = {
    ev.TermEnded: (constitution_line("nordjylland/2018", "2018-01-11"),
                   constitution_line("nordjylland/2022", "2022-01-20")),
}
"""For each derived event: batch lines whose last one stores it as a consequence."""


def test_every_derived_event_has_lines_that_store_it() -> None:
    # given the derived events of commands/models.py; then each has lines above
    assert set(DERIVING) == set(EVENT_STORED_BY)


@pytest.mark.parametrize("kind", sorted(DERIVING, key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_a_derived_event_is_stored_by_the_command_credited_with_it(
        memory_ledger: Ledger, kind: type[ev.Fact]) -> None:
    # given the lines before the last one, applied
    *before, last = [json.dumps(line) for line in DERIVING[kind]]
    for line in before:
        apply_batch(memory_ledger, parse_lines([line]), "test")
    # when the last line is applied
    command = parse_lines([last])
    stored = apply_batch(memory_ledger, command, "test").events
    # then it stored the derived event, and it is the command EVENT_STORED_BY credits
    assert kind.__name__ in {e.type for e in stored}
    assert type(command[0].command) is EVENT_STORED_BY[kind]


def test_every_event_has_a_trail_summary_of_its_own() -> None:
    # given the trail's table of summaries; then it has a text for each kind of event
    assert set(SUMMARIES) == event_classes()


def test_every_event_names_the_rules_it_may_be_refused_with() -> None:
    # given the fold's table of rules; then each event is in it with at least one rule id
    assert set(RULES) == event_classes()
    assert all(RULES.values()), "a kind of fact that cannot be refused needs a comment and ()"


@pytest.mark.parametrize("rule", sorted({r for rules in RULES.values() for r in rules}))
def test_every_rule_in_the_table_is_applied_by_the_ledger(rule: str) -> None:
    # given a rule id of the table; then some check of the ledger raises it by that id
    sources = "\n".join(p.read_text() for p in LEDGER.rglob("*.py"))
    assert re.search(rf'"{re.escape(rule)}"', sources), f"no check of the ledger names {rule}"


def _retracting(target: Callable[[Term], ev.Fact]) -> Callable[[], RuleViolation]:
    """A retraction (or re-dating) of a term boundary: a fact that cannot be corrected."""
    def refused() -> RuleViolation:
        term = constituted()
        with pytest.raises(RuleViolation) as caught:
            target(term)
        return caught.value
    return refused


def _constitution_with_a_chair_who_is_no_member() -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        constituted(chair="nobody")
    return caught.value


def _first_event(term: Term) -> str:
    return term.facts[0].event_id


def _batch_refusal(*lines: dict[str, Any]) -> Callable[[], RuleViolation]:
    """The refusal of the last line, after the others were applied, on a ledger of its own."""
    def refused() -> RuleViolation:
        ledger = Ledger("sqlite:///:memory:")
        try:
            *before, last = [json.dumps(line) for line in lines]
            for line in before:
                apply_batch(ledger, parse_lines([line]), "test")
            with pytest.raises(LedgerError) as caught:
                apply_batch(ledger, parse_lines([last]), "test")
        finally:
            ledger.close()
        assert isinstance(caught.value, RuleViolation), caught.value
        return caught.value
    return refused


def _body_refusal(event_class: type[ev.Fact], day: str, **payload: Any) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        registered_body().record_fact(event_class, envelope(day), **payload)
    return caught.value


REGISTER = {"command": "register_body", "effective": "2022-02-01", "body": "rar-nordjylland",
            "name": "RAR Nordjylland", "region": "nordjylland"}
COUNCIL_END = {"command": "end_council_membership", "effective": "2023-02-01",
               "person_id": "anna", "reason": "left_council"}

REFUSED: dict[type[ev.Fact], Callable[[], RuleViolation]] = {
    ev.TermConstituted: _constitution_with_a_chair_who_is_no_member,
    ev.TermEnded: lambda: refusal(constituted(), ev.TermEnded, "2021-12-01",
                                  successor="nordjylland/2026"),
    ev.LeaveStarted: lambda: refusal(constituted(), ev.LeaveStarted, "2023-03-01",
                                     person_id="member-0", expected_until=date(2023, 4, 1),
                                     reason="health"),
    ev.LeaveEnded: lambda: refusal(constituted(), ev.LeaveEnded, "2023-03-01",
                                   person_id="member-0"),
    ev.MembershipEnded: lambda: refusal(constituted(), ev.MembershipEnded, "2023-03-01",
                                        person_id="nobody", reason="resigned"),
    ev.PartyChanged: lambda: refusal(constituted(), ev.PartyChanged, "2023-03-01",
                                     person_id="nobody", party="B"),
    ev.SubstituteAppointed: lambda: refusal(constituted(), ev.SubstituteAppointed, "2023-03-01",
                                            person=person("new-sub"), for_member="nobody"),
    ev.MemberAppointed: lambda: refusal(constituted(), ev.MemberAppointed, "2023-03-01",
                                        person=person("new-member"),
                                        basis="sole_representative"),
    ev.MayorChanged: lambda: refusal(constituted(), ev.MayorChanged, "2023-03-01",
                                     municipality="Aarhus",
                                     person=person("new-mayor", "Aarhus")),
    ev.ChairElected: lambda: refusal(constituted(), ev.ChairElected, "2023-03-01",
                                     role="chair", person_id="sub-0"),
    ev.EventRetracted: _retracting(lambda term: term.retract(
        envelope("2023-03-01"), _first_event(term), "a term boundary")),
    ev.EventRedated: _retracting(lambda term: term.redate(
        envelope("2023-03-01"), _first_event(term), "a term boundary")),
    mev.BodyRegistered: _batch_refusal(REGISTER, REGISTER),
    mev.PostsDefined: lambda: _body_refusal(mev.PostsDefined, "2021-01-01", kkr_seats=2),
    mev.PostsAllocated: lambda: _body_refusal(
        mev.PostsAllocated, "2022-03-01", groups=(mev.GroupCount(group="A", members=3),),
        seats={"A": 1}),
    mev.Designated: lambda: _body_refusal(mev.Designated, "2022-03-01",
                                          person=person("odense-one", "Odense")),
    mev.DesignationEnded: lambda: _body_refusal(mev.DesignationEnded, "2022-03-01",
                                                person_id="nobody", reason="relieved"),
    mev.BodyDissolved: lambda: _body_refusal(mev.BodyDissolved, "2021-03-01"),
    mev.CouncilMembershipEnded: _batch_refusal(COUNCIL_END, COUNCIL_END),
}
"""One refused example of each kind of fact: a new kind must show how it can be violated."""


def test_every_kind_of_fact_has_a_refused_example() -> None:
    # given the examples above; then there is one for each kind the rules table names
    assert set(REFUSED) == set(RULES)


@pytest.mark.parametrize("kind", sorted(REFUSED, key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_a_refused_fact_is_refused_by_a_rule_its_table_names(kind: type[ev.Fact]) -> None:
    # given a fact the ledger must refuse
    # when it is recorded
    violation = REFUSED[kind]()
    # then the refusal's rule id is one the table lists for that kind of fact
    assert violation.rule in RULES[kind], violation
