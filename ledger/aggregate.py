"""What every aggregate of the ledger shares: its facts, its fold, and the checked recording
of a new fact (a term, a body, a person's council membership).

Command methods ask the fold whether a new fact is allowed, then record it. The mutator
(`record`) only appends the fact: nothing is validated on replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from ledger.errors import RuleViolation
from ledger.events import GENESIS_HASH, EventRedated, EventRetracted, Fact
from ledger.fold import effective_order
from ledger.fold.book import Interval, IntervalBook, IntervalKey, changed_between
from ledger.fold.corrections import corrected, ensure_correctable
from ledger.fold.streams import fold_stream, new_book
from ledger.mapper import hash_of
from ledger.values import Envelope


@dataclass(frozen=True)
class FactChanges:
    """A fact recorded in this process (its stream, version and recorded time), with the
    intervals it changed in its stream's book (None: an interval it removed) and which of
    them are new. A projector packs them (`ledger.store.prepared`) until it writes their rows."""

    term: str  # the stream's label: a term id, `body:<slug>`, `council`
    region: str
    stream: UUID
    version: int
    recorded: datetime
    intervals: dict[IntervalKey, Interval | None]
    new: frozenset[IntervalKey]


class FoldedAggregate(BaseAggregate[UUID]):
    """An aggregate whose state is the fold of its facts (`ledger.fold.streams`)."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self._book: IntervalBook | None = None
        self._already_folded: Fact | None = None
        self._changes: list[FactChanges] | None = None

    @property
    def label(self) -> str:
        """The stream's label (`ledger.fold.streams.label_of` of its first fact)."""
        raise NotImplementedError

    @property
    def region(self) -> str:
        return ""

    def record(self, fact: Fact) -> None:
        """The mutator: append the fact; keep the fold current when it is cheap to."""
        self.facts.append(fact)
        if fact is self._already_folded:
            self._already_folded = None
        elif self._book is not None and self._book.accepts_in_order(fact):
            self._book.apply(fact)
        else:
            self._book = None

    @property
    def book(self) -> IntervalBook:
        """The fold of every recorded fact (lenient: history always loads)."""
        if self._book is None:
            self._book = fold_stream(self.label, self.facts)
        return self._book

    def track_changes(self) -> None:
        """From now on, keep what each new fact changes in the book, so a projector in the
        same process can write its rows without decoding and folding the facts again."""
        if self._changes is not None:
            return
        book = self.book
        book.drain_changes()
        self._changes = []
        if self.version == 1 and self.pending_events:  # created in this unit of work
            every = frozenset(book.by_key)
            self._changes.append(self._fact_changes(self.facts[0], book.snapshot(every), every))

    def drain_tracked_changes(self) -> list[FactChanges]:
        """What the facts recorded since the last drain changed (tracking goes on)."""
        drained = self._changes or []
        if self._changes is not None:
            self._changes = []
        return drained

    def _fact_changes(self, fact: Fact, intervals: dict[IntervalKey, Interval | None],
                      new: frozenset[IntervalKey]) -> FactChanges:
        return FactChanges(self.label, self.region, fact.originator_id,
                           fact.originator_version, fact.timestamp, intervals, new)

    @property
    def head_hash(self) -> str:
        return hash_of(self.facts[-1]) if self.facts else GENESIS_HASH

    # -- commands every aggregate takes -----------------------------------------------------

    def retract(self, envelope: Envelope, event_id: str, reason: str) -> Fact:
        target = ensure_correctable(self.facts, event_id)
        return self.record_fact(EventRetracted, envelope.model_copy(
            update={"effective": target.effective}), event_id_retracted=event_id, reason=reason)

    def redate(self, envelope: Envelope, event_id: str, reason: str) -> Fact:
        ensure_correctable(self.facts, event_id)
        return self.record_fact(EventRedated, envelope, event_id_redated=event_id, reason=reason)

    def facts_of_command(self, command_id: str) -> list[Fact]:
        return [f for f in self.facts if command_id and f.command_id == command_id]

    def record_fact(self, event_class: type[Fact], envelope: Envelope, **payload: Any) -> Fact:
        """Check the new fact against the fold (strict), then record it."""
        fact = event_class(
            originator_id=self.id, originator_version=self.version + 1,
            timestamp=event_class.create_timestamp(), previous_hash=self.head_hash,
            **envelope.model_dump(), **payload,
        )
        before = self.book
        if before.accepts_in_order(fact):
            self._apply_strictly(before, fact)
            added = set(before.added) if self._changes is not None else set()
            after, changed = before, before.drain_changes()
        else:
            after = self._refold_with(fact)
            after.drain_changes()
            changed = changed_between(before, after) if self._changes is not None else set()
            added = {key for key in changed if key not in before.by_key}
            self._book = after
        if self._changes is not None:
            self._changes.append(self._fact_changes(fact, after.snapshot(changed),
                                                    frozenset(added)))
        self._already_folded = fact
        fact.mutate(self)
        self._pending_events.append(fact)
        return fact

    @staticmethod
    def _apply_strictly(book: IntervalBook, fact: Fact) -> None:
        book.strict = True
        try:
            book.apply(fact)
        finally:
            book.strict = False

    def _refold_with(self, fact: Fact) -> IntervalBook:
        """A back-dated fact: refold with it; a later fact it contradicts is named."""
        book = new_book(self.label, strict=True)
        book.recording = False
        for existing in effective_order(corrected([*self.facts, fact])):
            try:
                book.apply(existing, settle=False)
            except RuleViolation as violation:
                if existing is fact:
                    raise
                raise RuleViolation(
                    violation.rule,
                    f"{fact.type_name} dated {fact.effective} contradicts event "
                    f"{existing.event_id} ({existing.type_name}, {existing.effective}): "
                    f"{violation.reason}",
                ) from None
        book.advance(None)
        book.strict, book.recording = False, True
        return book
