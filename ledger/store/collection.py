"""Garbage collection during bulk work.

CPython's cyclic collector runs every few hundred allocations, and its full collections
visit every object the process holds. A ledger that applies or projects thousands of events
holds hundreds of thousands (terms, their facts, timelines and intervals), so with the
default thresholds about a third of a bulk apply went to the collector (measured with
scripts/bench at 1,000,000 events). Bulk work raises the thresholds while it runs: cycles
are still collected, just far less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (10_000, 50, 1_000)


@contextmanager
def bulk_allocations() -> Iterator[None]:
    """Collect garbage rarely inside the block; the thresholds in force before come back."""
    previous = gc.get_threshold()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
