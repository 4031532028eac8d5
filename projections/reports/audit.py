"""The audit of a term (issue 5): findings about substitutes, vacancies, leave, roles and size.

The term's facts are folded once; each check then does interval arithmetic on the settled
timeline (gaps and overlaps of half-open spans), so a four-year term costs a few scans, not
one pass per day. A finding covers `[from, to)`; `to` is None while it lasts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from ledger.errors import LedgerError
from ledger.events import Fact
from ledger.fold import fold
from ledger.fold.book import Interval
from ledger.periods import constitution_deadline, next_period_year
from ledger.statute import rules
from ledger.statute.composition import seat_differences
from ledger.vocabulary import ACTING_CHAIR, ROLES, SEVERITIES
from projections.reports.audit_view import (
    Finding,
    Span,
    View,
    around,
    dated,
    gaps,
    overlaps,
    party_on,
    span,
)

ROLE_LABELS: dict[str, str] = {role: words.label for role, words in ROLES.items()}
Check = Callable[[View], Iterator[Finding]]


# -- entry point --------------------------------------------------------------------------------


def audit_term(term: str, facts: list[Fact], as_of: date,
               on: date | None = None) -> list[Finding]:
    """Every finding of `term`; with `on`, only those that hold on that day."""
    view = View(fold(term, facts), as_of)
    # A constitution the fold refused leaves no timeline: only the refusals can be reported.
    checks = CHECKS if view.kinds.get("term") else (fold_violations,)
    findings = [f for check in checks for f in check(view)]
    if on is not None:
        findings = [f for f in findings if f.covers(on)]
    return by_date_and_gravity(findings)


def by_date_and_gravity(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the order they are shown: by start, gravest first, then rule and text."""
    return sorted(findings, key=lambda f: (f.start, SEVERITIES.index(f.severity), f.rule,
                                           f.message))


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counted = Counter(f.severity for f in findings)
    return {severity: counted.get(severity, 0) for severity in SEVERITIES}


def fold_violations(view: View) -> Iterator[Finding]:
    """Stored facts the fold could not apply: the timeline lacks them from their date on."""
    for v in view.builder.violations:
        yield view.finding(v.rule, "error", "unapplied_fact", (v.effective, None), (),
                           (v.event_id,), f"stored fact {v.event_id} could not be applied: "
                           f"{v.message}")


def flags(view: View) -> Iterator[Finding]:
    """Irregularities the fold recorded and flagged (B1.3: a late constituent meeting)."""
    for flag in view.kinds.get("flag", []):
        yield view.finding(flag.data.get("rule", flag.seat), "warning", "flag", span(flag), (),
                           (flag.data.get("event"),), flag.data.get("message", ""))


def size_above_cap(view: View) -> Iterator[Finding]:
    """B1.1/B1.12: more members than 2 × municipalities, allowed only through B1.11 seats."""
    cap = rules.cap(view.builder.term.region)
    runs: list[list[Any]] = []  # [from, to, allowed, largest size, B1.11 seats]
    for start, end, size, extra in _sizes(view):
        if size <= cap:
            continue
        allowed = size - extra <= cap
        if runs and runs[-1][1] == start and runs[-1][2] == allowed:
            runs[-1][1], runs[-1][3], runs[-1][4] = end, max(runs[-1][3], size), extra
        else:
            runs.append([start, end, allowed, size, extra])
    for start, end, allowed, size, extra in runs:
        where = (start, end)
        text = f"up to {size} members exceed the cap of {cap} {dated(where)}"
        yield view.finding("B1.12", "info", "size_above_cap", where, (), (),
                           f"{text} through {extra} B1.11 seat(s); allowed") if allowed else \
            view.finding("B1.1", "error", "size_above_cap", where, (), (), text)


def _sizes(view: View) -> Iterator[tuple[date, date | None, int, int]]:
    """Segments of constant size: mayor seats plus occupied party seats, and how many of
    those are seats opened during the term (only B1.11 opens one)."""
    start = view.term_span[0]
    late_seats = {s.seat for s in view.kinds.get("seat", []) if s.valid_from > start}
    counted = [s for s in view.kinds.get("seat", []) if s.data.get("seat_kind") == "mayor"]
    counted += [m for m in view.kinds.get("member", []) if not m.seat.startswith("mayor:")]
    deltas: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for interval in counted:
        extra = 1 if interval.kind == "member" and interval.seat in late_seats else 0
        for day, sign in ((interval.valid_from, 1), (interval.valid_to, -1)):
            if day is not None:
                deltas[day][0] += sign
                deltas[day][1] += sign * extra
    size = extra_size = 0
    days = sorted(deltas)
    for index, day in enumerate(days):
        size, extra_size = size + deltas[day][0], extra_size + deltas[day][1]
        yield day, days[index + 1] if index + 1 < len(days) else None, size, extra_size


def seat_allocation(view: View) -> Iterator[Finding]:
    """B1.1: the constitution's party seats against the seat calculator, when votes are known."""
    votes, where = view.builder.votes, view.term_span
    if not votes:
        return
    seats = [s for s in view.kinds.get("seat", []) if s.valid_from == where[0]]
    party_seats = Counter(s.data.get("party", "") for s in seats
                          if s.data.get("seat_kind") == "party")
    mayors = Counter(party_on(view, m.person_id, where[0]) for s in seats
                     if s.data.get("seat_kind") == "mayor"
                     for m in view.at("member", s.seat) if m.valid_from == where[0])
    try:
        differences = seat_differences(party_seats, mayors, votes)
    except LedgerError as error:
        yield view.finding("B1.1", "info", "seat_allocation", where, (), (),
                           f"the seat calculator could not check the constitution: {error}")
        return
    if differences:
        parties = ", ".join(f"{d.party or '(none)'} {d.actual} (calculator {d.expected})"
                            for d in differences)
        yield view.finding("B1.1", "warning", "seat_allocation", where, (),
                           (view.kinds["term"][0].data.get("event"),),
                           f"party-elected seats differ from the seat calculator's allocation "
                           f"for the recorded votes (ADR 0002): {parties}")


# -- places: seats, members and substitutes ---------------------------------------------------


def uncovered_seats(view: View) -> Iterator[Finding]:
    """B1.2/B1.13: a seat with neither a member present nor an acting substitute."""
    for seat in view.kinds.get("seat", []):
        leaves = view.at("leave", seat.seat)
        present = [part for m in view.at("member", seat.seat) for part in gaps(
            span(m), [span(le) for le in leaves if le.person_id == m.person_id])]
        covers = present + [span(a) for a in view.at("acting", seat.seat)]
        for where in gaps(span(seat), covers):
            yield _uncovered(view, seat, where)


def _uncovered(view: View, seat: Interval, where: Span) -> Finding:
    kind = seat.data.get("seat_kind")
    related = view.at("member", seat.seat) + view.at("acting", seat.seat) + \
        view.at("leave", seat.seat) + view.at("substitute", seat.seat)
    away = [m.person_id for m in view.at("member", seat.seat) if m.holds_on(where[0])]
    if away:
        leave = [le for le in view.of("leave", away[0]) if le.holds_on(where[0])]
        rule = str(leave[0].data.get("rule", "B1.7")) if leave else "B1.7"
        text, persons = f"{view.name(away[0])} is on leave and no substitute acts", away
    else:
        rule = "B1.2" if kind == "mayor" else "B1.13"
        text = "vacant and no substitute acts" if kind == "mayor" else \
            "vacant until the party elects a new member"
        persons = [m.person_id for m in view.at("member", seat.seat) if m.valid_to == where[0]]
    return view.finding(rule, "warning", "seat_uncovered", where, persons,
                        around(related, where), f"{seat.seat}: {text} {dated(where)}")


def members_without_substitute(view: View) -> Iterator[Finding]:
    """B1.2/B1.13/B1.14: a member without a personal substitute, and for how long."""
    start = view.term_span[0]
    for member in view.kinds.get("member", []):
        substitutes = view.at("substitute", member.seat)
        for where in gaps(span(member), [span(s) for s in substitutes]):
            rule = "B1.2" if member.seat.startswith("mayor:") or where[0] == start else \
                "B1.13" if member.data.get("basis") == "B1.13" and \
                where[0] == member.valid_from else "B1.14"
            cause = member.data.get("cause") if where[0] == member.valid_from else None
            yield view.finding(
                rule, "warning", "member_without_substitute", where, [member.person_id],
                [cause, *around(substitutes, where)],
                f"{view.name(member.person_id)} ({member.seat}) has no personal substitute "
                f"{dated(where)}")


def mayor_substitute_basis(view: View) -> Iterator[Finding]:
    """B1.2: the mayor's substitute is the 1st vice mayor, else the 2nd, else council-elected."""
    for sub in view.kinds.get("substitute", []):
        basis = sub.data.get("basis")
        if sub.seat.startswith("mayor:") and basis != "first_vice_mayor":
            yield _basis_finding(view, sub, basis)


def _basis_finding(view: View, sub: Interval, basis: str | None) -> Finding:
    who, where = view.name(sub.person_id), span(sub)
    event = (sub.data.get("cause"),)
    if basis not in ("second_vice_mayor", "council_elected"):
        return view.finding("B1.2", "warning", "mayor_substitute_basis", where, [sub.person_id],
                            event, f"{who}, substitute in {sub.seat}, has "
                            f"{'no recorded basis' if basis is None else f'basis {basis}'}; "
                            "B1.2 names the 1st vice mayor, then the 2nd, then one the "
                            "council elects")
    town = view.at("seat", sub.seat)[0].data.get("municipality", "")
    held = sum(1 for kind in ("member", "substitute") for i in view.kinds.get(kind, [])
               if not i.seat.startswith("mayor:") and i.holds_on(sub.valid_from)
               and view.builder.persons[i.person_id].municipality == town)
    needed = 1 if basis == "second_vice_mayor" else 2
    text = (f"{who}, substitute in {sub.seat}, has basis {basis}: B1.2 allows it only when "
            f"{'the 1st vice mayor holds' if needed == 1 else 'both vice mayors hold'} a "
            f"party-elected place; {held} party-elected place(s) are held from {town}")
    return view.finding("B1.2", "info" if held >= needed else "warning",
                        "mayor_substitute_basis", where, [sub.person_id], event, text)


def acting_outside_leave(view: View) -> Iterator[Finding]:
    """B1.6/B1.7: a substitute acts only for a member on leave or in a vacant mayor seat."""
    for acting in view.kinds.get("acting", []):
        seat, who = acting.seat, view.name(acting.person_id)
        mayor = seat.startswith("mayor:")
        allowed = [span(le) for le in view.at("leave", seat)]
        if mayor:
            allowed += [g for s in view.at("seat", seat)
                        for g in gaps(span(s), [span(m) for m in view.at("member", seat)])]
        for where in gaps(span(acting), allowed):
            yield view.finding("B1.6" if mayor else "B1.7", "error", "acting_outside_leave",
                               where, [acting.person_id], [acting.data.get("cause")],
                               f"{who} acts in {seat} {dated(where)} although no member is on "
                               f"leave{' and the mayor seat is held' if mayor else ''}")
        own = [span(s) for s in view.at("substitute", seat) if s.person_id == acting.person_id]
        for where in gaps(span(acting), own):
            yield view.finding("B1.2", "error", "acting_outside_leave", where,
                               [acting.person_id], [acting.data.get("cause")],
                               f"{who} acts in {seat} {dated(where)} without being its "
                               "personal substitute")


# -- leave ----------------------------------------------------------------------------------------


def overdue_leaves(view: View) -> Iterator[Finding]:
    """B1.6/B1.7: a leave still running after its expected end (as of the audit date)."""
    for leave in view.kinds.get("leave", []):
        expected = date.fromisoformat(str(leave.data["expected_until"]))
        due, end = expected + timedelta(days=1), leave.valid_to
        if due > view.as_of or (end is not None and end <= due):
            continue
        rule, who = str(leave.data.get("rule", "B1.7")), view.name(leave.person_id)
        events = (leave.data.get("cause"), leave.data.get("ended_by"))
        if leave.data.get("end_reason") == "resumed" and end is not None and end <= view.as_of:
            yield view.finding(rule, "info", "leave_overdue", (due, end), [leave.person_id],
                               events, f"leave of {who} ended {end}, {(end - due).days} day(s) "
                               f"after its expected end {expected}")
            continue
        yield view.finding(rule, "warning", "leave_overdue", (due, end), [leave.person_id],
                           events, f"leave of {who} was expected to end {expected}; no "
                           f"end_leave recorded by {view.as_of}")


def undecided_leaves(view: View) -> Iterator[Finding]:
    """B1.7: the KKR decides on a party-elected member's leave at its next meeting."""
    for leave in view.kinds.get("leave", []):
        if leave.data.get("rule") == "B1.7" and not leave.data.get("decided_on"):
            yield view.finding("B1.7", "warning", "leave_undecided", span(leave),
                               [leave.person_id], [leave.data.get("cause")],
                               f"leave of {view.name(leave.person_id)} {dated(span(leave))} "
                               "has no recorded KKR decision (decided_on)")


# -- roles and entitlements -----------------------------------------------------------------------


def vacant_roles(view: View) -> Iterator[Finding]:
    """B1.4/B1.15: a term without a chair or vice chair, and for how long."""
    roles = view.kinds.get("role", [])
    for role, label in ROLE_LABELS.items():
        held = [r for r in roles if r.data.get("role") == role]
        for where in gaps(view.term_span, [span(r) for r in held]):
            before = [r for r in held if r.valid_to == where[0]]
            after = f" after {view.name(before[0].person_id)} left the role " \
                f"({before[0].data.get('end_reason')})" if before else ""
            yield view.finding("B1.4" if where[0] == view.term_span[0] else "B1.15",
                               "warning", "role_vacant", where, [r.person_id for r in before],
                               around(held, where), f"the {label} is vacant {dated(where)}{after}")


def overdue_successor(view: View) -> Iterator[Finding]:
    """B1.3: the period is over and no constitution of the next term ended this one."""
    message = rules.overdue_successor(view.term, view.as_of, view.term_span[1])
    if message is not None:
        due = constitution_deadline(next_period_year(view.builder.term.year))
        yield view.finding("B1.3", "warning", "successor_not_constituted",
                           (due + timedelta(days=1), None), (), (), message)


def roles_on_leave(view: View) -> Iterator[Finding]:
    """B1.16: a chair or vice chair on leave calls for a temporary election."""
    roles = view.kinds.get("role", [])
    acting = [r for r in roles if r.data.get("role") == ACTING_CHAIR]
    for held in roles:
        label = ROLE_LABELS.get(str(held.data.get("role")))
        if label is None:
            continue
        leaves = view.of("leave", held.person_id)
        for where in overlaps(span(held), [span(le) for le in leaves]):
            deputies = [a.person_id for a in acting if overlaps(where, [span(a)])]
            deputy = f"; {view.name(deputies[0])} acts as chair (FO3.5)" if deputies else ""
            yield view.finding("B1.16", "warning", "role_holder_on_leave", where,
                               [held.person_id, *deputies], around(leaves, where),
                               f"the {label} {view.name(held.person_id)} is on leave "
                               f"{dated(where)} with no temporary election{deputy}")


def unused_entitlements(view: View) -> Iterator[Finding]:
    """B1.11: a party whose sole representative (a mayor) left it may elect a member."""
    for right in view.kinds.get("entitlement", []):
        if right.data.get("end_reason") == "used":
            continue
        share = right.data.get("share")
        votes = f", {share:.1%} of the votes" if isinstance(share, float) else ""
        yield view.finding("B1.11", "warning", "entitlement_unused", span(right), [],
                           [right.data.get("cause")],
                           f"party {right.data.get('role') or '(none)'} may elect a member "
                           f"(B1.11{votes}); no appointment recorded {dated(span(right))}")


CHECKS: tuple[Check, ...] = (
    fold_violations, flags, size_above_cap, seat_allocation, uncovered_seats,
    members_without_substitute, mayor_substitute_basis, acting_outside_leave, overdue_leaves,
    undecided_leaves, vacant_roles, roles_on_leave, unused_entitlements, overdue_successor,
)
