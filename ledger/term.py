"""The term aggregate: one KKR for one electoral period, the consistency boundary.

Command methods ask the timeline fold whether a new fact is allowed, then record it.
The mutator (`record`) only appends the fact: nothing is validated on replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from ledger.errors import RuleViolation
from ledger.events import (
    GENESIS_HASH,
    EventRedated,
    EventRetracted,
    TermConstituted,
    TermEnded,
    TermEvent,
)
from ledger.fold import effective_order, fold, new_timeline
from ledger.fold.corrections import corrected, ensure_correctable
from ledger.fold.timeline import Interval, IntervalKey, TimelineBuilder, changed_between
from ledger.mapper import hash_of
from ledger.values import ConstitutionPlace, Envelope, TermId


@dataclass(frozen=True)
class FactChanges:
    """A fact recorded in this process (its stream, version and recorded time), with the
    intervals it changed in its term's timeline (None: an interval it removed) and which of
    them are new. A projector packs them (`ledger.store.prepared`) until it writes their rows."""

    term: str
    stream: UUID
    version: int
    recorded: datetime
    intervals: dict[IntervalKey, Interval | None]
    new: frozenset[IntervalKey]

    @classmethod
    def of(cls, term: str, fact: TermEvent, intervals: dict[IntervalKey, Interval | None],
           new: frozenset[IntervalKey]) -> FactChanges:
        return cls(term, fact.originator_id, fact.originator_version, fact.timestamp,
                   intervals, new)


class Term(BaseAggregate[UUID]):
    def __init__(self) -> None:
        self.facts: list[TermEvent] = []
        self._timeline: TimelineBuilder | None = None
        self._already_folded: TermEvent | None = None
        self._changes: list[FactChanges] | None = None

    def record(self, fact: TermEvent) -> None:
        """The mutator: append the fact; keep the fold current when it is cheap to."""
        self.facts.append(fact)
        if fact is self._already_folded:
            self._already_folded = None
        elif self._timeline is not None and self._timeline.accepts_in_order(fact):
            self._timeline.apply(fact)
        else:
            self._timeline = None

    @property
    def term_id(self) -> TermId:
        first = self.facts[0]
        assert isinstance(first, TermConstituted)
        return TermId.parse(first.term)

    @property
    def timeline(self) -> TimelineBuilder:
        """The fold of every recorded fact (lenient: history always loads)."""
        if self._timeline is None:
            self._timeline = fold(str(self.term_id), self.facts)
        return self._timeline

    def track_changes(self) -> None:
        """From now on, keep what each new fact changes in the timeline, so a projector in
        the same process can write its rows without decoding and folding the facts again."""
        if self._changes is not None:
            return
        timeline = self.timeline
        timeline.drain_changes()
        self._changes = []
        if self.version == 1 and self.pending_events:  # constituted in this unit of work
            every = frozenset(timeline.by_key)
            self._changes.append(FactChanges.of(str(self.term_id), self.facts[0],
                                                timeline.snapshot(every), every))

    def drain_tracked_changes(self) -> list[FactChanges]:
        """What the facts recorded since the last drain changed (tracking goes on)."""
        drained = self._changes or []
        if self._changes is not None:
            self._changes = []
        return drained

    @property
    def head_hash(self) -> str:
        return hash_of(self.facts[-1]) if self.facts else GENESIS_HASH

    # -- commands ---------------------------------------------------------------------------

    @classmethod
    def constitute(
        cls, term: TermId, envelope: Envelope, members: list[ConstitutionPlace], **details: Any
    ) -> Term:
        fields = {**envelope.model_dump(), "term": str(term), "members": tuple(members), **details}
        probe = TermConstituted(
            originator_id=term.uuid, originator_version=1, originator_topic="",
            timestamp=TermConstituted.create_timestamp(), **fields,
        )
        new_timeline(str(term), strict=True).apply(probe)
        return cls._create(TermConstituted, id=term.uuid, **fields)

    def end(self, envelope: Envelope, successor: TermId) -> None:
        self.record_fact(TermEnded, envelope, successor=str(successor))

    def retract(self, envelope: Envelope, event_id: str, reason: str) -> TermEvent:
        target = ensure_correctable(self.facts, event_id)
        return self.record_fact(EventRetracted, envelope.model_copy(
            update={"effective": target.effective}), event_id_retracted=event_id, reason=reason)

    def redate(self, envelope: Envelope, event_id: str, reason: str) -> TermEvent:
        ensure_correctable(self.facts, event_id)
        return self.record_fact(EventRedated, envelope, event_id_redated=event_id, reason=reason)

    def facts_of_command(self, command_id: str) -> list[TermEvent]:
        return [f for f in self.facts if command_id and f.command_id == command_id]

    def record_fact(self, event_class: type[TermEvent], envelope: Envelope,
                    **payload: Any) -> TermEvent:
        """Check the new fact against the fold (strict), then record it."""
        fact = event_class(
            originator_id=self.id, originator_version=self.version + 1,
            timestamp=event_class.create_timestamp(), previous_hash=self.head_hash,
            **envelope.model_dump(), **payload,
        )
        before = self.timeline
        if before.accepts_in_order(fact):
            self._apply_strictly(before, fact)
            added = set(before.added) if self._changes is not None else set()
            after, changed = before, before.drain_changes()
        else:
            after = self._refold_with(fact)
            after.drain_changes()
            changed = changed_between(before, after) if self._changes is not None else set()
            added = {key for key in changed if key not in before.by_key}
            self._timeline = after
        if self._changes is not None:
            self._changes.append(FactChanges.of(str(self.term_id), fact,
                                                after.snapshot(changed), frozenset(added)))
        self._already_folded = fact
        fact.mutate(self)
        self._pending_events.append(fact)
        return fact

    @staticmethod
    def _apply_strictly(builder: TimelineBuilder, fact: TermEvent) -> None:
        builder.strict = True
        try:
            builder.apply(fact)
        finally:
            builder.strict = False

    def _refold_with(self, fact: TermEvent) -> TimelineBuilder:
        """A back-dated fact: refold with it; a later fact it contradicts is named."""
        builder = new_timeline(str(self.term_id), strict=True)
        builder.recording = False
        for existing in effective_order(corrected([*self.facts, fact])):
            try:
                builder.apply(existing, settle=False)
            except RuleViolation as violation:
                if existing is fact:
                    raise
                raise RuleViolation(
                    violation.rule,
                    f"{fact.type_name} dated {fact.effective} contradicts event "
                    f"{existing.event_id} ({existing.type_name}, {existing.effective}): "
                    f"{violation.reason}",
                ) from None
        builder.advance(None)
        builder.strict, builder.recording = False, True
        return builder

