"""A person's council membership as an interval book: the days they do not sit on a
municipal council, from the day it ended until the next period's councils (ADR 0008)."""

from __future__ import annotations

from datetime import date

from ledger.fold.book import HandlerTable, Interval, IntervalBook
from ledger.mandate_events import CouncilMembershipEnded
from ledger.periods import council_period_end

COUNCIL_STREAM = "council"  # the label of every person's council stream (rows name the person)


class CouncilBook(IntervalBook):
    DUPLICATE_RULE = "END"

    def __init__(self, label: str, handlers: HandlerTable, *, strict: bool = True) -> None:
        super().__init__(handlers, strict=strict)

    def ended_on(self, day: date) -> str | None:
        """The reason the person is off the council on `day`, if they are."""
        found = [i for i in self.intervals if i.kind == "council_end" and i.holds_on(day)]
        return str(found[-1].data["reason"]) if found else None

    def end_in_period(self, day: date) -> Interval | None:
        """The end that holds on `day` or is recorded later in its period, if any: the
        council membership cannot end again before the next period."""
        until = council_period_end(day)
        return next((i for i in self.intervals if i.kind == "council_end"
                     and i.valid_from < until and (i.valid_to or until) > day), None)


def end_council_membership(b: CouncilBook, fact: CouncilMembershipEnded) -> None:
    day = fact.effective
    b.open_interval("council_end", "", fact.person_id, day, reason=fact.reason,
                    cause=fact.event_id)
    interval = b.open.pop(("council_end", "", fact.person_id, ""))
    interval.valid_to = council_period_end(day)


def no_timers(b: CouncilBook, timer: object) -> None:
    raise AssertionError("a council book sets no timers")
