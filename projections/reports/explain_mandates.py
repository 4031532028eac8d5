"""Why a person holds (or held) a seat in a body on a date: the events and rule ids."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ledger.events import Fact
from ledger.fold.body_book import BODY_STREAM_PREFIX, BodyBook
from ledger.fold.book import Interval
from ledger.fold.streams import fold_stream
from ledger.store.application import Ledger
from ledger.values import body_uuid
from ledger.vocabulary import DESIGNATION_END_REASONS
from projections.reports.trail import summary
from projections.views.reads import Row

SEATS = {"designated": "designated", "deputy": "personal substitute"}


def designation_explanations(ledger: Ledger, person_id: str, rows: list[Row], on: date,
                             moment: datetime) -> list[dict[str, Any]]:
    """Per body the person sat in by `on`: the seats held that day, else the last one."""
    found = []
    for label in sorted({r.term for r in rows if r.kind in SEATS and r.valid_from <= on}):
        slug = label.removeprefix(BODY_STREAM_PREFIX)
        facts = [f for f in ledger.stream(body_uuid(slug)) if f.timestamp <= moment]
        book = fold_stream(label, facts)
        assert isinstance(book, BodyBook)
        mine = [i for i in book.intervals if i.kind in SEATS and i.person_id == person_id
                and i.valid_from <= on]
        current = [i for i in mine if i.holds_on(on)]
        by_id = {f.event_id: f for f in facts}
        found += [_explain(i, book, by_id) for i in
                  current or sorted(mine, key=lambda i: i.valid_to or on)[-1:]]
    return found


def _explain(seat: Interval, book: BodyBook, by_id: dict[str, Fact]) -> dict[str, Any]:
    posts = book.posts_on(seat.valid_from) or {}
    rules = ["FO3.8a" if posts.get("kkr_seats") == 1 else "FO3.8b"]
    rules += ["FO3.8c"] if posts.get("eligibility") == "councillor_in_region" else []
    reason = str(seat.data.get("end_reason", ""))
    if seat.valid_to is not None and reason in DESIGNATION_END_REASONS:
        rules.append("END")
    events = [e for e in (seat.data.get("cause"), seat.data.get("ended_by")) if e]
    return {"kind": seat.kind, "seat": f"{book.body}:{seat.seat}", "role": None,
            "from": seat.valid_from.isoformat(),
            "to": seat.valid_to.isoformat() if seat.valid_to else None,
            "rules": rules, "events": events, "text": _sentence(seat, book, by_id)}


def _sentence(seat: Interval, book: BodyBook, by_id: dict[str, Fact]) -> str:
    names = {pid: p.name for pid, p in book.persons.items()}
    group = f" for group {seat.data['group']}" if seat.data.get("group") else ""
    text = f"{SEATS[seat.kind]} in {book.title} (seat {seat.seat}){group} since {seat.valid_from}"
    cause = by_id.get(str(seat.data.get("cause", "")))
    if cause is not None:
        text += f" ({summary(cause, names)}; {cause.source or 'no source'})"
    if seat.valid_to is not None:
        reason = str(seat.data.get("end_reason", "")).replace("_", " ")
        text += f"; ended {seat.valid_to}: {reason}"
        ended = by_id.get(str(seat.data.get("ended_by", "")))
        if ended is not None:
            text += f" ({summary(ended, names)}; {ended.source or 'no source'})"
    return text
