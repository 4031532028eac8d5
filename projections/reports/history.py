"""A term's facts and fold as the ledger knew them at a moment (the recorded-time axis)."""

from __future__ import annotations

from datetime import datetime

from ledger.errors import NotFound
from ledger.events import Fact
from ledger.fold import fold
from ledger.fold.timeline import TimelineBuilder
from ledger.store.application import Ledger
from ledger.values import TermId


def events_known_at(ledger: Ledger, term: TermId, moment: datetime) -> list[Fact]:
    """The term's events recorded by `moment`, in recording order."""
    events = [e for e in ledger.stream(term.uuid) if e.timestamp <= moment]
    if not events:
        raise NotFound(f"term {term} has not been constituted (as known at {moment:%Y-%m-%d})")
    return events


def timeline_known_at(ledger: Ledger, term: TermId, moment: datetime) -> TimelineBuilder:
    return fold(str(term), events_known_at(ledger, term, moment))
