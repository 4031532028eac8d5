"""The batch commands (DESIGN.md §3.1) as pydantic models: one JSON object per line."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, field_validator

from ledger.errors import BadInput
from ledger.values import ConstitutionPlace, Envelope, PersonId, TermId, Text, VoteCounts


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


class Constitute(TermCommand):
    command: Literal["constitute"]
    members: Annotated[list[ConstitutionPlace], Field(min_length=1, max_length=500)]
    chair: PersonId | None = None
    vice_chair: PersonId | None = None
    convened_by: PersonId | None = None
    election_date: date | None = None
    votes: VoteCounts | None = None


Command = Annotated[Constitute, Field(discriminator="command")]
COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
