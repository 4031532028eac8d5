"""Half-open date spans `[from, to)` (to None: open) and their overlaps, for any interval or
row that has `valid_from` and `valid_to`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

Span = tuple[date, date | None]


class Dated(Protocol):
    @property
    def valid_from(self) -> date: ...

    @property
    def valid_to(self) -> date | None: ...


def span(interval: Dated) -> Span:
    return interval.valid_from, interval.valid_to


def overlaps(span: Span, others: Iterable[Span]) -> list[Span]:
    """The parts of `span` that each of `others` shares with it (empty ones left out)."""
    start, end = span
    found: list[Span] = []
    for s, e in others:
        lo, hi = max(start, s), min(end or date.max, e or date.max)
        if lo < hi:
            found.append((lo, None if hi == date.max else hi))
    return found
