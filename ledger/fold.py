"""The timeline fold: a pure function from a term's facts to its settled timeline.

Corrections are applied first; then facts are ordered by effective date, then recording
order. The handlers of the statute register themselves when their modules are imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ledger import changes, constitution, roles  # noqa: F401  (they register the handlers)
from ledger.corrections import corrected
from ledger.events import TermEvent
from ledger.timeline import TimelineBuilder


def effective_order(facts: Iterable[TermEvent]) -> list[TermEvent]:
    """Effective date first, recording order second: the order the statute applies them."""
    return sorted(facts, key=lambda f: (f.effective, f.originator_version))


def fold(term: str, facts: Sequence[TermEvent], *, strict: bool = False) -> TimelineBuilder:
    """The settled timeline of the facts as corrected (retracted left out, re-dated moved)."""
    builder = TimelineBuilder(term, strict=strict)
    builder.recording = False
    for fact in effective_order(corrected(facts)):
        builder.apply(fact, settle=False)
    builder.advance(None)
    builder.recording = True
    return builder
