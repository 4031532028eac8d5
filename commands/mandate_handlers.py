"""Carry out one parsed mandate command inside a unit of work (design/mandates.md)."""

from __future__ import annotations

from commands.mandate_models import (
    AllocatePosts,
    BodyCommand,
    DefinePosts,
    Designate,
    DissolveBody,
    EndCouncilMembership,
    EndDesignation,
    RegisterBody,
)
from ledger.store import mandates
from ledger.store.application import UnitOfWork

MandateCommand = BodyCommand | EndCouncilMembership


def handle_mandate(unit: UnitOfWork, cmd: MandateCommand, recorded_by: str) -> None:
    envelope = cmd.envelope(cmd.effective, recorded_by)
    if isinstance(cmd, EndCouncilMembership):
        mandates.end_council_membership(unit, cmd.person_id, cmd.reason, envelope)
    elif isinstance(cmd, RegisterBody):
        mandates.register_body(unit, cmd.body, envelope, name=cmd.name, region=cmd.region,
                               kind=cmd.kind, legal_basis=cmd.legal_basis,
                               successor_of=cmd.successor_of)
    elif isinstance(cmd, Designate):
        mandates.designate(unit, cmd.body, envelope, cmd.person, group=cmd.group,
                           substitute=cmd.substitute, decided_on=cmd.decided_on)
    else:
        _change_body(unit, cmd, recorded_by)


def _change_body(unit: UnitOfWork, cmd: BodyCommand, recorded_by: str) -> None:
    body, envelope = unit.body(cmd.body), cmd.envelope(cmd.effective, recorded_by)
    if isinstance(cmd, DefinePosts):
        body.define_posts(envelope, kkr_seats=cmd.kkr_seats, nominated=cmd.nominated,
                          substitutes=cmd.substitutes, eligibility=cmd.eligibility,
                          until=cmd.until)
    elif isinstance(cmd, AllocatePosts):
        body.allocate(envelope, cmd.groups, cmd.lots)
    elif isinstance(cmd, EndDesignation):
        body.end_designation(envelope, cmd.person_id, cmd.reason)
    elif isinstance(cmd, DissolveBody):
        if cmd.successor is not None:
            unit.body(cmd.successor)  # refused with NotFound when it is not registered
        body.dissolve(envelope, cmd.successor)
    else:
        raise AssertionError(f"no handler for {type(cmd).__name__}")
