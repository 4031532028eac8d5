"""Carry out one parsed command inside a unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commands.models import Command, Constitute
from ledger.application import UnitOfWork


def handle(unit: UnitOfWork, command: Command, recorded_by: str) -> None:
    HANDLERS[type(command)](unit, command, recorded_by)


def _constitute(unit: UnitOfWork, cmd: Any, recorded_by: str) -> None:
    assert isinstance(cmd, Constitute)
    unit.constitute(
        cmd.term_id, cmd.envelope(cmd.effective, recorded_by), list(cmd.members),
        chair=cmd.chair, vice_chair=cmd.vice_chair, convened_by=cmd.convened_by,
        election_date=cmd.election_date, votes=cmd.votes,
    )


HANDLERS: dict[type[Any], Callable[[UnitOfWork, Any, str], None]] = {
    Constitute: _constitute,
}
