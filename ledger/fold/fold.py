"""The timeline fold: a pure function from a term's facts to its settled timeline.

Corrections are applied first; then facts are ordered by effective date, then recording
order, and applied through the handler table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from ledger.events import Fact
from ledger.fold.book import IntervalBook
from ledger.fold.corrections import corrected
from ledger.fold.table import HANDLERS
from ledger.fold.timeline import TimelineBuilder

Book = TypeVar("Book", bound=IntervalBook)


def new_timeline(term: str, *, strict: bool) -> TimelineBuilder:
    """An empty timeline of `term` that applies facts by the handler table (strict: a fact
    that breaks a rule raises; lenient: it is skipped and reported)."""
    return TimelineBuilder(term, HANDLERS, strict=strict)


def effective_order(facts: Iterable[Fact]) -> list[Fact]:
    """Effective date first, recording order second: the order the statute applies them."""
    return sorted(facts, key=lambda f: (f.effective, f.originator_version))


def fold(term: str, facts: Sequence[Fact], *, strict: bool = False) -> TimelineBuilder:
    """The settled timeline of the facts as corrected (retracted left out, re-dated moved)."""
    return fold_into(new_timeline(term, strict=strict), facts)


def fold_into(book: Book, facts: Sequence[Fact]) -> Book:
    """Apply the facts, as corrected, to an empty book (a term's timeline, a body's seats)."""
    book.recording = False
    for fact in effective_order(corrected(facts)):
        book.apply(fact, settle=False)
    book.advance(None)
    book.recording = True
    return book
