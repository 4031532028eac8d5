"""Every kind of stream and its fold: a term's timeline, a body's seats, a person's council
membership. A stream's label says which (`nordjylland/2022`, `body:rar-nordjylland`,
`council`); projections fold any stream through `fold_stream`."""

from __future__ import annotations

from collections.abc import Sequence

from ledger.events import Fact, TermConstituted
from ledger.fold.body_book import BODY_STREAM_PREFIX, BodyBook
from ledger.fold.book import IntervalBook
from ledger.fold.council_book import COUNCIL_STREAM, CouncilBook
from ledger.fold.fold import fold_into, new_timeline
from ledger.fold.table import BODY_HANDLERS, COUNCIL_HANDLERS
from ledger.mandate_events import BodyRegistered, CouncilMembershipEnded


def new_book(label: str, *, strict: bool) -> IntervalBook:
    """An empty book for the stream labelled `label`."""
    if label.startswith(BODY_STREAM_PREFIX):
        return BodyBook(label, BODY_HANDLERS, strict=strict)
    if label == COUNCIL_STREAM:
        return CouncilBook(label, COUNCIL_HANDLERS, strict=strict)
    return new_timeline(label, strict=strict)


def fold_stream(label: str, facts: Sequence[Fact], *, strict: bool = False) -> IntervalBook:
    """The settled book of a stream's facts as corrected."""
    return fold_into(new_book(label, strict=strict), facts)


def label_of(first: Fact) -> str:
    """The label of the stream whose first fact is `first`."""
    if isinstance(first, TermConstituted):
        return first.term
    if isinstance(first, BodyRegistered):
        return BODY_STREAM_PREFIX + first.body
    if isinstance(first, CouncilMembershipEnded):
        return COUNCIL_STREAM
    raise ValueError(f"{first.type_name} does not begin a stream")


def region_of(first: Fact) -> str:
    """The KKR region a stream belongs to ('' for a person's council stream)."""
    if isinstance(first, TermConstituted):
        return first.term.partition("/")[0]
    if isinstance(first, BodyRegistered):
        return first.region
    return ""
