"""The audit of a body (design/mandates.md): FO3.8c (a designee not eligible on some day,
error), KSL28 (a vacancy refilled by another group, warning), VACANCY (a seat empty more
than 60 days, warning), FO3.8b (designations that do not match the allocation, error).

A body's facts are folded once (`ledger.fold.streams`); the checks do interval arithmetic
on its settled seats, with the council memberships that ended, read from the projection.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta

from ledger.events import Fact
from ledger.fold.body_book import SEAT_KINDS, BodyBook
from ledger.fold.book import Interval
from ledger.fold.streams import fold_stream
from ledger.geography import municipality
from projections.reports.audit_view import Finding, dated
from projections.views.spans import Span, overlaps, span

VACANCY_DAYS = 60  # a designated seat may stay empty this long before it is reported

OffCouncil = Mapping[str, Sequence[Span]]  # person_id -> the spans off the council


def audit_body(label: str, facts: list[Fact], as_of: date,
               off_council: OffCouncil) -> list[Finding]:
    """Every finding of the body whose stream is labelled `label`."""
    book = fold_stream(label, facts)
    assert isinstance(book, BodyBook)
    return [*_flags(label, book), *_ineligible(label, book, off_council),
            *_vacancies(label, book, as_of), *_unapplied(label, book)]


def _finding(label: str, rule: str, severity: str, check: str, where: Span,
             persons: Sequence[str], events: Sequence[str | None], message: str) -> Finding:
    return Finding(rule, severity, check, label, where[0], where[1], tuple(persons),
                   tuple(e for e in events if e), message)


def _flags(label: str, book: BodyBook) -> Iterator[Finding]:
    """KSL28 and FO3.8b, as the fold flagged them when the designation was recorded."""
    for flag in (i for i in book.intervals if i.kind == "flag"):
        rule = str(flag.data.get("rule", flag.seat))
        severity, check = (("error", "allocation_mismatch") if rule == "FO3.8b"
                           else ("warning", "refilled_by_other_group"))
        yield _finding(label, rule, severity, check, span(flag), (), (flag.data.get("event"),),
                       str(flag.data.get("message", "")))


def _ineligible(label: str, book: BodyBook, off_council: OffCouncil) -> Iterator[Finding]:
    """FO3.8c: a seat held while off the council, or by a councillor of another region."""
    for seat in (i for i in book.intervals if i.kind in SEAT_KINDS):
        who = book.name(seat.person_id)
        if not _requires_council(book, seat):
            continue
        for where in overlaps(span(seat), off_council.get(seat.person_id, ())):
            yield _finding(label, "FO3.8c", "error", "designee_off_council", where,
                           (seat.person_id,), (seat.data.get("cause"),),
                           f"{who} holds seat {seat.seat} of {book.title} {dated(where)} "
                           "while not a council member")
        person = book.persons.get(seat.person_id)
        region = municipality(person.municipality).region if person else book.region
        if region != book.region:
            yield _finding(label, "FO3.8c", "error", "designee_outside_region", span(seat),
                           (seat.person_id,), (seat.data.get("cause"),),
                           f"{who} of {person.municipality if person else '?'} (region "
                           f"{region}) holds seat {seat.seat} of {book.title}, designated "
                           f"by KKR {book.region}")


def _requires_council(book: BodyBook, seat: Interval) -> bool:
    posts = book.posts_on(seat.valid_from)
    return posts is None or posts.get("eligibility") == "councillor_in_region"


def _vacancies(label: str, book: BodyBook, as_of: date) -> Iterator[Finding]:
    """VACANCY: a seat of the KKR's posts left empty more than VACANCY_DAYS days."""
    for vacancy in (i for i in book.intervals if i.kind == "vacancy"):
        last = vacancy.valid_to or max(as_of + timedelta(days=1), vacancy.valid_from)
        if (last - vacancy.valid_from).days <= VACANCY_DAYS:
            continue
        left_by = vacancy.data.get("group")
        by = f", left by group {left_by}" if left_by else ""
        yield _finding(label, "VACANCY", "warning", "seat_vacant", span(vacancy), (),
                       (vacancy.data.get("ended_by"),),
                       f"seat {vacancy.seat} of {book.title} is vacant {dated(span(vacancy))}"
                       f"{by}: more than {VACANCY_DAYS} days")


def _unapplied(label: str, book: BodyBook) -> Iterator[Finding]:
    """Stored facts the fold could not apply (a later rule refuses them)."""
    for v in book.violations:
        yield _finding(label, v.rule, "error", "unapplied_fact", (v.effective, None), (),
                       (v.event_id,), f"stored fact {v.event_id} could not be applied: "
                       f"{v.message}")
