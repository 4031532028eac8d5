"""What changed in a term between two dates: who joined, left, went on leave, came back,
changed party or role, each with its cause."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ledger.fold.book import Interval
from ledger.fold.timeline import TimelineBuilder
from ledger.store.application import Ledger
from ledger.values import TermId
from projections.reports.history import timeline_known_at

STARTS = {"member": "joined", "substitute": "became substitute", "acting": "started acting",
          "leave": "went on leave", "role": "took role"}
ENDS = {"member": "left", "substitute": "stopped being substitute", "acting": "stopped acting",
        "leave": "came back", "role": "gave up role"}


def diff(ledger: Ledger, term: TermId, start: date, end: date,
         moment: datetime) -> dict[str, Any]:
    """Changes on days in (start, end]: what holds on `end` that did not on `start`, and back."""
    timeline = timeline_known_at(ledger, term, moment)
    changes = []
    for interval in timeline.intervals:
        if interval.kind in STARTS and start < interval.valid_from <= end:
            changes.append(_change(interval, timeline, interval.valid_from, STARTS, "cause"))
        if interval.kind in ENDS and interval.valid_to and start < interval.valid_to <= end:
            changes.append(_change(interval, timeline, interval.valid_to, ENDS, "ended_by"))
        if interval.kind == "person" and start < interval.valid_from <= end:
            changes.extend(_party_change(interval, timeline))
    changes.sort(key=lambda c: (c["date"], c["person_id"], c["change"]))
    return {"term": str(term), "from": start.isoformat(), "to": end.isoformat(),
            "known_at": moment.isoformat(), "changes": changes}


def _change(interval: Interval, timeline: TimelineBuilder, day: date, words: dict[str, str],
            cause_key: str) -> dict[str, Any]:
    role = interval.data.get("role", "")
    reason = interval.data.get("end_reason") if cause_key == "ended_by" else interval.data.get(
        "basis")
    return {"date": day.isoformat(), "change": words[interval.kind] + (f" {role}" if role else ""),
            "person_id": interval.person_id, "name": _name(timeline, interval.person_id),
            "seat": interval.seat, "reason": reason, "event": interval.data.get(cause_key)}


def _party_change(interval: Interval, timeline: TimelineBuilder) -> list[dict[str, Any]]:
    earlier = [i for i in timeline.intervals if i.kind == "person" and
               i.person_id == interval.person_id and i.valid_to == interval.valid_from]
    if not earlier or earlier[0].data.get("party") == interval.data.get("party"):
        return []
    return [{"date": interval.valid_from.isoformat(),
             "change": f"changed party {earlier[0].data.get('party') or '-'} → "
                       f"{interval.data.get('party') or '-'}",
             "person_id": interval.person_id, "name": _name(timeline, interval.person_id),
             "seat": "", "reason": "party_change", "event": None}]


def _name(timeline: TimelineBuilder, person_id: str) -> str:
    person = timeline.persons.get(person_id)
    return person.name if person else person_id
