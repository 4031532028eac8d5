"""Why a person holds, acts in, or no longer holds a place on a date: events and rule ids."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from ledger.errors import NotFound
from ledger.events import Fact
from ledger.fold import fold
from ledger.fold.book import Interval
from ledger.fold.timeline import TimelineBuilder
from ledger.store.application import Ledger
from ledger.values import TermId
from ledger.vocabulary import APPOINT_BASES, END_REASONS, EVERY_ROLE, SUBSTITUTE_BASES, Word
from projections.reports.explain_mandates import designation_explanations
from projections.reports.history import events_known_at
from projections.reports.trail import summary
from projections.views.reads import person_rows

PLACE_KINDS = ("member", "substitute", "acting", "leave", "role")


def _rules_of(words: Mapping[Any, Word]) -> dict[str, str]:
    return {word: meaning.rule for word, meaning in words.items() if meaning.rule}


# The rules of the vocabulary's bases and end reasons, and of the fold's own causes.
BASIS_RULES = {**_rules_of(APPOINT_BASES), **_rules_of(SUBSTITUTE_BASES),
               "constitution": "B1.3", "B1.13": "B1.13", "mayor": "B1.0",
               "leave": "B1.6/B1.7", "mayor_vacancy": "B1.6"}
END_RULES = {**_rules_of(END_REASONS), "succeeded": "B1.13",
             "replaced": "B1.14", "term_ended": "B1.3", "holder_left": "B1.15",
             "temporary_period_ended": "B1.16", "resumed": "B1.7", "stepped_back": "B1.7",
             "mayor_changed": "B1.10"}


def explain(conn: Connection, ledger: Ledger, person_id: str, on: date,
            moment: datetime) -> dict[str, Any]:
    """The person's KKR place in the term of `on` (or the last before) and their seats in
    bodies, each with its chain of events and rule ids."""
    rows = person_rows(conn, person_id, moment)
    seats = designation_explanations(ledger, person_id, rows, on, moment)
    if not any(r.kind in PLACE_KINDS for r in rows):
        if not seats:
            raise NotFound(f"no person {person_id!r} in the ledger")
        names = [r.data["name"] for r in rows if r.kind == "person"]
        return {"person_id": person_id, "name": names[-1] if names else person_id,
                "term": None, "on": on.isoformat(), "known_at": moment.isoformat(),
                "status": "none", "explanation": seats}
    result = _explain_place(conn, ledger, person_id, on, moment)
    result["explanation"] += seats
    return result


def _explain_place(conn: Connection, ledger: Ledger, person_id: str, on: date,
                   moment: datetime) -> dict[str, Any]:
    term = _term_of(conn, person_id, on, moment)
    events = events_known_at(ledger, term, moment)
    timeline = fold(str(term), events)
    by_id = {e.event_id: e for e in events}
    mine = [i for i in timeline.intervals if i.person_id == person_id and i.kind in PLACE_KINDS
            and i.valid_from <= on]
    current = [i for i in mine if i.holds_on(on)]
    shown = current or sorted(mine, key=lambda i: i.valid_to or on)[-1:]
    person = timeline.persons.get(person_id)
    return {
        "person_id": person_id, "name": person.name if person else person_id,
        "term": str(term), "on": on.isoformat(), "known_at": moment.isoformat(),
        "status": _status(current),
        "explanation": [_explain(i, timeline, by_id) for i in shown],
    }


def _term_of(conn: Connection, person_id: str, on: date, moment: datetime) -> TermId:
    rows = [r for r in person_rows(conn, person_id, moment) if r.kind in PLACE_KINDS]
    if not rows:
        raise NotFound(f"no person {person_id!r} in the ledger")
    started = [r for r in rows if r.valid_from <= on] or rows
    return TermId.parse(max(started, key=lambda r: r.valid_from).term)


def _status(current: list[Interval]) -> str:
    kinds = {i.kind for i in current}
    for kind in ("acting", "member", "substitute"):
        if kind in kinds:
            return "on_leave" if kind == "member" and "leave" in kinds else kind
    return "none"


def _explain(interval: Interval, timeline: TimelineBuilder,
             by_id: dict[str, Fact]) -> dict[str, Any]:
    data = interval.data
    basis = str(data.get("basis") or data.get("rule") or "")
    rules = [r for r in (BASIS_RULES.get(basis, basis if basis.startswith(("B1", "FO")) else ""),
                         END_RULES.get(str(data.get("end_reason", "")), "")) if r]
    events = [e for e in (data.get("cause"), data.get("ended_by")) if e]
    text = _sentence(interval, timeline, by_id)
    return {"kind": interval.kind, "seat": interval.seat, "role": data.get("role"),
            "from": interval.valid_from.isoformat(),
            "to": interval.valid_to.isoformat() if interval.valid_to else None,
            "rules": rules, "events": events, "text": text}


def _sentence(interval: Interval, timeline: TimelineBuilder,
              by_id: dict[str, Fact]) -> str:
    data = interval.data
    role = data.get("role", "")
    what = EVERY_ROLE[role].english if role in EVERY_ROLE else role.replace("_", " ")
    what = what or interval.kind
    where = f" of {interval.seat}" if interval.seat else ""
    text = f"{what}{where} since {interval.valid_from}"
    if data.get("basis"):
        text += f" by {data['basis']}"
    if data.get("succeeded"):
        text += f": succeeded {timeline.name(data['succeeded'])}"
    cause = by_id.get(str(data.get("cause", "")))
    if cause is not None:
        text += f" ({summary(cause, _names(timeline))}; {cause.source or 'no source'})"
    if interval.valid_to is not None:
        ended = by_id.get(str(data.get("ended_by", "")))
        text += f"; ended {interval.valid_to}: {data.get('end_reason', '')}"
        if ended is not None:
            text += f" ({summary(ended, _names(timeline))}; {ended.source or 'no source'})"
    return text


def _names(timeline: TimelineBuilder) -> dict[str, str]:
    return {pid: p.name for pid, p in timeline.persons.items()}
