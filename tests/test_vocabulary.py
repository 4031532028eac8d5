"""Every role, reason and basis of the vocabulary is accepted everywhere and shown by its label."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import click
import pytest
from pydantic import BaseModel

from commands.cli import changes
from commands.lines import COMMAND_ADAPTER
from commands.models import Constitute
from ledger import vocabulary as v
from ledger.events import (
    ChairElected,
    LeaveStarted,
    MemberAppointed,
    MembershipEnded,
    TermConstituted,
)
from projections.reports.audit import audit_term
from projections.reports.trail import summary
from projections.views.export import ROLE_TITLES
from tests.builders import constituted, person, record

TERM = {"term": "nordjylland/2022", "effective": "2023-03-01"}


def choices(command: click.Command, name: str) -> list[str]:
    """The values a CLI option or argument offers."""
    param = next(p for p in command.params if p.name == name)
    assert isinstance(param.type, click.Choice)
    return list(param.type.choices)


def test_each_literal_type_lists_exactly_its_table() -> None:
    # given the vocabulary as imported (it checks itself on import)
    # when it is checked again; then nothing differs
    v.check_vocabulary()


def test_a_literal_type_that_differs_from_its_table_is_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # given the leave reasons' table without one of its values
    fewer = dict(list(v.LEAVE_REASONS.items())[:-1])
    monkeypatch.setitem(v.VOCABULARIES, "LeaveReason", (v.LeaveReason, fewer))
    # when the vocabulary is checked; then the difference is named
    with pytest.raises(AssertionError, match="LeaveReason"):
        v.check_vocabulary()


CLI_CHOICES: list[tuple[click.Command, str, Mapping[str, Any]]] = [
    (changes.leave.commands["start"], "reason", v.LEAVE_REASONS),
    (changes.end_membership, "reason", v.END_REASONS),
    (changes.member.commands["appoint"], "basis", v.APPOINT_BASES),
    (changes.substitute.commands["appoint"], "basis", v.SUBSTITUTE_BASES),
    (changes.chair.commands["elect"], "role", v.ROLES),
]


@pytest.mark.parametrize(("command", "name", "table"), CLI_CHOICES,
                         ids=lambda x: getattr(x, "name", None) or "")
def test_the_cli_offers_every_value_of_the_vocabulary_in_its_order(
        command: click.Command, name: str, table: Mapping[str, Any]) -> None:
    # given a CLI option that takes a word of the vocabulary; then it offers exactly its table
    assert choices(command, name) == list(table)


BATCH_LINES: list[tuple[Mapping[str, Any], dict[str, Any], str]] = [
    (v.LEAVE_REASONS, {"command": "start_leave", "person_id": "a",
                       "expected_until": "2023-09-01"}, "reason"),
    (v.END_REASONS, {"command": "end_membership", "person_id": "a"}, "reason"),
    (v.APPOINT_BASES, {"command": "appoint_member", "person": person("a").model_dump()},
     "basis"),
    (v.SUBSTITUTE_BASES, {"command": "appoint_substitute", "person": person("a").model_dump(),
                          "for_member": "b"}, "basis"),
    (v.ROLES, {"command": "elect_chair", "person_id": "a"}, "role"),
]


@pytest.mark.parametrize(("table", "line", "field"), BATCH_LINES,
                         ids=lambda x: x.get("command", "") if isinstance(x, dict) else "")
def test_the_batch_format_accepts_every_value_of_the_vocabulary(
        table: Mapping[str, Any], line: dict[str, Any], field: str) -> None:
    # given a batch line for each value of the vocabulary
    for word in table:
        # when it is parsed; then the command carries the value
        command = COMMAND_ADAPTER.validate_python({**TERM, **line, field: word})
        assert getattr(command, field) == word


@pytest.mark.parametrize("reason", list(v.LEAVE_REASONS))
def test_the_trail_shows_each_leave_reason_by_its_label(reason: str) -> None:
    # given a leave for each reason
    fact = record(constituted(), LeaveStarted, "2023-03-01", person_id="member-0",
                  expected_until=date(2023, 9, 1), reason=reason)
    # then the trail's summary shows the reason's label
    assert summary(fact, {}).endswith(f"({v.LEAVE_REASONS[reason].label})")


@pytest.mark.parametrize("reason", list(v.END_REASONS))
def test_the_trail_shows_each_end_reason_by_its_label(reason: str) -> None:
    # given a member who leaves for each reason
    fact = record(constituted(), MembershipEnded, "2023-03-01", person_id="member-0",
                  reason=reason)
    # then the trail's summary shows the reason's label
    assert summary(fact, {}).endswith(f"({v.END_REASONS[reason].label})")


def test_the_trail_shows_an_appointment_basis_by_its_label() -> None:
    # given a member appointed to a vacant seat
    term = constituted()
    record(term, MembershipEnded, "2023-03-01", person_id="member-0", reason="resigned",
           successor_declines=True)
    fact = record(term, MemberAppointed, "2023-04-01", person=person("new-0"),
                  basis="successor_declined")
    # then the trail's summary shows the basis's label
    assert f"({v.APPOINT_BASES['successor_declined'].label})" in summary(fact, {})


@pytest.mark.parametrize("role", list(v.ROLES))
def test_the_trail_shows_each_elected_role_by_its_english_name(role: str) -> None:
    # given a member elected to each role
    fact = record(constituted(), ChairElected, "2023-03-01", role=role, person_id="member-1")
    # then the trail's summary names the role in English
    assert summary(fact, {}) == f"member-1 elected {v.ROLES[role].english}"


@pytest.mark.parametrize("role", list(v.ROLES))
def test_the_audit_names_a_vacant_role_by_its_label(role: str) -> None:
    # given a term constituted without a holder of the role
    term = constituted(**{role: None})
    # when it is audited
    found = audit_term("nordjylland/2022", list(term.facts), date(2023, 1, 1))
    # then a finding names the role by its label
    messages = [f.message for f in found if f.check == "role_vacant"]
    assert any(v.ROLES[role].label in m for m in messages), messages


def test_the_export_titles_every_role_as_the_vocabulary_does() -> None:
    # given the elected and the derived roles; then the export titles each by the vocabulary
    for role, words in v.EVERY_ROLE.items():
        assert ROLE_TITLES[role] == words.title


@pytest.mark.parametrize("model", [TermConstituted, Constitute], ids=lambda m: m.__name__)
def test_a_constitution_names_a_holder_of_every_elected_role(model: type[BaseModel]) -> None:
    # given the constitution's event and command; then each has a field for each role
    # (the trail and the fold read a role's holder by the role's id)
    assert set(v.ROLES) <= set(model.model_fields)
