"""Test data builders: constitutions that satisfy Bilag 1 unless a test bends them."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.body import Body
from ledger.errors import RuleViolation
from ledger.events import Fact
from ledger.fold.timeline import TimelineBuilder
from ledger.geography import municipalities_of, slugify
from ledger.term import Term
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


# -- mid-term facts: a term held in memory, facts recorded on it, what it shows on a day -------

NORD_2022 = "nordjylland/2022"


def constituted(members: list[ConstitutionPlace] | None = None, day: str = "2022-01-20",
                term: str = NORD_2022, **details: Any) -> Term:
    """A constituted term (not stored): chair mayor-aalborg, vice chair member-0 by default."""
    details.setdefault("chair", "mayor-aalborg")
    details.setdefault("vice_chair", "member-0")
    return Term.constitute(TermId.parse(term), envelope(day),
                           places() if members is None else members, **details)


def record(term: Term, event_class: type[Fact], day: str, **payload: Any) -> Fact:
    """Record one fact on `term`, effective `day`, as a command would."""
    return term.record_fact(event_class, envelope(day), **payload)


def refusal(term: Term, event_class: type[Fact], day: str, **payload: Any) -> RuleViolation:
    """Record a fact the ledger must refuse; check that nothing changed; return the refusal."""
    version, facts, before = term.version, list(term.facts), snapshot(term.timeline)
    try:
        record(term, event_class, day, **payload)
    except RuleViolation as violation:
        assert (term.version, term.facts) == (version, facts), "a refused fact was recorded"
        assert snapshot(term.timeline) == before, "a refused fact changed the timeline"
        return violation
    raise AssertionError(f"{event_class.__name__} effective {day} was accepted")


def holders(term: Term, kind: str, day: str, seat: str | None = None,
            role: str = "") -> list[str]:
    """The persons of the `kind` intervals (of `seat`, with `role`) that hold on `day`."""
    on = date.fromisoformat(day)
    return sorted(i.person_id for i in term.timeline.intervals
                  if i.kind == kind and i.holds_on(on) and (seat is None or i.seat == seat)
                  and i.data.get("role", "") == role)


def snapshot(timeline: TimelineBuilder) -> list[tuple[Any, ...]]:
    """Every interval with its dates and data, in a stable order, for comparisons."""
    return [(*i.key, i.valid_to, sorted(i.data.items()))
            for i in sorted(timeline.intervals, key=lambda i: i.key)]


def with_sole_mayor(party: str, members: list[ConstitutionPlace]) -> list[ConstitutionPlace]:
    """The same places with Læsø's mayor in `party`, its only member (B1.11 needs one)."""
    result = list(members)
    for n, place in enumerate(result):
        if place.person.person_id == "mayor-laesoe":
            mayor = place.person.model_copy(update={"party": party})
            result[n] = place.model_copy(update={"person": mayor})
    return result


def registered_body(body: str = "rar-nordjylland", seats: int = 3, day: str = "2022-02-01",
                    **posts: Any) -> Body:
    """A body of KKR Nordjylland with `seats` KKR seats from `day`."""
    found = Body.register(body, envelope(day), name=body.replace("-", " ").title(),
                          region="nordjylland")
    found.define_posts(envelope(day), kkr_seats=seats, **posts)
    return found


# -- mandates: batch lines (design/mandates.md) ------------------------------------------------

RAR = "rar-nordjylland"


def mandate_line(command: str, day: str, **fields: Any) -> dict[str, Any]:
    """A mandates batch line effective `day`; Person values are written as JSON objects."""
    line: dict[str, Any] = {"command": command, "effective": day}
    for key, value in fields.items():
        line[key] = value.model_dump(mode="json") if isinstance(value, Person) else value
    return line


def register_line(body: str = RAR, day: str = "2022-02-01", region: str = "nordjylland",
                  **details: Any) -> dict[str, Any]:
    return mandate_line("register_body", day, body=body, region=region,
                        name=body.replace("-", " ").title(), **details)


def body_lines(body: str = RAR, seats: int = 3, day: str = "2022-02-01",
               region: str = "nordjylland", **posts: Any) -> list[dict[str, Any]]:
    """`register_body` and `define_posts` lines: a body of `region` with `seats` KKR seats."""
    return [register_line(body, day, region),
            mandate_line("define_posts", day, body=body, kkr_seats=seats, **posts)]


def designate_line(who: Person, day: str, body: str = RAR, **fields: Any) -> dict[str, Any]:
    return mandate_line("designate", day, body=body, person=who, **fields)
