"""The statute's rules as named checks; each raises RuleViolation with its rule id.

They run before an event is triggered (and again when the fold replays history in strict
mode), never inside an event's mutator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from ledger.errors import RuleViolation
from ledger.geography import municipalities_of, municipality
from ledger.periods import constitution_deadline, next_period_year
from ledger.vocabulary import MAYOR_BASES, ROLES, Role

if TYPE_CHECKING:  # annotations only: the roster's reads need `cap` without pydantic
    from ledger.values import ConstitutionPlace, Person, TermId


def add_months(day: date, months: int) -> date:
    """Calendar months; the 31st clamps to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def earliest_constitution(term: TermId) -> date:
    """The election precedes the period: November of the year before (2005 for 2007)."""
    return date(2005, 11, 1) if term.year == 2007 else date(term.year - 1, 11, 1)


def ensure_constitution_date_is_plausible(
    term: TermId, effective: date, election_date: date | None
) -> None:
    earliest = earliest_constitution(term)
    if not earliest <= effective <= date(term.year, 12, 31):
        raise RuleViolation(
            "B1.3",
            f"constituent meeting of {term} on {effective} lies outside "
            f"{earliest}..{term.year}-12-31 (after the election, in the period's first year)",
        )
    if election_date is not None and not effective > election_date:
        raise RuleViolation(
            "B1.3", f"constituent meeting {effective} is not after the election {election_date}"
        )


def ensure_people_are_in_region(term: TermId, people: Iterable[Person]) -> None:
    for person in people:
        found = municipality(person.municipality)
        if found.region != term.region:
            raise RuleViolation(
                "B1.0",
                f"{person.name} ({person.person_id}) sits for {found.name}, which is not in "
                f"region {term.region_name}",
            )


def ensure_one_mayor_per_municipality(term: TermId, places: Iterable[ConstitutionPlace]) -> None:
    mayors = Counter(municipality(p.person.municipality).name for p in places if p.seat == "mayor")
    expected = {m.name for m in municipalities_of(term.region)}
    doubled = sorted(name for name, count in mayors.items() if count > 1)
    missing = sorted(expected - set(mayors))
    if doubled:
        raise RuleViolation("B1.0", f"more than one mayor seat for {', '.join(doubled)}")
    if missing:
        raise RuleViolation(
            "B1.0",
            f"no mayor seat for {len(missing)} municipalit{'y' if len(missing) == 1 else 'ies'} "
            f"of {term.region_name}: {', '.join(missing)}",
        )


def cap(term_region: str) -> int:
    """B1.1: at most twice as many members as the region has municipalities."""
    return 2 * len(municipalities_of(term_region))


def ensure_within_cap(region: str, size: int, exception: str = "") -> None:
    if size > cap(region):
        raise RuleViolation(
            "B1.1",
            f"{size} members exceed the cap of {cap(region)} (2 × {cap(region) // 2} "
            f"municipalities){exception}",
        )


def ensure_party_seats_name_a_party(places: Iterable[ConstitutionPlace]) -> None:
    for place in places:
        if place.seat == "party" and not place.person.party:
            raise RuleViolation(
                "B1.0",
                f"{place.person.name} has a party seat but no party or list; "
                "party seats belong to a party or list alliance",
            )


def ensure_nobody_twice(people: Iterable[Person]) -> None:
    seen = Counter(p.person_id for p in people)
    twice = sorted(pid for pid, count in seen.items() if count > 1)
    if twice:
        raise RuleViolation(
            "B1.2",
            f"{', '.join(twice)} would hold two places in the term at once; a substitute serves "
            "one member only and a member cannot be a substitute",
        )


def ensure_substitute_basis_fits(place: ConstitutionPlace) -> None:
    """A mayor's substitute is a vice mayor or council-elected (B1.2), with a stated basis."""
    if place.substitute is not None:
        ensure_substitute_fits_seat(place.seat, place.person.municipality, place.person.name,
                                    place.substitute, place.basis)


def ensure_substitute_fits_seat(seat_kind: str, seat_municipality: str, holder: str,
                                substitute: Person, basis: str | None) -> None:
    if seat_kind == "mayor":
        if basis not in MAYOR_BASES:
            raise RuleViolation("B1.2", f"the substitute in the mayor seat of {seat_municipality}"
                                f" ({holder}) needs a basis: {', '.join(MAYOR_BASES)}")
        if municipality(substitute.municipality) != municipality(seat_municipality):
            raise RuleViolation("B1.2", f"{substitute.name}, substitute in the mayor seat of "
                                f"{seat_municipality}, must sit in that council")
    elif basis not in (None, "party_elected"):
        raise RuleViolation("B1.2", f"the substitute of party-elected {holder} is elected by the "
                            f"party (basis party_elected), not {basis}")


def ensure_leave_is_at_least_three_months(rule: str, who: str, start: date, until: date) -> None:
    """B1.6/B1.7: an expected absence of at least 3 calendar months; shorter is B1.8."""
    if until < add_months(start, 3):
        raise RuleViolation(rule, f"leave of {who} {start}..{until} is shorter than 3 months; a "
                            "single-meeting absence (B1.8) is not recorded as leave")


def ensure_roles_are_distinct_members(
    chair: str | None, vice_chair: str | None, members: Iterable[str]
) -> None:
    member_ids = set(members)
    holders: tuple[tuple[Role, str | None], ...] = (("chair", chair), ("vice_chair", vice_chair))
    for role, holder in holders:
        if holder is not None and holder not in member_ids:
            raise RuleViolation("B1.4", f"{ROLES[role].english} {holder} is not a member of the "
                                "KKR")
    if chair is not None and chair == vice_chair:
        raise RuleViolation("B1.4", f"{chair} cannot be both {ROLES['chair'].english} and "
                            f"{ROLES['vice_chair'].english}")


def ensure_convener_is_a_mayor(convened_by: str | None, mayors: Iterable[str]) -> None:
    if convened_by is not None and convened_by not in set(mayors):
        raise RuleViolation(
            "B1.3", f"the meeting is convened by a mayor of the region; {convened_by} is not one"
        )


def overdue_successor(term: str, on: date, ended_on: date | None) -> str | None:
    """B1.3: the next term's constituent meeting is due by 31 January of its first year. A
    term (`region/year`) that nothing has ended after that is answered as last recorded; this
    says so (None when the term ended or the deadline is not past)."""
    region, year = term.split("/")
    successor_year = next_period_year(int(year))
    due = constitution_deadline(successor_year)
    if ended_on is not None or on <= due:
        return None
    return (f"the constitution of {region}/{successor_year} is not recorded: its constituent "
            f"meeting was due by {due}; {term} is shown as last recorded")
