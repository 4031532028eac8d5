"""A person's council membership as an aggregate: the days it has ended (END, FO3.8c)."""

from __future__ import annotations

from datetime import date
from typing import cast

from ledger.aggregate import FoldedAggregate
from ledger.errors import RuleViolation
from ledger.fold.council_book import COUNCIL_STREAM, CouncilBook
from ledger.mandate_events import CouncilMembershipEnded
from ledger.values import Envelope, council_uuid

COUNCILLOR_TOPIC = "ledger.councillor:Councillor"


class Councillor(FoldedAggregate):
    @property
    def label(self) -> str:
        return COUNCIL_STREAM

    def off_council(self, day: date) -> str | None:
        """Why the person is not on a council on `day`, or None."""
        return cast(CouncilBook, self.book).ended_on(day)

    def ensure_on_council(self, person_id: str, day: date) -> None:
        """END: refused when the membership has ended on `day` or later in its period."""
        found = cast(CouncilBook, self.book).end_in_period(day)
        if found is not None:
            reason = str(found.data["reason"]).replace("_", " ")
            raise RuleViolation("END", f"the council membership of {person_id} has already "
                                f"ended on {found.valid_from} ({reason}); to change that, "
                                "retract or redate that event")

    def ends_after(self, day: date) -> list[tuple[date, str]]:
        """The council ends recorded after `day`, earliest first, with their reasons."""
        found = [(i.valid_from, str(i.data["reason"])) for i in self.book.intervals
                 if i.kind == "council_end" and i.valid_from > day]
        return sorted(found)

    @classmethod
    def begin(cls, person_id: str, envelope: Envelope, reason: str) -> Councillor:
        return cls._create(CouncilMembershipEnded, id=council_uuid(person_id),
                           **envelope.model_dump(), person_id=person_id, reason=reason)

    def end_membership(self, envelope: Envelope, person_id: str, reason: str) -> None:
        self.record_fact(CouncilMembershipEnded, envelope, person_id=person_id, reason=reason,
                         originator_topic=COUNCILLOR_TOPIC)
