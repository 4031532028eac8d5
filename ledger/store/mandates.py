"""The unit of work's commands that read or write across a body's stream: registering a body,
designating a person (whose council membership is another stream), and ending a person's
council membership in one transaction with every consequence (design/mandates.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.body import Body
from ledger.councillor import Councillor
from ledger.errors import RuleViolation
from ledger.events import MembershipEnded
from ledger.geography import REGION_NAMES
from ledger.periods import council_period_end, period_year_of, period_years_before
from ledger.store.application import UnitOfWork
from ledger.values import Envelope, Person, TermId, body_uuid, council_uuid

COUNCIL_LOCK = "council"  # designations read council memberships, which end elsewhere
PLACES = ("member", "substitute")


def register_body(unit: UnitOfWork, body: str, envelope: Envelope, **details: Any) -> Body:
    if unit.find_body(body) is not None:
        raise RuleViolation("FO2.2", f"body {body} is already registered")
    predecessor = details.get("successor_of")
    if predecessor is not None:
        unit.body(predecessor)  # refused with NotFound when it is not registered
    new = Body.register(body, envelope, **details)
    unit.keep(body_uuid(body), new)
    return new


def designate(unit: UnitOfWork, body: str, envelope: Envelope, person: Person,
              **details: Any) -> None:
    """FO3.8: the person (and a personal substitute) must sit on a council that day."""
    unit.lock(COUNCIL_LOCK)
    found = unit.body(body)
    people = [person, details.get("substitute")]
    off = {p.person_id: reason for p in people if p is not None
           if (reason := _off_council(unit, p.person_id, envelope.effective)) is not None}
    found.designate(envelope, person, off, **details)
    for someone in (p for p in people if p is not None):
        _end_at_a_later_council_end(unit, found, someone.person_id, envelope)


def _end_at_a_later_council_end(unit: UnitOfWork, body: Body, person_id: str,
                                envelope: Envelope) -> None:
    """A designation dated before a council end already recorded ends with it (END)."""
    councillor = unit.find_councillor(person_id)
    later = [] if councillor is None else councillor.ends_after(envelope.effective)
    if later and body.seats.requires_council(person_id, later[0][0]):
        day, reason = later[0]
        body.end_designation(envelope.model_copy(update={"effective": day}), person_id, reason)


def _off_council(unit: UnitOfWork, person_id: str, day: date) -> str | None:
    councillor = unit.find_councillor(person_id)
    return None if councillor is None else councillor.off_council(day)


@dataclass
class CouncilEnd:
    """What ending a person's council membership ended besides it."""

    places: list[str] = field(default_factory=list)  # terms
    designations: list[str] = field(default_factory=list)  # bodies


def end_council_membership(unit: UnitOfWork, person_id: str, reason: str,
                           envelope: Envelope) -> CouncilEnd:
    """END: the council seat ends; so do the person's KKR places (B1.9/B1.13 follow in each
    term's fold) and every designation that requires council membership, the same day."""
    unit.lock(COUNCIL_LOCK)
    day = envelope.effective
    councillor = unit.find_councillor(person_id)
    if councillor is None:
        unit.keep(council_uuid(person_id), Councillor.begin(person_id, envelope, reason))
    else:
        councillor.ensure_on_council(person_id, day)
        councillor.end_membership(envelope, person_id, reason)
    return CouncilEnd(_end_places(unit, person_id, reason, envelope),
                      _end_designations(unit, person_id, reason, envelope))


def _end_places(unit: UnitOfWork, person_id: str, reason: str,
                envelope: Envelope) -> list[str]:
    day, ended = envelope.effective, []
    year = period_year_of(day)
    for region in REGION_NAMES:
        for term_year in [year, *period_years_before(year)[:1]]:
            term = unit.find(TermId(region=region, year=term_year))
            if term is None or not any(i.kind in PLACES and i.person_id == person_id
                                       and i.holds_on(day) for i in term.timeline.intervals):
                continue
            term.record_fact(MembershipEnded, envelope, person_id=person_id, reason=reason)
            ended.append(str(term.term_id))
    return ended


def _end_designations(unit: UnitOfWork, person_id: str, reason: str,
                      envelope: Envelope) -> list[str]:
    ended, day = [], envelope.effective
    for body in _every_body(unit):
        later = body.seats.seat_starting(person_id, day, council_period_end(day))
        if later is not None:
            raise RuleViolation("FO3.8c", f"{person_id} is designated to {body.seats.title} "
                                f"from {later}, after leaving the council on {day}: retract or "
                                "re-date that designation first")
        if body.seats.requires_council(person_id, day):
            body.end_designation(envelope, person_id, reason)
            ended.append(body.slug)
    return ended


def _every_body(unit: UnitOfWork) -> list[Body]:
    streams = set(unit.ledger.body_streams())
    streams |= {s for s, a in unit.aggregates.items() if isinstance(a, Body)}
    found = [unit.find_body_by_stream(s) for s in sorted(streams, key=str)]
    return [body for body in found if body is not None]
