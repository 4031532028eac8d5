"""Fold handlers for the chair and vice chair (B1.4, B1.15, B1.16, FO3.5)."""

from __future__ import annotations

from datetime import date

from ledger.errors import RuleViolation
from ledger.events import ChairElected
from ledger.fold.timeline import TimelineBuilder, Timer
from ledger.statute import rules
from ledger.vocabulary import ACTING_CHAIR, ROLES


def elect_chair(b: TimelineBuilder, fact: ChairElected) -> None:
    _check_election(b, fact)
    day, role = fact.effective, fact.role
    pending = [t for t in b.timers if t.role == role]
    previous = b.roles.get(role)
    if pending:
        previous = pending[0].previous
    for timer in pending:
        b.timers.remove(timer)
    _release(b, role, day, "temporarily_replaced" if fact.until else "replaced", fact.event_id)
    b.roles[role] = fact.person_id
    b.open_interval("role", "", fact.person_id, day, role=role, cause=fact.event_id,
                    elected_by=fact.elected_by, temporary_until=_iso(fact.until))
    if fact.until is not None:
        b.timers.append(Timer(fact.until, role, fact.person_id, previous))
    refresh_acting_chair(b, day, fact.event_id)


def _check_election(b: TimelineBuilder, fact: ChairElected) -> None:
    rule = "B1.16" if fact.until else "B1.4"
    seat, capacity = b.place_of(fact.person_id, fact.effective, "B1.4")
    who = b.name(fact.person_id)
    label = ROLES[fact.role].label
    if capacity != "member":
        raise RuleViolation("B1.4", f"{who} is {capacity} of {seat}; the {label}"
                            " is elected among the members")
    for other, words in ROLES.items():
        if other != fact.role and b.roles.get(other) == fact.person_id:
            raise RuleViolation("B1.4", f"{who} is already {words.label}")
    if b.roles.get(fact.role) == fact.person_id:
        raise RuleViolation(rule, f"{who} is already {label}")
    if fact.person_id in b.leaves:
        raise RuleViolation(rule, f"{who} is on leave on {fact.effective}")
    if fact.until is not None:
        rules.ensure_leave_is_at_least_three_months("B1.16", f"the {label}",
                                                    fact.effective, fact.until)


def fire_timer(b: TimelineBuilder, timer: Timer) -> None:
    """B1.16: the temporary period ends; the previous holder takes the role back if able."""
    if b.roles.get(timer.role) not in (timer.holder, None):
        return
    _release(b, timer.role, timer.due, "temporary_period_ended", "")
    previous = timer.previous
    if previous is not None and b.places.get(previous, ("", ""))[1] == "member" and \
            previous not in b.roles.values():
        b.roles[timer.role] = previous
        b.open_interval("role", "", previous, timer.due, role=timer.role, resumed=True)
    refresh_acting_chair(b, timer.due, "")


def vacate_roles(b: TimelineBuilder, person_id: str, day: date, event_id: str) -> None:
    """B1.15: a holder who stops being a member leaves the role vacant until an election."""
    for role, holder in list(b.roles.items()):
        if holder == person_id:
            _release(b, role, day, "holder_left", event_id)
    # A temporary holder who leaves keeps the timer: the previous holder still returns at
    # the end of the period (B1.16). A previous holder who leaves returns to nothing.
    for timer in b.timers:
        if timer.previous == person_id:
            timer.previous = None


def refresh_acting_chair(b: TimelineBuilder, day: date, event_id: str) -> None:
    """FO3.5: while the chair is on leave, with no temporary chair, the vice chair acts."""
    chair, vice = b.roles.get("chair"), b.roles.get("vice_chair")
    should = vice if chair in b.leaves and vice is not None and vice not in b.leaves else None
    if should == b.acting_chair:
        return
    if b.acting_chair is not None:
        b.close_interval(("role", "", b.acting_chair, ACTING_CHAIR), day, "chair_returned",
                         event_id)
    b.acting_chair = should
    if should is not None:
        b.open_interval("role", "", should, day, role=ACTING_CHAIR, rule="FO3.5",
                        cause=event_id)


def _release(b: TimelineBuilder, role: str, day: date, reason: str, event_id: str) -> None:
    holder = b.roles.pop(role, None)
    if holder is not None:
        b.close_interval(("role", "", holder, role), day, reason, event_id)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
