"""A body's seats as an interval book: the posts this KKR fills, who holds each seat, the
vacancies, and the allocation among the groups (design/mandates.md).

Seats are numbered `1`, `2`, … within the body. A seat is held by a designee (kind
`designated`, with a personal substitute as `deputy` where the body has them) or is vacant
(kind `vacancy`, with the group that left it, for KSL28). The handlers are in `on_body.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.errors import RuleViolation
from ledger.events import Fact
from ledger.fold.book import HandlerTable, IntervalBook
from ledger.mandate_events import BodyRegistered

BODY_STREAM_PREFIX = "body:"
SEAT_KINDS = ("designated", "deputy")  # a designee's seat, a personal substitute's place
PERIOD_KINDS = ("posts", "allocation", "designated", "deputy", "vacancy")  # end with the period


class BodyBook(IntervalBook):
    """The fold's state of one body; `apply` one fact at a time, in effective-date order."""

    DUPLICATE_RULE = "FO3.8"

    def __init__(self, label: str, handlers: HandlerTable, *, strict: bool = True) -> None:
        super().__init__(handlers, strict=strict)
        self.body = label.removeprefix(BODY_STREAM_PREFIX)
        self.region = ""
        self.title = self.body
        self.posts: dict[str, Any] | None = None  # the posts in force (`PostsDefined`)
        self.allocation: dict[str, int] | None = None  # group -> seats (`PostsAllocated`)
        self.holders: dict[str, str] = {}  # seat -> designee
        self.groups: dict[str, str | None] = {}  # seat -> the designee's group
        self.deputies: dict[str, str] = {}  # seat -> personal substitute
        self.vacancies: dict[str, str | None] = {}  # seat -> the group that left it
        # The end of the posts' period (`until`, else the councils' period): every seat's
        # interval is opened ending there (`term_end`) and cut short if it ends earlier; a
        # fact on or after it finds the seats gone (`expire`). No timer: a fact in date
        # order is applied on top, without refolding the body.
        self.period_end: date | None = None

    def apply(self, fact: Fact, *, settle: bool = True) -> None:
        self.expire(fact.effective)
        super().apply(fact, settle=settle)

    def expire(self, day: date) -> None:
        """On or after the period's end: the seats, posts and allocation are gone (their
        intervals already end there)."""
        if self.period_end is None or day < self.period_end:
            return
        for slot in [s for s in self.open if s[0] in PERIOD_KINDS]:
            del self.open[slot]
        self.holders, self.groups, self.deputies, self.vacancies = {}, {}, {}, {}
        self.posts = self.allocation = self.period_end = None

    def open_for_period(self, kind: str, seat: str, person_id: str, day: date,
                        **data: Any) -> None:
        """An interval that lasts until the period's end unless it is closed before."""
        interval = self.open_interval(kind, seat, person_id, day, **data)
        if self.period_end is not None:
            interval.valid_to = self.period_end
            interval.data["end_reason"] = "term_end"

    def ensure_in_stream(self, fact: Fact) -> None:
        if isinstance(fact, BodyRegistered):
            return
        if self.start is None or fact.effective < self.start:
            raise RuleViolation("FO2.2", f"{self.body} is not registered on {fact.effective}")
        if self.end is not None and fact.effective >= self.end:
            raise RuleViolation("END", f"{self.title} was dissolved on {self.end}; "
                                f"{fact.effective} is after it")

    # -- seats ------------------------------------------------------------------------------

    def seat_of(self, person_id: str) -> str | None:
        return next((seat for seat, holder in self.holders.items() if holder == person_id),
                    None)

    def deputy_seat_of(self, person_id: str) -> str | None:
        return next((seat for seat, deputy in self.deputies.items() if deputy == person_id),
                    None)

    def requires_council(self, person_id: str, day: date) -> bool:
        """True when the person holds a seat (or is a substitute) on `day` under posts that
        require council membership (`councillor_in_region`)."""
        holds = any(i.kind in SEAT_KINDS and i.person_id == person_id
                    and i.holds_on(day) for i in self.intervals)
        posts = self.posts_on(day)
        return holds and posts is not None and posts["eligibility"] == "councillor_in_region"

    def seat_starting(self, person_id: str, after: date, before: date) -> date | None:
        """The first day of a seat (or substitute's place) of the person that begins in
        `(after, before)`, if there is one."""
        found = [i.valid_from for i in self.intervals if i.kind in SEAT_KINDS
                 and i.person_id == person_id and after < i.valid_from < before]
        return min(found) if found else None

    def posts_on(self, day: date) -> dict[str, Any] | None:
        """The posts in force on `day` (the book is settled past it: `posts` is its end)."""
        found = [i for i in self.intervals if i.kind == "posts" and i.holds_on(day)]
        return found[-1].data if found else None

    def seat_count(self) -> int:
        return len(self.holders) + len(self.vacancies)

    def open_vacancy(self, seat: str, day: date, group: str | None) -> None:
        self.vacancies[seat] = group
        self.open_for_period("vacancy", seat, "", day, group=group)

    def fill_vacancy(self, seat: str, day: date, reason: str, event_id: str) -> None:
        self.vacancies.pop(seat)
        self.close_interval(("vacancy", seat, "", ""), day, reason, event_id)

    def vacate(self, seat: str, day: date, reason: str, event_id: str) -> str:
        """End the seat's designation and its deputy; returns the designee."""
        holder = self.holders.pop(seat)
        self.close_interval(("designated", seat, holder, ""), day, reason, event_id)
        self.end_deputy(seat, day, reason, event_id)
        self.groups.pop(seat, None)
        return holder

    def end_deputy(self, seat: str, day: date, reason: str, event_id: str) -> None:
        deputy = self.deputies.pop(seat, None)
        if deputy is not None:
            self.close_interval(("deputy", seat, deputy, ""), day, reason, event_id)

    def end_every_seat(self, day: date, reason: str, event_id: str) -> None:
        """The period's or the body's end: every seat ends, nothing is left vacant."""
        for seat in sorted(self.holders, key=int):
            self.vacate(seat, day, reason, event_id)
        for seat in sorted(self.vacancies, key=int):
            self.fill_vacancy(seat, day, reason, event_id)
        self.close_interval(("posts", "", "", ""), day, reason, event_id)
        self.close_interval(("allocation", "", "", ""), day, reason, event_id)
        self.posts = self.allocation = self.period_end = None
