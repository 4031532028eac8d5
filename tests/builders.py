"""Test data builders: constitutions that satisfy Bilag 1 unless a test bends them."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.geography import municipalities_of, slugify
from ledger.values import ConstitutionPlace, Envelope, Person, TermId

PARTY_SEATS = (("A", "Aalborg"), ("V", "Hjørring"), ("C", "Thisted"), ("F", "Aalborg"),
               ("Ø", "Rebild"))


def person(pid: str, municipality: str = "Aalborg", party: str = "A", name: str = "") -> Person:
    return Person(person_id=pid, name=name or pid.replace("-", " ").title(),
                  municipality=municipality, party=party)


def places(region: str = "nordjylland", party_seats: int = 5, prefix: str = "",
           substitutes: bool = True) -> list[ConstitutionPlace]:
    """One mayor per municipality with a first vice mayor, then `party_seats` party seats."""
    result = []
    for m in municipalities_of(region):
        slug = slugify(m.name)
        result.append(ConstitutionPlace(
            person=person(f"{prefix}mayor-{slug}", m.name, "A" if m.code % 2 else "V"),
            seat="mayor",
            substitute=person(f"{prefix}vice-{slug}", m.name, "C") if substitutes else None,
            basis="first_vice_mayor" if substitutes else None,
        ))
    local = municipalities_of(region)
    for n in range(party_seats):
        party, _ = PARTY_SEATS[n % len(PARTY_SEATS)]
        home = local[n % len(local)].name
        result.append(ConstitutionPlace(
            person=person(f"{prefix}member-{n}", home, party),
            seat="party",
            substitute=person(f"{prefix}sub-{n}", home, party) if substitutes else None,
        ))
    return result


def envelope(day: str, **extra: Any) -> Envelope:
    return Envelope(effective=date.fromisoformat(day), **extra)


def constitution_line(term: str, day: str, **overrides: Any) -> dict[str, Any]:
    """A `constitute` batch line (DESIGN.md §3.1) for `term` on `day`."""
    region = TermId.parse(term).region
    line: dict[str, Any] = {
        "command": "constitute", "term": term, "effective": day,
        "members": [p.model_dump(mode="json") for p in places(region)],
        "chair": f"mayor-{slugify(municipalities_of(region)[0].name)}", "vice_chair": "member-0",
    }
    line.update(overrides)
    return line
