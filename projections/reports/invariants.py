"""The day-by-day invariant check of a replayed term, as one sweep over interval boundaries.

Between two boundaries (a day on which some place, acting or role starts or ends) nothing
changes, so checking each boundary checks every day. At a boundary only the persons and seats
it touched are re-examined; a problem is reported once, from the day it appears to the day
it is gone. The invariants: nobody holds two places at once, a seat has one member and one
personal substitute, roles are held by members (and one person holds one of them), only the
seat's own substitute acts in it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ledger.fold.book import Interval
from ledger.fold.timeline import TimelineBuilder
from ledger.vocabulary import ROLES
from projections.reports.audit_view import Finding

Subject = tuple[str, str]  # ("person", person_id) or ("seat", seat)
Problem = tuple[str, str, str]  # (rule, check, detail)
PLACES = ("member", "substitute")
WATCHED = ("member", "substitute", "acting", "role")


class Sweep:
    """The state on the current boundary day and the problems open on it."""

    def __init__(self, term: str, builder: TimelineBuilder) -> None:
        self.term, self.builder = term, builder
        self.places: dict[str, set[str]] = defaultdict(set)  # person -> "kind\tseat"
        self.occupants: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.held: dict[str, set[str]] = defaultdict(set)  # person -> roles
        self.open: dict[Subject, dict[Problem, tuple[date, tuple[str, ...]]]] = defaultdict(dict)
        self.found: list[Finding] = []

    def move(self, interval: Interval, entering: bool) -> set[Subject]:
        """Apply one interval's start or end; returns the subjects to re-examine."""
        pid, seat = interval.person_id, interval.seat
        if interval.kind == "role":
            _toggle(self.held[pid], str(interval.data.get("role", "")), entering)
            return {("person", pid)}
        _toggle(self.occupants[(interval.kind, seat)], pid, entering)
        if interval.kind in PLACES:
            _toggle(self.places[pid], f"{interval.kind}\t{seat}", entering)
            return {("person", pid), ("seat", seat)}
        return {("seat", seat)}

    def problems(self, subject: Subject) -> dict[Problem, tuple[str, ...]]:
        kind, name = subject
        return self._person(name) if kind == "person" else self._seat(name)

    def _person(self, pid: str) -> dict[Problem, tuple[str, ...]]:
        found: dict[Problem, tuple[str, ...]] = {}
        places, roles = self.places.get(pid, set()), self.held.get(pid, set())
        if len(places) > 1:
            held = ", ".join(place.replace("\t", " of ") for place in sorted(places))
            found[("B1.2", "person_in_two_places", held)] = (pid,)
        is_member = any(place.startswith("member\t") for place in places)
        for role in sorted(roles):
            if not is_member:
                found[("B1.4", "role_not_held_by_member", role)] = (pid,)
        elected = [role for role in ROLES if role in roles]
        if len(elected) > 1:
            found[("B1.4", "two_roles", " and ".join(elected))] = (pid,)
        return found

    def _seat(self, seat: str) -> dict[Problem, tuple[str, ...]]:
        found: dict[Problem, tuple[str, ...]] = {}
        substitutes = self.occupants.get(("substitute", seat), set())
        for kind in ("member", "substitute", "acting"):
            people = self.occupants.get((kind, seat), set())
            if len(people) > 1:
                found[("B1.2", f"seat_with_two_{kind}s", seat)] = tuple(sorted(people))
        for pid in sorted(self.occupants.get(("acting", seat), set()) - substitutes):
            found[("B1.2", "acting_not_by_substitute", seat)] = (pid,)
        return found

    def settle(self, subject: Subject, day: date) -> None:
        """Open the problems that appeared on `day`, close those that are gone."""
        now, before = self.problems(subject), self.open[subject]
        for problem in [p for p in before if p not in now]:
            start, persons = before.pop(problem)
            self.found.append(self._finding(problem, start, day, persons))
        for problem, persons in now.items():
            if problem not in before:
                before[problem] = (day, persons)

    def close_all(self) -> None:
        for problems in self.open.values():
            for problem, (start, persons) in problems.items():
                self.found.append(self._finding(problem, start, None, persons))
        self.open.clear()

    def _finding(self, problem: Problem, start: date, end: date | None,
                 persons: tuple[str, ...]) -> Finding:
        rule, check, detail = problem
        names = ", ".join(self.builder.name(p) for p in persons)
        when = f"from {start}" + (f" to {end}" if end else "")
        texts = {
            "person_in_two_places": f"{names} holds two places at once ({detail})",
            "role_not_held_by_member": f"{names} holds the role {detail} without being a member",
            "two_roles": f"{names} is both {_english(detail)}",
            "acting_not_by_substitute": f"{names} acts in {detail} without being its substitute",
        }
        text = texts.get(check, f"{detail}: {check.replace('_', ' ')} ({names})")
        return Finding(rule, "error", check, self.term, start, end, persons, (),
                       f"{text} {when}")


def _english(roles: str) -> str:
    """`chair and vice_chair` in the vocabulary's English words."""
    english: dict[str, str] = {role: words.english for role, words in ROLES.items()}
    return " and ".join(english.get(role, role) for role in roles.split(" and "))


def _toggle(members: set[str], item: str, entering: bool) -> None:
    if entering:
        members.add(item)
    else:
        members.discard(item)


def check_daily(term: str, builder: TimelineBuilder, until: date | None,
                today: date) -> tuple[list[Finding], tuple[date, date] | None]:
    """Every day of the replayed term checked; returns the problems and the days covered."""
    boundaries: dict[date, list[tuple[bool, Interval]]] = defaultdict(list)
    for interval in builder.intervals:
        if interval.kind in WATCHED:
            boundaries[interval.valid_from].append((True, interval))
            if interval.valid_to is not None:
                boundaries[interval.valid_to].append((False, interval))
    sweep = Sweep(term, builder)
    for day in sorted(boundaries):
        touched: set[Subject] = set()
        for entering, interval in sorted(boundaries[day], key=lambda m: m[0]):
            touched |= sweep.move(interval, entering)
        for subject in sorted(touched):
            sweep.settle(subject, day)
    sweep.close_all()
    return sweep.found, _days_covered(builder, until, today)


def _days_covered(builder: TimelineBuilder, until: date | None,
                  today: date) -> tuple[date, date] | None:
    if builder.start is None:
        return None
    last = builder.end - timedelta(days=1) if builder.end else max(today, builder.start)
    return builder.start, min(last, until) if until else last
