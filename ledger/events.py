"""The stored facts: the base every fact shares, and a term's facts. Immutable, versioned
pydantic events (topics are stable); the mandates' facts are in `ledger.mandate_events`.

Each event records what was reported, never its consequences: those are derived by the
timeline fold. Renaming a class or a field needs an upcaster (`upcast_vN_vN+1`) and a
`register_topic` call for the old name, plus a test that old stored events still load.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Any, ClassVar, Protocol
from uuid import UUID

from eventsourcing.domain import CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict

from ledger.integrity import GENESIS
from ledger.values import (
    ConstitutionPlace,
    Person,
    PersonId,
    Text,
    VoteCounts,
)
from ledger.vocabulary import AppointBasis, EndReason, LeaveReason, Role, SubstituteBasis


class FactRecipient(Protocol):
    """What an event applies itself to: an aggregate (`ledger.term.Term`, a body, ...)."""

    def record(self, fact: Fact) -> None: ...

GENESIS_HASH = GENESIS  # the link of a stream's first event


class Fact(BaseModel, CanMutateAggregate[UUID]):
    """A stored fact with the envelope every fact carries; each stream's facts extend it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    class_version: ClassVar[int] = 1

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    effective: date
    source: Text = ""
    recorded_by: Text = ""
    command_id: str = ""
    previous_hash: str = GENESIS_HASH
    # The stored bytes (as loaded, or as they will be stored) and their chain hash are each
    # computed once by ledger.mapper, and kept in the instance's __dict__ as a cached property
    # keeps its value (pydantic's private attributes cost microseconds on every access).

    def apply(self, aggregate: Any) -> None:
        term: FactRecipient = aggregate
        term.record(self)

    @property
    def type_name(self) -> str:
        return type(self).__name__

    @cached_property
    def event_id(self) -> str:
        """`<term uuid>:<version>`: stable, unique, and readable in a trail."""
        return f"{self.originator_id}:{self.originator_version}"


class TermConstituted(Fact, CanInitAggregate[UUID]):
    """B1.3: the constituent meeting was held; the term starts on `effective`."""

    originator_topic: str
    term: str
    members: tuple[ConstitutionPlace, ...]
    chair: PersonId | None = None
    vice_chair: PersonId | None = None
    convened_by: PersonId | None = None
    election_date: date | None = None
    votes: VoteCounts | None = None


class TermEnded(Fact):
    """B1.3: the next term of the region was constituted; this one ends on `effective`."""

    successor: str


class LeaveStarted(Fact):
    """B1.6/B1.7: a member is away for an expected period of at least 3 months."""

    person_id: PersonId
    expected_until: date
    reason: LeaveReason
    decided_on: date | None = None


class LeaveEnded(Fact):
    """The member resumes; the acting substitute steps back (B1.7)."""

    person_id: PersonId


class PartyChanged(Fact):
    """B1.9/B1.10: a member or substitute left the party or list that elected them."""

    person_id: PersonId
    party: str
    successor_declines: bool = False


class MembershipEnded(Fact):
    """B1.9/B1.13/B1.14: a member or substitute leaves the KKR."""

    person_id: PersonId
    reason: EndReason
    successor_declines: bool = False


class SubstituteAppointed(Fact):
    """B1.13/B1.14: the party (or the council) appointed a personal substitute."""

    person: Person
    for_member: str
    basis: SubstituteBasis | None = None


class MemberAppointed(Fact):
    """B1.11/B1.13: a member appointed in mid-term."""

    person: Person
    basis: AppointBasis
    seat: str | None = None
    substitute: Person | None = None


class MayorChanged(Fact):
    """A new mayor takes the municipality's mayor seat in mid-term."""

    municipality: str
    person: Person
    substitute: Person | None = None


class ChairElected(Fact):
    """B1.4/B1.15/B1.16: a chair or vice chair elected, possibly for a limited period."""

    role: Role
    person_id: PersonId
    until: date | None = None
    elected_by: Text = ""


class EventRetracted(Fact):
    """A correction: the event never happened; its consequences disappear with it."""

    event_id_retracted: str
    reason: Text


class EventRedated(Fact):
    """A correction: the event happened on another date (`effective` is the new date)."""

    event_id_redated: str
    reason: Text


EVENT_CLASSES: tuple[type[Fact], ...] = (
    TermConstituted,
    TermEnded,
    LeaveStarted,
    LeaveEnded,
    PartyChanged,
    MembershipEnded,
    SubstituteAppointed,
    MemberAppointed,
    MayorChanged,
    ChairElected,
    EventRetracted,
    EventRedated,
)
