"""The batch commands of mandates (design/mandates.md) as pydantic models."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator

from commands.models import CommandBase
from ledger.errors import BadInput
from ledger.geography import region_slug
from ledger.mandate_events import BodySlug, GroupCount, GroupName, LotDrawn
from ledger.values import Name, Person, PersonId, Text
from ledger.vocabulary import BodyKind, CouncilEndReason, Eligibility

# The end causes a command may give; `term_end` and `body_dissolved` are derived by the fold.
GivenEndReason = Literal["left_council", "deceased", "relieved", "replaced", "other"]


class BodyCommand(CommandBase):
    body: BodySlug
    effective: date


class RegisterBody(BodyCommand):
    command: Literal["register_body"]
    name: Name
    region: str
    kind: BodyKind = "statutory"
    legal_basis: Text = ""
    successor_of: BodySlug | None = None

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        try:
            return region_slug(value)
        except BadInput as error:
            raise ValueError(error.message.split(": ", 1)[1]) from None


class DefinePosts(BodyCommand):
    command: Literal["define_posts"]
    kkr_seats: Annotated[int, Field(ge=1, le=500)]
    nominated: bool = False
    substitutes: bool = False
    eligibility: Eligibility = "councillor_in_region"
    until: date | None = None


class AllocatePosts(BodyCommand):
    command: Literal["allocate_posts"]
    groups: Annotated[list[GroupCount], Field(min_length=1, max_length=100)]
    lots: Annotated[tuple[LotDrawn, ...], Field(max_length=100)] = ()

    @field_validator("groups")
    @classmethod
    def _distinct_groups(cls, value: list[GroupCount]) -> list[GroupCount]:
        names = [g.group for g in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"group {', '.join(twice)} is listed more than once")
        return value

    @field_validator("lots")
    @classmethod
    def _winner_among_tied(cls, value: tuple[LotDrawn, ...]) -> tuple[LotDrawn, ...]:
        for lot in value:
            if lot.winner not in lot.between:
                raise ValueError(f"the winner {lot.winner!r} is not one of "
                                 f"{', '.join(lot.between)}")
        return value


class Designate(BodyCommand):
    command: Literal["designate"]
    person: Person
    group: GroupName | None = None
    substitute: Person | None = None
    decided_on: date | None = None


class EndDesignation(BodyCommand):
    command: Literal["end_designation"]
    person_id: PersonId
    reason: GivenEndReason


class DissolveBody(BodyCommand):
    command: Literal["dissolve_body"]
    successor: BodySlug | None = None


class EndCouncilMembership(CommandBase):
    command: Literal["end_council_membership"]
    effective: date
    person_id: PersonId
    reason: CouncilEndReason
