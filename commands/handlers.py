"""Carry out one parsed command inside a unit of work; a repeated command_id is a no-op."""

from __future__ import annotations

from datetime import date

from commands.lines import Command
from commands.mandate_handlers import handle_mandate
from commands.mandate_models import BodyCommand, EndCouncilMembership, RegisterBody
from commands.models import EVENT_OF_COMMAND, Constitute, Redate, Retract, TermCommand
from ledger.aggregate import FoldedAggregate
from ledger.errors import NotFound, RuleViolation
from ledger.events import Fact
from ledger.store.application import UnitOfWork


def handle(unit: UnitOfWork, command: Command, recorded_by: str) -> bool:
    """Apply `command`; False when its command_id was applied before with the same content."""
    if _already_applied(unit, command):
        return False
    if isinstance(command, Constitute):
        _constitute(unit, command, recorded_by)
    elif isinstance(command, Retract | Redate):
        _correct(unit, command, recorded_by)
    elif isinstance(command, BodyCommand | EndCouncilMembership):
        handle_mandate(unit, command, recorded_by)
    else:
        term = unit.term(command.term_id)
        term.record_fact(EVENT_OF_COMMAND[type(command)],
                         command.envelope(command.effective, recorded_by), **command.payload())
    return True


def _constitute(unit: UnitOfWork, cmd: Constitute, recorded_by: str) -> None:
    unit.constitute(
        cmd.term_id, cmd.envelope(cmd.effective, recorded_by), list(cmd.members),
        chair=cmd.chair, vice_chair=cmd.vice_chair, convened_by=cmd.convened_by,
        election_date=cmd.election_date, votes=cmd.votes,
    )


def _correct(unit: UnitOfWork, cmd: Retract, recorded_by: str) -> None:
    stream = unit.aggregate_of_event(cmd.event_id)
    if isinstance(cmd, Redate):
        stream.redate(cmd.envelope(cmd.effective, recorded_by), cmd.event_id, cmd.reason)
    else:
        # A retraction has no date of its own; the stream stores it at the target's date.
        stream.retract(cmd.envelope(date.min, recorded_by), cmd.event_id, cmd.reason)


def _already_applied(unit: UnitOfWork, command: Command) -> bool:
    """Idempotency within the command's stream: the same id with the same content is a
    no-op; with other content it is refused."""
    if not command.command_id:
        return False
    stream = _target(unit, command)
    earlier = stream.facts_of_command(command.command_id) if stream is not None else []
    if not earlier:
        return False
    if _same_content(command, earlier[0]):
        return True
    raise RuleViolation("idempotency", f"command_id {command.command_id} was already applied "
                        f"with different content (event {earlier[0].event_id})")


def _target(unit: UnitOfWork, command: Command) -> FoldedAggregate | None:
    if isinstance(command, TermCommand):
        return unit.find(command.term_id)
    if isinstance(command, BodyCommand):
        return unit.find_body(command.body)
    if isinstance(command, EndCouncilMembership):
        return unit.find_councillor(command.person_id)
    try:
        return unit.aggregate_of_event(command.event_id)
    except NotFound:
        return None


def _same_content(command: Command, fact: Fact) -> bool:
    stored = fact.model_dump(mode="json")
    given = command.model_dump(mode="json", exclude={"command", "recorded_by"})
    if isinstance(command, Retract):
        target = stored.get("event_id_retracted") or stored.get("event_id_redated")
        if given.pop("event_id") != target:
            return False
    elif not isinstance(command, Constitute | RegisterBody):
        given.pop("term", None)
        given.pop("body", None)
    return all(stored.get(key) == value for key, value in given.items())
