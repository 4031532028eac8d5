"""Corrections never delete: a retraction or a re-dating is a later fact about an earlier one."""

from __future__ import annotations

from collections.abc import Iterable

from ledger.errors import NotFound, RuleViolation
from ledger.events import EventRedated, EventRetracted, Fact, TermConstituted, TermEnded
from ledger.mandate_events import BodyRegistered

CORRECTIONS: tuple[type[Fact], ...] = (EventRetracted, EventRedated)  # not folded
RULE = "correction"


def corrected(facts: Iterable[Fact]) -> list[Fact]:
    """The facts as corrected: retracted ones left out, re-dated ones moved to their new date."""
    facts = list(facts)
    retracted: set[str] = set()
    redated: dict[str, Fact] = {}
    for fact in facts:
        if isinstance(fact, EventRetracted):
            retracted.add(fact.event_id_retracted)
        elif isinstance(fact, EventRedated):
            redated[fact.event_id_redated] = fact
    result = []
    for fact in facts:
        if isinstance(fact, CORRECTIONS) or fact.event_id in retracted:
            continue
        if fact.event_id in redated:
            fact = fact.model_copy(update={"effective": redated[fact.event_id].effective})
        result.append(fact)
    return result


def corrections_of(facts: Iterable[Fact]) -> dict[str, Fact]:
    """event id -> the latest correction that superseded it."""
    found: dict[str, Fact] = {}
    for fact in facts:
        if isinstance(fact, EventRetracted):
            found[fact.event_id_retracted] = fact
        elif isinstance(fact, EventRedated):
            found[fact.event_id_redated] = fact
    return found


def ensure_correctable(facts: list[Fact], event_id: str) -> Fact:
    """The target exists, is a reported fact (not a correction nor a term boundary), and
    has not been retracted already."""
    target = next((f for f in facts if f.event_id == event_id), None)
    if target is None:
        raise NotFound(f"event {event_id} is not in the ledger")
    if isinstance(target, CORRECTIONS):
        raise RuleViolation(RULE, f"event {event_id} is itself a correction; it cannot be "
                            "corrected")
    if isinstance(target, TermConstituted | TermEnded):
        raise RuleViolation(RULE, f"event {event_id} ({target.type_name}) marks a term boundary "
                            "and cannot be corrected; record the constitution of the right term")
    if isinstance(target, BodyRegistered):
        raise RuleViolation(RULE, f"event {event_id} registers body {target.body} and cannot be "
                            "corrected; dissolve the body instead")
    earlier = corrections_of(facts).get(event_id)
    if isinstance(earlier, EventRetracted):
        raise RuleViolation(RULE, f"event {event_id} was already retracted by {earlier.event_id}")
    return target
