"""Every batch line (DESIGN.md §3.1, design/mandates.md): the union a line parses into, and
which events each command stores."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, TypeAdapter

from commands.mandate_models import (
    AllocatePosts,
    DefinePosts,
    Designate,
    DissolveBody,
    EndCouncilMembership,
    EndDesignation,
    RegisterBody,
)
from commands.models import (
    EVENT_OF_COMMAND,
    AppointMember,
    AppointSubstitute,
    ChangeMayor,
    ChangeParty,
    CommandBase,
    Constitute,
    ElectChair,
    EndLeave,
    EndMembership,
    Redate,
    Retract,
    StartLeave,
)
from ledger.events import EventRedated, EventRetracted, Fact, TermConstituted, TermEnded
from ledger.mandate_events import (
    BodyDissolved,
    BodyRegistered,
    CouncilMembershipEnded,
    Designated,
    DesignationEnded,
    PostsAllocated,
    PostsDefined,
)

__all__ = [
    "COMMAND_ADAPTER",
    "EVENT_OF_COMMAND",
    "EVENT_OF_OTHER_COMMAND",
    "EVENT_STORED_BY",
    "Command",
]

# The commands whose handler stores their event by other means (`handlers.py`,
# `mandate_handlers.py`).
EVENT_OF_OTHER_COMMAND: dict[type[CommandBase], type[Fact]] = {
    Constitute: TermConstituted,
    Retract: EventRetracted,
    Redate: EventRedated,
    RegisterBody: BodyRegistered,
    DefinePosts: PostsDefined,
    AllocatePosts: PostsAllocated,
    Designate: Designated,
    EndDesignation: DesignationEnded,
    DissolveBody: BodyDissolved,
    EndCouncilMembership: CouncilMembershipEnded,
}

# The events no command names: each is stored as a consequence of another command's event.
EVENT_STORED_BY: dict[type[Fact], type[CommandBase]] = {
    TermEnded: Constitute,  # B1.3: the next term's constitution ends the previous term
}

Command = Annotated[
    Constitute | StartLeave | EndLeave | ChangeParty | EndMembership | AppointSubstitute
    | AppointMember | ChangeMayor | ElectChair | Retract | Redate
    | RegisterBody | DefinePosts | AllocatePosts | Designate | EndDesignation | DissolveBody
    | EndCouncilMembership,
    Field(discriminator="command"),
]
COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
