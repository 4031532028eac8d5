"""Value objects shared by events and commands: terms, persons and the places of a constitution."""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from typing import Annotated, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ledger.errors import BadInput
from ledger.geography import REGION_NAMES, municipality, region_slug
from ledger.periods import FIRST_PERIOD, constitution_deadline
from ledger.vocabulary import SubstituteBasis

PersonId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Party = Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)]

SeatKind = Literal["mayor", "party"]

_TERM_ID = re.compile(r"^([^/]+)/(\d{4})$")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TermId(Frozen):
    """`nordjylland/2022`: one KKR for the electoral period whose first year is 2022."""

    region: str
    year: int

    @classmethod
    def parse(cls, text: str) -> TermId:
        return _parse_term_id(text)

    @classmethod
    def _parse(cls, text: str) -> TermId:
        match = _TERM_ID.match(text.strip())
        if not match:
            raise BadInput(f"term: {text!r} is not REGION/YEAR, e.g. nordjylland/2022")
        year = int(match.group(2))
        if year != FIRST_PERIOD and (year < 2010 or (year - 2010) % 4):
            raise BadInput(f"term: {year} does not start an electoral period (2007, 2010, 2014, …)")
        return cls(region=region_slug(match.group(1)), year=year)

    def __str__(self) -> str:
        return f"{self.region}/{self.year}"

    @property
    def uuid(self) -> UUID:
        return term_uuid(str(self))

    @property
    def region_name(self) -> str:
        return REGION_NAMES[self.region]

    @property
    def constitution_deadline(self) -> date:
        """B1.3: the constituent meeting is held by 31 January of the period's first year."""
        return constitution_deadline(self.year)


@cache
def term_uuid(term: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"kkr:term:{term}")


@cache
def body_uuid(body: str) -> UUID:
    """The stream of the body `body` (its slug)."""
    return uuid5(NAMESPACE_URL, f"kkr:body:{body}")


def council_uuid(person_id: str) -> UUID:
    """The stream of a person's council membership."""
    return uuid5(NAMESPACE_URL, f"kkr:council:{person_id}")


@lru_cache(maxsize=4096)
def _parse_term_id(text: str) -> TermId:
    return TermId._parse(text)


class Person(Frozen):
    person_id: PersonId
    name: Name
    municipality: Name
    party: Party = ""

    @field_validator("municipality")
    @classmethod
    def _known_municipality(cls, value: str) -> str:
        try:
            return municipality(value).name
        except BadInput as error:
            raise ValueError(str(error).split(": ", 1)[1]) from None


class ConstitutionPlace(Frozen):
    """One member of a constitution with the member's personal substitute (B1.2)."""

    person: Person
    seat: SeatKind
    substitute: Person | None = None
    basis: SubstituteBasis | None = None


class Envelope(Frozen):
    """What every fact carries besides its payload (DESIGN.md §2)."""

    effective: date
    source: Text = ""
    recorded_by: Text = ""
    command_id: Annotated[str, StringConstraints(max_length=200)] = ""


VoteCounts = dict[Annotated[str, StringConstraints(max_length=80)], Annotated[int, Field(ge=0)]]
