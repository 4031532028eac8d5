"""The batch commands (DESIGN.md §3.1) as pydantic models: one JSON object per line."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ledger.errors import BadInput
from ledger.events import (
    ChairElected,
    Fact,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
)
from ledger.geography import municipality
from ledger.values import (
    ConstitutionPlace,
    Envelope,
    Name,
    Party,
    Person,
    PersonId,
    TermId,
    Text,
    VoteCounts,
)
from ledger.vocabulary import AppointBasis, EndReason, LeaveReason, Role, SubstituteBasis


class CommandBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Text = ""
    command_id: Annotated[str, StringConstraints(max_length=200)] = ""
    recorded_by: Text = ""

    def envelope(self, effective: date, recorded_by: str) -> Envelope:
        return Envelope(effective=effective, source=self.source, command_id=self.command_id,
                        recorded_by=self.recorded_by or recorded_by)


class TermCommand(CommandBase):
    term: str
    effective: date

    @field_validator("term")
    @classmethod
    def _term_id(cls, value: str) -> str:
        try:
            return str(TermId.parse(value))
        except BadInput as error:
            raise ValueError(error.message.split(": ", 1)[1]) from None

    @property
    def term_id(self) -> TermId:
        return TermId.parse(self.term)

    def payload(self) -> dict[str, object]:
        """The fields that are not the envelope: the event's own payload."""
        envelope_fields = {"command", "term", "effective", "source", "command_id", "recorded_by"}
        return {name: getattr(self, name) for name in type(self).model_fields
                if name not in envelope_fields}


class Constitute(TermCommand):
    command: Literal["constitute"]
    members: Annotated[list[ConstitutionPlace], Field(min_length=1, max_length=500)]
    chair: PersonId | None = None
    vice_chair: PersonId | None = None
    convened_by: PersonId | None = None
    election_date: date | None = None
    votes: VoteCounts | None = None

    @field_validator("members", mode="before")
    @classmethod
    def _substitute_basis_in_either_place(cls, value: object) -> object:
        """DESIGN.md §3.1: a substitute's `basis` may be given inside the substitute too."""
        if not isinstance(value, list):
            return value
        return [_lift_substitute_basis(place, index) for index, place in enumerate(value)]


def _lift_substitute_basis(place: object, index: int) -> object:
    """The place with `substitute.basis` moved to the member level; both and different: bad."""
    if not isinstance(place, dict) or not isinstance(place.get("substitute"), dict):
        return place
    substitute = dict(place["substitute"])
    if "basis" not in substitute:
        return place
    inner = substitute.pop("basis")
    outer = place.get("basis")
    if outer is not None and inner is not None and outer != inner:
        raise ValueError(f"member {index}: the substitute's basis is given twice and differs "
                         f"({outer!r} at member level, {inner!r} inside substitute)")
    return {**place, "substitute": substitute, "basis": outer if outer is not None else inner}


class StartLeave(TermCommand):
    command: Literal["start_leave"]
    person_id: PersonId
    expected_until: date
    reason: LeaveReason
    decided_on: date | None = None


class EndLeave(TermCommand):
    command: Literal["end_leave"]
    person_id: PersonId


class ChangeParty(TermCommand):
    command: Literal["change_party"]
    person_id: PersonId
    party: Party
    successor_declines: bool = False


class EndMembership(TermCommand):
    command: Literal["end_membership"]
    person_id: PersonId
    reason: EndReason
    successor_declines: bool = False


class AppointSubstitute(TermCommand):
    command: Literal["appoint_substitute"]
    person: Person
    for_member: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    basis: SubstituteBasis | None = None


class AppointMember(TermCommand):
    command: Literal["appoint_member"]
    person: Person
    basis: AppointBasis
    seat: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = None
    substitute: Person | None = None


class ChangeMayor(TermCommand):
    command: Literal["change_mayor"]
    municipality: Name
    person: Person
    substitute: Person | None = None

    @field_validator("municipality")
    @classmethod
    def _known_municipality(cls, value: str) -> str:
        return _municipality_name(value)


class ElectChair(TermCommand):
    command: Literal["elect_chair"]
    role: Role
    person_id: PersonId
    until: date | None = None
    elected_by: Text = ""


EventId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}:[0-9]{1,12}$")]


class Retract(CommandBase):
    """A correction: the event never happened (DESIGN.md §1.2)."""

    command: Literal["retract"]
    event_id: EventId
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=500)]


class Redate(Retract):
    """A correction: the event happened on `effective` instead."""

    command: Literal["redate"]  # type: ignore[assignment]
    effective: date


def _municipality_name(value: str) -> str:
    try:
        return municipality(value).name
    except BadInput as error:
        raise ValueError(error.message.split(": ", 1)[1]) from None


# The commands whose fields are exactly the payload of one event.
EVENT_OF_COMMAND: dict[type[TermCommand], type[Fact]] = {
    StartLeave: LeaveStarted,
    EndLeave: LeaveEnded,
    ChangeParty: PartyChanged,
    EndMembership: MembershipEnded,
    AppointSubstitute: SubstituteAppointed,
    AppointMember: MemberAppointed,
    ChangeMayor: MayorChanged,
    ElectChair: ChairElected,
}
