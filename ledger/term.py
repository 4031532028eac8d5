"""The term aggregate: one KKR for one electoral period, the consistency boundary of its seats.

Its state is its timeline (`ledger.fold.timeline`); recording a checked fact is the base's
(`ledger.aggregate.FoldedAggregate`).
"""

from __future__ import annotations

from typing import Any, cast

from ledger.aggregate import FoldedAggregate
from ledger.events import TermConstituted, TermEnded
from ledger.fold import new_timeline
from ledger.fold.timeline import TimelineBuilder
from ledger.values import ConstitutionPlace, Envelope, TermId


class Term(FoldedAggregate):
    @property
    def term_id(self) -> TermId:
        first = self.facts[0]
        assert isinstance(first, TermConstituted)
        return TermId.parse(first.term)

    @property
    def label(self) -> str:
        return str(self.term_id)

    @property
    def region(self) -> str:
        return self.term_id.region

    @property
    def timeline(self) -> TimelineBuilder:
        """The fold of every recorded fact (lenient: history always loads)."""
        return cast(TimelineBuilder, self.book)

    # -- commands ---------------------------------------------------------------------------

    @classmethod
    def constitute(
        cls, term: TermId, envelope: Envelope, members: list[ConstitutionPlace], **details: Any
    ) -> Term:
        fields = {**envelope.model_dump(), "term": str(term), "members": tuple(members), **details}
        probe = TermConstituted(
            originator_id=term.uuid, originator_version=1, originator_topic="",
            timestamp=TermConstituted.create_timestamp(), **fields,
        )
        new_timeline(str(term), strict=True).apply(probe)
        return cls._create(TermConstituted, id=term.uuid, **fields)

    def end(self, envelope: Envelope, successor: TermId) -> None:
        self.record_fact(TermEnded, envelope, successor=str(successor))
