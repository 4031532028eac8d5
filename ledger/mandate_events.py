"""The stored facts of mandates: bodies, their posts and allocations, designations, and a
councillor's council membership ending (design/mandates.md). Topics are stable, as for the
term's facts (`ledger.events`): renaming needs an upcaster and a `register_topic` call.

Each event records what was decided, never its consequences: a body's period ending, a
dissolution ending its designations and the seats left vacant are derived by the body's fold.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import CanInitAggregate, CanMutateAggregate
from pydantic import Field, StringConstraints

from ledger.events import Fact
from ledger.values import Frozen, Name, Person, PersonId, Text
from ledger.vocabulary import BodyKind, CouncilEndReason, DesignationEndReason, Eligibility

BodySlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,33}$")]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=80)]


class GroupCount(Frozen):
    """A group (party or list) of the KKR with its members, in an alliance or not."""

    group: GroupName
    members: Annotated[int, Field(ge=0, le=1000)]
    alliance: GroupName | None = None


class LotDrawn(Frozen):
    """A lot between tied groups (or alliances `A+B`) and the group it chose."""

    between: Annotated[tuple[GroupName, ...], Field(min_length=2, max_length=50)]
    winner: GroupName


class BodyRegistered(Fact, CanInitAggregate[UUID]):
    """FO2.2: a regional body the KKR designates (or nominates) representatives to."""

    originator_topic: str
    body: BodySlug
    name: Name
    region: str
    kind: BodyKind = "statutory"
    legal_basis: Text = ""
    successor_of: BodySlug | None = None


class PostsDefined(Fact):
    """The body's posts from `effective`: how many seats this KKR fills, and how."""

    kkr_seats: Annotated[int, Field(ge=1, le=500)]
    nominated: bool = False
    substitutes: bool = False
    eligibility: Eligibility = "councillor_in_region"
    until: date | None = None


class PostsAllocated(Fact):
    """FO3.8b: the seats per group by d'Hondt on member counts, with the lots drawn."""

    groups: Annotated[tuple[GroupCount, ...], Field(min_length=1, max_length=100)]
    lots: tuple[LotDrawn, ...] = ()
    seats: dict[GroupName, int]


class Designated(Fact):
    """FO3.8: a person designated to one of the body's seats (with a personal substitute)."""

    person: Person
    group: GroupName | None = None
    substitute: Person | None = None
    decided_on: date | None = None


class DesignationEnded(Fact):
    """END: a designee (or a personal substitute) leaves the body."""

    person_id: PersonId
    reason: DesignationEndReason


class BodyDissolved(Fact):
    """END: the body ceases; every designation ends with `body_dissolved`."""

    successor: BodySlug | None = None


class CouncilMembershipEnded(Fact, CanInitAggregate[UUID]):
    """END: a person's seat on their municipal council ends (until the next period's
    council); stored in the person's own stream, the first of it or a later one."""

    originator_topic: str
    person_id: PersonId
    reason: CouncilEndReason

    def mutate(self, aggregate: Any) -> Any:
        if aggregate is None:
            return CanInitAggregate.mutate(self, aggregate)
        return CanMutateAggregate.mutate(self, aggregate)


BODY_EVENT_CLASSES: tuple[type[Fact], ...] = (
    BodyRegistered,
    PostsDefined,
    PostsAllocated,
    Designated,
    DesignationEnded,
    BodyDissolved,
)
COUNCILLOR_EVENT_CLASSES: tuple[type[Fact], ...] = (CouncilMembershipEnded,)
