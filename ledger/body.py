"""The body aggregate: one regional body the KKR designates to, the consistency boundary of
its seats (design/mandates.md). Its state is its seats (`ledger.fold.body_book`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from ledger.aggregate import FoldedAggregate
from ledger.errors import RuleViolation
from ledger.fold.body_book import BODY_STREAM_PREFIX, BodyBook
from ledger.fold.streams import new_book
from ledger.mandate_events import (
    BodyDissolved,
    BodyRegistered,
    Designated,
    DesignationEnded,
    GroupCount,
    LotDrawn,
    PostsAllocated,
    PostsDefined,
)
from ledger.statute.allocation import Lot, allocate
from ledger.values import Envelope, Person, body_uuid


class Body(FoldedAggregate):
    @property
    def slug(self) -> str:
        first = self.facts[0]
        assert isinstance(first, BodyRegistered)
        return first.body

    @property
    def label(self) -> str:
        return BODY_STREAM_PREFIX + self.slug

    @property
    def region(self) -> str:
        first = self.facts[0]
        assert isinstance(first, BodyRegistered)
        return first.region

    @property
    def seats(self) -> BodyBook:
        return cast(BodyBook, self.book)

    # -- commands ---------------------------------------------------------------------------

    @classmethod
    def register(cls, body: str, envelope: Envelope, **details: Any) -> Body:
        fields = {**envelope.model_dump(), "body": body, **details}
        probe = BodyRegistered(originator_id=body_uuid(body), originator_version=1,
                               originator_topic="", timestamp=BodyRegistered.create_timestamp(),
                               **fields)
        new_book(BODY_STREAM_PREFIX + body, strict=True).apply(probe)
        return cls._create(BodyRegistered, id=body_uuid(body), **fields)

    def define_posts(self, envelope: Envelope, **posts: Any) -> None:
        self.record_fact(PostsDefined, envelope, **posts)

    def allocate(self, envelope: Envelope, groups: Sequence[GroupCount],
                 lots: Sequence[LotDrawn]) -> None:
        """FO3.8b: the seats per group by d'Hondt, computed here and stored with the inputs."""
        posts = self.seats.posts_on(envelope.effective)
        if posts is None:
            raise RuleViolation("FO3.8b", f"{self.seats.title} has no KKR posts on "
                                f"{envelope.effective}: define them first (`define_posts`)")
        members = {g.group: g.members for g in groups}
        alliances: dict[str, list[str]] = {}
        for g in groups:
            if g.alliance:
                alliances.setdefault(g.alliance, []).append(g.group)
        outcome = allocate(members, posts["kkr_seats"], list(alliances.values()),
                           [Lot(frozenset(lot.between), lot.winner) for lot in lots])
        drawn = tuple(lot for lot in lots  # a lot no tie needed was never drawn
                      if Lot(frozenset(lot.between), lot.winner) in outcome.lots_used)
        self.record_fact(PostsAllocated, envelope, groups=tuple(groups), lots=drawn,
                         seats=outcome.seats)

    def designate(self, envelope: Envelope, person: Person, off_council: dict[str, str],
                  **details: Any) -> None:
        """FO3.8: `off_council` maps the people (person and substitute) whose council
        membership has ended on the day to the reason (FO3.8c refuses them)."""
        if off_council:
            person_id, reason = next(iter(off_council.items()))
            raise RuleViolation("FO3.8c", f"{person_id} is not a council member on "
                                f"{envelope.effective} ({reason.replace('_', ' ')})")
        self.record_fact(Designated, envelope, person=person, **details)

    def end_designation(self, envelope: Envelope, person_id: str, reason: str) -> None:
        self.record_fact(DesignationEnded, envelope, person_id=person_id, reason=reason)

    def dissolve(self, envelope: Envelope, successor: str | None) -> None:
        if successor == self.slug:
            raise RuleViolation("END", f"{self.seats.title} ({self.slug}) cannot be its own "
                                "successor")
        self.record_fact(BodyDissolved, envelope, successor=successor)
