"""Synthetic histories for benchmarks and load tests: valid batch lines, in date order.

Every term gets a full constitution (one mayor per municipality, party seats up to the cap,
a substitute for everyone) and then a realistic mix of changes spread over the period:
leaves and returns, resignations with B1.13 succession and new substitutes, party changes,
chair elections. The generator keeps just enough state to stay valid by construction.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ledger.geography import REGION_NAMES, municipalities_of

PARTIES = ("A", "V", "C", "F", "Ø", "B", "O", "D", "I", "K")


@dataclass
class Seat:
    member: str
    substitute: str | None
    municipality: str
    party: str
    on_leave: bool = False


@dataclass
class TermState:
    term: str
    seats: list[Seat] = field(default_factory=list)
    serial: int = 0
    day: date = date(2000, 1, 1)

    def new_person(self, municipality: str, party: str) -> dict[str, str]:
        self.serial += 1
        pid = f"{self.term.replace('/', '-')}-p{self.serial}"
        return {"person_id": pid, "name": f"Person {self.serial} {self.term}",
                "municipality": municipality, "party": party}


def constitution(state: TermState, region: str, year: int, rng: random.Random) -> dict[str, Any]:
    places: list[dict[str, Any]] = []
    towns = [m.name for m in municipalities_of(region)]
    for town in towns:
        mayor, vice = state.new_person(town, "A"), state.new_person(town, "V")
        places.append({"person": mayor, "seat": "mayor", "substitute": vice,
                       "basis": "first_vice_mayor"})
    for n in range(len(towns) - 2):
        home, party = towns[n % len(towns)], PARTIES[n % len(PARTIES)]
        member, sub = state.new_person(home, party), state.new_person(home, party)
        places.append({"person": member, "seat": "party", "substitute": sub})
        state.seats.append(Seat(member["person_id"], sub["person_id"], home, party))
    state.day = date(year, 1, rng.randint(10, 28))
    return {"command": "constitute", "term": state.term, "effective": state.day.isoformat(),
            "members": places, "chair": mayor_id(places, 0), "vice_chair": mayor_id(places, 1),
            "source": "synthetic"}


def mayor_id(places: list[dict[str, Any]], index: int) -> str:
    person_id: str = places[index]["person"]["person_id"]
    return person_id


def changes(state: TermState, count: int, end: date, rng: random.Random
            ) -> Iterator[dict[str, Any]]:
    span = (end - state.day).days - 1
    step, crowded = max(1, span // max(count, 1)), count > span
    made = 0
    while made < count:
        # More events than days: several a day, moving on with the right probability.
        if not crowded or rng.random() < span / count:
            state.day += timedelta(days=rng.randint(1, step))
        if state.day >= end:
            return
        for line in _one_change(state, rng):
            made += 1
            yield {"term": state.term, "effective": state.day.isoformat(),
                   "source": "synthetic", **line}


def _one_change(state: TermState, rng: random.Random) -> list[dict[str, Any]]:
    seat = rng.choice(state.seats)
    if seat.on_leave:
        seat.on_leave = False
        return [{"command": "end_leave", "person_id": seat.member}]
    roll = rng.random()
    if roll < 0.5 and seat.substitute:
        seat.on_leave = True
        until = state.day + timedelta(days=rng.randint(92, 400))
        return [{"command": "start_leave", "person_id": seat.member, "reason": "health",
                 "expected_until": until.isoformat(), "decided_on": state.day.isoformat()}]
    if seat.substitute is None:
        new = state.new_person(seat.municipality, seat.party)
        seat.substitute = new["person_id"]
        return [{"command": "appoint_substitute", "person": new, "for_member": seat.member}]
    leaving, seat.member, seat.substitute = seat.member, seat.substitute, None
    if roll < 0.8:
        return [{"command": "end_membership", "person_id": leaving, "reason": "resigned"}]
    return [{"command": "change_party", "person_id": leaving, "party": "Æ"}]


def synthetic_history(terms: int, events_per_term: int, seed: int = 7
                      ) -> Iterator[dict[str, Any]]:
    """`terms` terms (five regions per period, periods from 2010 on), each with about
    `events_per_term` events, term after term in date order."""
    rng = random.Random(seed)
    regions = list(REGION_NAMES)
    for index in range(terms):
        region, year = regions[index % 5], 2010 + 4 * (index // 5)
        state = TermState(f"{region}/{year}")
        yield constitution(state, region, year, rng)
        yield from changes(state, events_per_term - 1, date(year + 4, 1, 1), rng)
