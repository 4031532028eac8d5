"""Carry out one parsed command inside a unit of work."""

from __future__ import annotations

from commands.models import EVENT_OF_COMMAND, Command, Constitute
from ledger.application import UnitOfWork


def handle(unit: UnitOfWork, command: Command, recorded_by: str) -> None:
    if isinstance(command, Constitute):
        _constitute(unit, command, recorded_by)
        return
    event_class = EVENT_OF_COMMAND[type(command)]
    term = unit.term(command.term_id)
    term.record_fact(event_class, command.envelope(command.effective, recorded_by),
                     **command.payload())


def _constitute(unit: UnitOfWork, cmd: Constitute, recorded_by: str) -> None:
    unit.constitute(
        cmd.term_id, cmd.envelope(cmd.effective, recorded_by), list(cmd.members),
        chair=cmd.chair, vice_chair=cmd.vice_chair, convened_by=cmd.convened_by,
        election_date=cmd.election_date, votes=cmd.votes,
    )

