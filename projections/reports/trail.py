"""The audit trail: every event in recording order, with a one-line summary and its corrections."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.errors import NotFound
from ledger.events import (
    ChairElected,
    EventRedated,
    EventRetracted,
    Fact,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
    TermConstituted,
    TermEnded,
)
from ledger.fold.body_book import BODY_STREAM_PREFIX
from ledger.fold.corrections import corrections_of
from ledger.fold.streams import label_of
from ledger.store.application import Ledger
from ledger.values import TermId, body_uuid
from ledger.vocabulary import APPOINT_BASES, END_REASONS, LEAVE_REASONS, ROLES
from projections.reports.mandate_summaries import MANDATE_SUMMARIES

RETROACTIVE_DAYS = 30


@dataclass(frozen=True)
class StreamName:
    """A term (`nordjylland/2022`) or a body (`body:rar-nordjylland`) as a user names it."""

    label: str
    stream: UUID

    @classmethod
    def parse(cls, text: str) -> StreamName:
        if text.startswith(BODY_STREAM_PREFIX):
            slug = text.removeprefix(BODY_STREAM_PREFIX)
            return cls(BODY_STREAM_PREFIX + slug, body_uuid(slug))
        term = TermId.parse(text)
        return cls(str(term), term.uuid)

    def __str__(self) -> str:
        return self.label


def trail(ledger: Ledger, term: StreamName | None, moment: datetime,
          since: datetime | None = None) -> dict[str, Any]:
    events = _events(ledger, term, moment)
    names = _names(events)
    terms = {e.originator_id: label_of(e) for e in events if e.originator_version == 1}
    corrected_by = corrections_of(events)
    rows = [_row(e, terms, names, corrected_by) for e in events
            if since is None or e.timestamp >= since]
    return {"term": str(term) if term else None, "known_at": moment.isoformat(), "events": rows}


def _events(ledger: Ledger, term: StreamName | None, moment: datetime) -> list[Fact]:
    """The events known at `moment`, of a stream or of all; a stream without any is not found."""
    if term is None:
        found = [ledger.to_event(n) for n in ledger.iter_notifications()]
        return [e for e in found if e.timestamp <= moment]
    found = ledger.stream(term.stream)
    known = [e for e in found if e.timestamp <= moment]
    if not found:
        raise NotFound(f"no {'body' if term.label.startswith(BODY_STREAM_PREFIX) else 'term'} "
                       f"{term.label.removeprefix(BODY_STREAM_PREFIX)} in the ledger")
    if not known:
        raise NotFound(f"{term} was not yet recorded at {moment.isoformat()}")
    return known


def _row(event: Fact, terms: dict[UUID, str], names: dict[str, str],
         corrected_by: dict[str, Fact]) -> dict[str, Any]:
    delay = (event.timestamp.date() - event.effective).days
    correction = corrected_by.get(event.event_id)
    return {
        "event_id": event.event_id, "term": terms.get(event.originator_id, ""),
        "type": event.type_name, "effective": event.effective.isoformat(),
        "recorded_at": event.timestamp.isoformat(), "recorded_by": event.recorded_by,
        "source": event.source, "command_id": event.command_id,
        "summary": summary(event, names),
        "corrected_by": correction.event_id if correction else None,
        "retroactive_days": delay if delay > RETROACTIVE_DAYS else None,
    }


def _names(events: Iterable[Fact]) -> dict[str, str]:
    names: dict[str, str] = {}
    for event in events:
        if isinstance(event, TermConstituted):
            for place in event.members:
                names[place.person.person_id] = place.person.name
                if place.substitute:
                    names[place.substitute.person_id] = place.substitute.name
        for field in ("person", "substitute"):
            person = getattr(event, field, None)
            if person is not None:
                names[person.person_id] = person.name
    return names


Who = Callable[[str], str]  # a person_id -> the person's name (or the id when unknown)


def summary(event: Fact, names: dict[str, str]) -> str:
    """One line a person can read: what the event reported."""
    summarise = SUMMARIES.get(type(event))
    return summarise(event, lambda pid: names.get(pid, pid)) if summarise else event.type_name


def _constituted(event: TermConstituted, who: Who) -> str:
    mayors = sum(1 for p in event.members if p.seat == "mayor")
    roles = ", ".join(f"{words.english} {who(getattr(event, role) or '-')}"
                      for role, words in ROLES.items())
    return f"constituted with {len(event.members)} members ({mayors} mayors); {roles}"


def _ended(event: TermEnded, who: Who) -> str:
    return f"ended: {event.successor} was constituted"


def _leave_started(event: LeaveStarted, who: Who) -> str:
    return (f"{who(event.person_id)} on leave until {event.expected_until} "
            f"({LEAVE_REASONS[event.reason].label})")


def _leave_ended(event: LeaveEnded, who: Who) -> str:
    return f"{who(event.person_id)} back from leave"


def _party_changed(event: PartyChanged, who: Who) -> str:
    return f"{who(event.person_id)} changed party to {event.party or '(none)'}"


def _membership_ended(event: MembershipEnded, who: Who) -> str:
    declines = "; the substitute declines to succeed" if event.successor_declines else ""
    return f"{who(event.person_id)} left ({END_REASONS[event.reason].label}){declines}"


def _substitute_appointed(event: SubstituteAppointed, who: Who) -> str:
    return f"{event.person.name} appointed substitute for {who(event.for_member)}"


def _member_appointed(event: MemberAppointed, who: Who) -> str:
    return (f"{event.person.name} appointed member ({APPOINT_BASES[event.basis].label})"
            f"{' to ' + event.seat if event.seat else ''}")


def _mayor_changed(event: MayorChanged, who: Who) -> str:
    return f"{event.person.name} became mayor of {event.municipality}"


def _chair_elected(event: ChairElected, who: Who) -> str:
    until = f" until {event.until}" if event.until else ""
    return f"{who(event.person_id)} elected {ROLES[event.role].english}{until}"


def _retracted(event: EventRetracted, who: Who) -> str:
    return f"retracted {event.event_id_retracted}: {event.reason}"


def _redated(event: EventRedated, who: Who) -> str:
    return f"re-dated {event.event_id_redated} to {event.effective}: {event.reason}"


SUMMARIES: dict[type[Fact], Callable[[Any, Who], str]] = {
    TermConstituted: _constituted,
    TermEnded: _ended,
    LeaveStarted: _leave_started,
    LeaveEnded: _leave_ended,
    PartyChanged: _party_changed,
    MembershipEnded: _membership_ended,
    SubstituteAppointed: _substitute_appointed,
    MemberAppointed: _member_appointed,
    MayorChanged: _mayor_changed,
    ChairElected: _chair_elected,
    EventRetracted: _retracted,
    EventRedated: _redated,
    **MANDATE_SUMMARIES,
}
"""The trail's text of each kind of event (a test holds it complete against ledger.events)."""
