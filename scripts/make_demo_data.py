#!/usr/bin/env python3
"""Generate the demo batches of the KKR ledger: `commands/data/demo/*.jsonl`.

Usage (from the repository root, with the project installed):
`.venv/bin/python scripts/make_demo_data.py [--out DIR]`.

The output is deterministic (`random.Random(2022)`) and uses the batch format of DESIGN.md
§3.1, one JSON object per line:

- `01-constitutions.jsonl`: `constitute` for `nordjylland/2018` and the five 2022 terms, in
  effective-date order. Real regions, municipalities and party letters; roughly realistic
  regional vote totals (2021/2017 municipal elections) and mayors' parties; the party seats
  are exactly what the project's seat calculator allocates for those votes and mayors
  (`ledger.statute.composition.compose`, B1.0/B1.1, ADR 0002), as KL computes a real KKR,
  so the audit's `seat_allocation` check is quiet. Syddanmark is constituted late (B1.3 flag).
- `02-changes-2022.jsonl`: invented mid-term changes of the 2022 terms (leaves, resignations
  with B1.13 succession, a declined succession, party changes, mayor changes, a new chair).
- `03-mandates.jsonl`: the regional bodies each KKR designates to (`scripts/data/bodies.csv`),
  their posts and allocations, and the designations of 2022-2027 (`demo_mandates.py`).

All people are fictitious: names are combined from common Danish first, middle and last
names, avoiding the names in the seed documents. The generator keeps a small model of every
seat (member, substitute) so each change refers to someone who holds the place on that date.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from demo_mandates import mandate_lines

from ledger.statute.composition import compose


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES_CSV = ROOT / "ledger" / "data" / "municipalities.csv"
DEFAULT_OUT = ROOT / "commands" / "data" / "demo"

FIRST_NAMES = words(
    "Anne Mette Hanne Susanne Lene Marianne Camilla Louise Charlotte Pia Tina Helle Birgitte "
    "Karina Maria Ida Sofie Line Rikke Trine Lone Gitte Dorthe Malene Signe Jens Peter Lars "
    "Søren Niels Henrik Anders Mads Rasmus Jesper Martin Kim Ole Poul Steen Jakob Frederik "
    "Kasper Bo Erik Carsten Brian Claus Jørgen Kristian Per Allan Flemming Ulrik Simon Jonas Emil"
)
MIDDLE_NAMES = words(
    "Bøgh Krogh Dahl Skov Bach Kjær Juul Brandt Winther Bang Munk Vestergaard Damgaard "
    "Højgaard Lykke Toft Friis Storm Ravn Hedegaard"
)
SURNAMES = words(
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen "
    "Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen "
    "Knudsen Jakobsen Mikkelsen Frederiksen Laursen Henriksen Schmidt Eriksen Kristiansen "
    "Clausen Simonsen Svendsen Andreasen Iversen Jeppesen Vinther Nørgaard Overgaard Lauridsen"
)
# Named in the seed documents (real people): never generated.
SEED_NAMES = frozenset({
    "Torben Hansen", "Ib Boye Lauritsen", "Thomas Kastrup-Larsen", "Thomas Kastrop-Larsen",
    "Mogens Christen Gade", "Mogens Gade", "Mikael Smed", "Pernille Beckmann",
    "Morten Mandøe", "Christian Brincker Nordbek", "Jonna Holm Pedersen",
})
BIG_MUNICIPALITIES = {"København": 6, "Aarhus": 5, "Odense": 4, "Aalborg": 4}
LARGE_MUNICIPALITIES = words(
    "Frederiksberg Gentofte Gladsaxe Roskilde Næstved Slagelse Holbæk Køge Esbjerg Vejle "
    "Kolding Sønderborg Svendborg Randers Herning Silkeborg Horsens Viborg Hjørring Frederikshavn"
)


@dataclass(frozen=True)
class TermSpec:
    """One constitution to generate: vote shares (%) and mayors' parties of a region (the
    size follows from them by the seat calculator)."""

    term: str
    region_name: str
    effective: date
    election: date
    valid_votes: int
    shares: dict[str, float]
    mayors: dict[str, int]
    chair_party: str
    vice_party: str
    second_vice: int = 1
    council_elected: int = 0
    gaps: int = 0
    fixed_mayors: dict[str, str] = field(default_factory=dict)


ELECTION_2017, ELECTION_2021 = date(2017, 11, 21), date(2021, 11, 16)
SPECS = (
    TermSpec("nordjylland/2018", "Nordjylland", date(2018, 1, 11), ELECTION_2017, 352_000,
             {"A": 38, "V": 27, "O": 9, "C": 6, "F": 5, "Ø": 5, "B": 3, "Å": 2, "D": 1,
              "K": 1, "I": 0.8, "Lokallisten": 0.6},
             {"A": 6, "V": 4, "Lokallisten": 1}, "A", "V",
             fixed_mayors={"Læsø": "Lokallisten"}),
    TermSpec("midtjylland/2022", "Midtjylland", date(2022, 1, 19), ELECTION_2021, 771_000,
             {"A": 30, "V": 23, "C": 14, "F": 7, "Ø": 6.5, "B": 5, "O": 3.5, "D": 2.5, "K": 2,
              "Å": 1.3, "I": 1.2},
             {"V": 9, "A": 8, "C": 1, "F": 1}, "A", "V", gaps=1),
    TermSpec("nordjylland/2022", "Nordjylland", date(2022, 1, 20), ELECTION_2021, 346_000,
             {"A": 35, "V": 26, "C": 12, "F": 6, "Ø": 5, "O": 5, "B": 3, "D": 3, "K": 1.2,
              "I": 0.8, "Lokallisten": 0.5},
             {"A": 5, "V": 5, "Lokallisten": 1}, "A", "V",
             fixed_mayors={"Læsø": "Lokallisten"}),
    TermSpec("sjaelland/2022", "Sjælland", date(2022, 1, 25), ELECTION_2021, 455_000,
             {"A": 30, "V": 22, "C": 15, "F": 7, "O": 6, "Ø": 5.5, "B": 3.5, "D": 3.5, "I": 1.2,
              "K": 1, "Å": 1},
             {"A": 8, "V": 7, "C": 2}, "A", "V"),
    TermSpec("hovedstaden/2022", "Hovedstaden", date(2022, 1, 27), ELECTION_2021, 931_000,
             {"A": 24.5, "C": 19.5, "V": 13, "Ø": 12.5, "F": 10, "B": 7.5, "Å": 3, "O": 3,
              "D": 2.4, "I": 2.3, "K": 0.6},
             {"A": 11, "C": 10, "V": 5, "F": 1, "Ø": 1, "B": 1}, "A", "C",
             second_vice=2, council_elected=1, gaps=1),
    TermSpec("syddanmark/2022", "Syddanmark", date(2022, 2, 3), ELECTION_2021, 689_000,
             {"V": 27, "A": 26, "C": 15, "F": 6, "O": 4.5, "Ø": 4.5, "B": 4, "D": 3, "K": 2,
              "Slesvigsk Parti": 1.3, "I": 1.2, "Å": 0.8},
             {"V": 12, "A": 7, "C": 3}, "V", "A", gaps=1),
)


# -- small helpers -----------------------------------------------------------------------


def slugify(text: str) -> str:
    """As the ledger does: Danish letters spelled out, the rest ASCII, `-` between words."""
    danish = text.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa",
                                           "Æ": "ae", "Ø": "oe", "Å": "aa"}))
    ascii_text = unicodedata.normalize("NFKD", danish).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def load_regions() -> dict[str, list[str]]:
    """Region name -> its municipalities, in the CSV's order."""
    regions: dict[str, list[str]] = {}
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            regions.setdefault(row["region"], []).append(row["municipality"])
    return regions


def municipality_weight(name: str) -> int:
    return BIG_MUNICIPALITIES.get(name, 2 if name in LARGE_MUNICIPALITIES else 1)


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def command(name: str, term: str, effective: date, source: str, **fields: object) -> dict:
    """A batch line with the common envelope first; `command_id` is set when writing."""
    return {"command": name, "term": term, "effective": effective.isoformat(),
            "source": source, "command_id": "", "recorded_by": "demo", **fields}


# -- people ----------------------------------------------------------------------------


class People:
    """Invents unique fictitious persons; can reuse persons of an earlier term."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.pool: dict[tuple[str, str], list[dict]] = {}
        self.reused: set[str] = set()

    def new(self, municipality: str, party: str) -> dict:
        while True:
            first, surname = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
            middle = self.rng.choice(MIDDLE_NAMES) if self.rng.random() < 0.75 else ""
            name = " ".join(part for part in (first, middle, surname) if part)
            if name not in self.names and name not in SEED_NAMES:
                self.names.add(name)
                return {"person_id": slugify(name), "name": name,
                        "municipality": municipality, "party": party}

    def remember(self, persons: list[dict]) -> None:
        """Offer these persons for reuse in a later term (continuity across terms)."""
        for person in persons:
            self.pool.setdefault((person["municipality"], person["party"]), []).append(person)

    def get_in_party(self, towns: list[str], weights: list[int], party: str,
                     reuse: float) -> dict:
        """A person of the party anywhere in the region (bigger towns likelier)."""
        pooled = [key for key in self.pool if key[1] == party and key[0] in towns
                  and self.pool[key]]
        if pooled and self.rng.random() < reuse:
            return self.get(*self.rng.choice(sorted(pooled)), reuse=1.0)
        return self.new(self.rng.choices(towns, weights)[0], party)

    def get(self, municipality: str, party: str, reuse: float = 0.0) -> dict:
        """A person of that municipality and party: an earlier term's one with `reuse` odds."""
        candidates = self.pool.get((municipality, party), [])
        if candidates and self.rng.random() < reuse:
            person = candidates.pop(self.rng.randrange(len(candidates)))
            self.reused.add(person["person_id"])
            return dict(person)
        return self.new(municipality, party)


# -- constitutions -------------------------------------------------------------------------


def make_votes(spec: TermSpec) -> dict[str, int]:
    """Regional vote totals from the shares, with a little deterministic noise of the term's
    own (so a term's votes, and hence its seats, do not depend on the other terms)."""
    rng = random.Random(spec.term)
    total_share = sum(spec.shares.values())
    return {party: round(spec.valid_votes * share / total_share * rng.uniform(0.97, 1.03))
            for party, share in spec.shares.items()}


def assign_mayor_parties(spec: TermSpec, towns: list[str], rng: random.Random) -> dict[str, str]:
    """Municipality -> mayor's party: the fixed ones, then the counts shuffled over the rest."""
    counts = Counter(spec.mayors)
    counts.subtract(Counter(spec.fixed_mayors.values()))
    parties = [party for party, n in sorted(counts.items()) for _ in range(n)]
    rest = [town for town in towns if town not in spec.fixed_mayors]
    assert len(parties) == len(rest), f"{spec.term}: mayors do not add up"
    rng.shuffle(parties)
    return {**dict(zip(rest, parties, strict=True)), **spec.fixed_mayors}


def allocate_seats(votes: dict[str, int], mayors: Counter, municipalities: int) -> dict[str, int]:
    """B1.0/B1.1 as KL computes them: the seat calculator's total seats per party (mayors
    included), for these votes and mayors (ledger/statute/composition.py, ADR 0002)."""
    composition = compose(votes, dict(mayors), municipalities)
    return {p.party: p.total for p in composition.parties}


def party_places(spec: TermSpec, towns: list[str], totals: dict[str, int], mayors: Counter,
                 people: People, rng: random.Random) -> list[dict]:
    """The party-elected members with their substitutes, the parties with most seats first."""
    weights = [municipality_weight(town) for town in towns]
    places = []
    for party in sorted(totals, key=lambda p: (-totals[p], p)):
        for _ in range(totals[party] - mayors.get(party, 0)):
            places.append({"person": people.get_in_party(towns, weights, party, reuse=0.6),
                           "seat": "party",
                           "substitute": people.get_in_party(towns, weights, party, reuse=0.4),
                           "basis": "party_elected"})
    return places


def mayor_places(spec: TermSpec, towns: list[str], mayor_party: dict[str, str],
                 votes: dict[str, int], people: People) -> list[dict]:
    """One mayor per municipality with the 1st vice mayor as substitute (bases fixed later)."""
    parties = list(votes)
    places = []
    for town in towns:
        vice_party = people.rng.choices(parties, [votes[p] for p in parties])[0]
        places.append({"person": people.get(town, mayor_party[town], reuse=0.7), "seat": "mayor",
                       "substitute": people.get(town, vice_party, reuse=0.3),
                       "basis": "first_vice_mayor"})
    return places


def set_mayor_bases(spec: TermSpec, mayors: list[dict], parties: list[dict],
                    rng: random.Random) -> None:
    """B1.2: where the vice mayors are party-elected members, the 2nd vice / council's pick."""
    in_kkr = Counter(place["person"]["municipality"] for place in parties)
    doubles = [m for m in mayors if in_kkr[m["person"]["municipality"]] >= 2]
    singles = [m for m in mayors if in_kkr[m["person"]["municipality"]] >= 1]
    chosen = rng.sample(doubles, spec.council_elected)
    for place in chosen:
        place["basis"] = "council_elected"
    rest = [m for m in singles if m not in chosen]
    for place in rng.sample(rest, spec.second_vice):
        place["basis"] = "second_vice_mayor"


def pick_roles(spec: TermSpec, mayors: list[dict], people: People,
               rng: random.Random) -> tuple[str, str, str]:
    """Chair and vice chair among the mayors of two parties; the convener prefers a veteran."""
    def holder(party: str) -> str:
        options = [m for m in mayors if m["person"]["party"] == party
                   and m["basis"] == "first_vice_mayor"]
        return rng.choice(options)["person"]["person_id"]

    chair, vice = holder(spec.chair_party), holder(spec.vice_party)
    veterans = [m for m in mayors if m["person"]["person_id"] in people.reused]
    convener = rng.choice(veterans or mayors)["person"]["person_id"]
    return chair, vice, convener


def leave_gaps(spec: TermSpec, parties: list[dict], rng: random.Random) -> None:
    """Deliberate audit findings: party seats constituted without a substitute."""
    for place in rng.sample(parties, spec.gaps):
        place["substitute"] = None
        place["basis"] = None


def constitute(spec: TermSpec, towns: list[str], people: People, rng: random.Random) -> dict:
    votes = make_votes(spec)
    mayor_party = assign_mayor_parties(spec, towns, rng)
    mayor_count = Counter(mayor_party.values())
    totals = allocate_seats(votes, mayor_count, len(towns))
    mayors = mayor_places(spec, towns, mayor_party, votes, people)
    parties = party_places(spec, towns, totals, mayor_count, people, rng)
    set_mayor_bases(spec, mayors, parties, rng)
    chair, vice, convener = pick_roles(spec, mayors, people, rng)
    leave_gaps(spec, parties, rng)
    members = [clean_place(place) for place in mayors + parties]
    source = (f"KKR {spec.region_name}, referat af konstituerende møde "
              f"{dmy(spec.effective)} (demo)")
    return command("constitute", spec.term, spec.effective, source,
                   convened_by=convener, election_date=spec.election.isoformat(),
                   votes=votes, chair=chair, vice_chair=vice, members=members)


def clean_place(place: dict) -> dict:
    """Drop the keys of a place without a substitute (a deliberate gap)."""
    return {key: value for key, value in place.items() if value is not None}


# -- the term model used by the changes ---------------------------------------------------


@dataclass
class Seat:
    seat_id: str
    kind: str
    municipality: str
    party: str
    member: dict | None
    substitute: dict | None


@dataclass
class TermState:
    """What the generator needs to know of a term to invent valid changes."""

    term: str
    region_name: str
    towns: list[str]
    constituted: date
    seats: list[Seat]
    chair: str
    vice_chair: str
    claimed: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, constitution: dict, towns: list[str], region_name: str) -> TermState:
        seats, counts = [], Counter()
        for place in constitution["members"]:
            person = place["person"]
            if place["seat"] == "mayor":
                seat_id = f"mayor:{slugify(person['municipality'])}"
            else:
                counts[slugify(person["party"])] += 1
                seat_id = f"party:{slugify(person['party'])}:{counts[slugify(person['party'])]}"
            seats.append(Seat(seat_id, place["seat"], person["municipality"], person["party"],
                              person, place.get("substitute")))
        return cls(constitution["term"], region_name, towns,
                   date.fromisoformat(constitution["effective"]), seats,
                   constitution["chair"], constitution["vice_chair"])

    def take(self, rng: random.Random, kind: str, party: str | None = None,
             gap: bool = False) -> Seat:
        """Claim an untouched seat (not a role holder's) so scenarios never collide."""
        options = [s for s in self.seats if s.kind == kind and s.seat_id not in self.claimed
                   and (party is None or s.party == party) and (s.substitute is None) == gap
                   and s.member["person_id"] not in (self.chair, self.vice_chair)]
        seat = rng.choice(options)
        self.claimed.add(seat.seat_id)
        return seat

    def seat_of(self, person_id: str) -> Seat:
        seat = next(s for s in self.seats if s.member and s.member["person_id"] == person_id)
        self.claimed.add(seat.seat_id)
        return seat


def mail(where: Seat | dict, day: date) -> str:
    """A municipality's notice; `where` is a seat or a person."""
    town = where["municipality"] if isinstance(where, dict) else where.municipality
    return f"Mail fra {town} Kommune {day.isoformat()} (demo)"


def minutes(state: TermState, day: date) -> str:
    return f"KKR {state.region_name}, referat af møde {dmy(day)} (demo)"


def party_letter(state: TermState, party: str, day: date) -> str:
    return f"Brev fra {party}-gruppen i KKR {state.region_name} {day.isoformat()} (demo)"


# -- the changes ---------------------------------------------------------------------------


def fill_gap(state: TermState, people: People, rng: random.Random, day: date) -> list[dict]:
    """A seat constituted without a substitute gets one, months late (B1.14)."""
    seat = state.take(rng, "party", gap=True)
    seat.substitute = people.new(rng.choice(state.towns), seat.party)
    return [command("appoint_substitute", state.term, day, party_letter(state, seat.party, day),
                    person=seat.substitute, for_member=seat.member["person_id"],
                    basis="party_elected")]


def resignation(state: TermState, people: People, rng: random.Random, day: date,
                refill: date, reason: str = "resigned", party: str | None = None) -> list[dict]:
    """A party-elected member leaves; the substitute succeeds (B1.13); a new substitute."""
    seat = state.take(rng, "party", party)
    leaving, seat.member = seat.member, seat.substitute
    seat.substitute = people.new(rng.choice(state.towns), seat.party)
    return [command("end_membership", state.term, day, mail(seat, day),
                    person_id=leaving["person_id"], reason=reason),
            command("appoint_substitute", state.term, refill,
                    party_letter(state, seat.party, refill), person=seat.substitute,
                    for_member=seat.member["person_id"], basis="party_elected")]


def declined_succession(state: TermState, people: People, rng: random.Random, day: date,
                        refill: date) -> list[dict]:
    """B1.13: the substitute declines; the party elects a new member, the substitute stays."""
    seat = state.take(rng, "party")
    leaving = seat.member
    seat.member = people.new(rng.choice(state.towns), seat.party)
    return [command("end_membership", state.term, day, mail(seat, day),
                    person_id=leaving["person_id"], reason="resigned", successor_declines=True),
            command("appoint_member", state.term, refill,
                    party_letter(state, seat.party, refill), person=seat.member,
                    basis="successor_declined", seat=seat.seat_id)]


def party_switch(state: TermState, people: People, rng: random.Random, day: date,
                 refill: date) -> list[dict]:
    """B1.9: a party-elected member leaves the party (O -> Æ) and so leaves the KKR."""
    seat = state.take(rng, "party", "O")
    leaving, seat.member = seat.member, seat.substitute
    seat.substitute = people.new(rng.choice(state.towns), seat.party)
    return [command("change_party", state.term, day, mail(seat, day),
                    person_id=leaving["person_id"], party="Æ"),
            command("appoint_substitute", state.term, refill,
                    party_letter(state, seat.party, refill), person=seat.substitute,
                    for_member=seat.member["person_id"], basis="party_elected")]


def mayor_switch(state: TermState, people: People, rng: random.Random, day: date) -> list[dict]:
    """B1.10: a V mayor joins Moderaterne and keeps the seat."""
    seat = state.take(rng, "mayor", "V")
    seat.member = {**seat.member, "party": "M"}
    return [command("change_party", state.term, day, mail(seat, day),
                    person_id=seat.member["person_id"], party="M")]


def leave(state: TermState, rng: random.Random, kind: str, reason: str, start: date,
          until: date, back: date, decided_on: date | None = None) -> list[dict]:
    """B1.6/B1.7: a leave of at least three months; the substitute acts meanwhile."""
    seat = state.take(rng, kind)
    extra = {"decided_on": decided_on.isoformat()} if decided_on else {}
    person_id = seat.member["person_id"]
    first = minutes(state, decided_on) if decided_on else mail(seat, start)
    return [command("start_leave", state.term, start, first, person_id=person_id,
                    expected_until=until.isoformat(), reason=reason, **extra),
            command("end_leave", state.term, back, mail(seat, back), person_id=person_id)]


def substitute_leaves(state: TermState, people: People, rng: random.Random, day: date,
                      refill: date) -> list[dict]:
    """B1.9/B1.14: a party-elected member's substitute leaves the council; a new one."""
    seat = state.take(rng, "party")
    leaving = seat.substitute
    seat.substitute = people.new(rng.choice(state.towns), seat.party)
    return [command("end_membership", state.term, day, mail(leaving, day),
                    person_id=leaving["person_id"], reason="left_council"),
            command("appoint_substitute", state.term, refill,
                    party_letter(state, seat.party, refill), person=seat.substitute,
                    for_member=seat.member["person_id"], basis="party_elected")]


def chair_mayor_resigns(state: TermState, people: People, rng: random.Random, day: date,
                        new_mayor: date, election: date) -> list[dict]:
    """The chair, a mayor, resigns; the 1st vice mayor becomes mayor; the chair's group
    elects another of its mayors chair (B1.15)."""
    seat = state.seat_of(state.chair)
    leaving, seat.member = seat.member, seat.substitute
    seat.substitute = people.new(seat.municipality, leaving["party"])
    state.chair = state.take(rng, "mayor", leaving["party"]).member["person_id"]
    return [command("end_membership", state.term, day, mail(seat, day),
                    person_id=leaving["person_id"], reason="resigned"),
            command("change_mayor", state.term, new_mayor, mail(seat, new_mayor),
                    municipality=seat.municipality, person=seat.member,
                    substitute=seat.substitute),
            command("elect_chair", state.term, election, minutes(state, election),
                    role="chair", person_id=state.chair)]


def new_majority(state: TermState, people: People, rng: random.Random, day: date,
                 new_mayor: date) -> list[dict]:
    """A mayor resigns after a new majority; a new person becomes mayor weeks later."""
    seat = state.take(rng, "mayor", "A")
    leaving = seat.member
    seat.member = people.new(seat.municipality, "V")
    return [command("end_membership", state.term, day, mail(seat, day),
                    person_id=leaving["person_id"], reason="resigned"),
            command("change_mayor", state.term, new_mayor, mail(seat, new_mayor),
                    municipality=seat.municipality, person=seat.member)]


def changes(states: dict[str, TermState], people: People, rng: random.Random) -> list[dict]:
    """The invented mid-term history of the 2022 terms, in effective-date order."""
    d, hov, sja = date, states["hovedstaden/2022"], states["sjaelland/2022"]
    syd, mid = states["syddanmark/2022"], states["midtjylland/2022"]
    nor = states["nordjylland/2022"]
    batches = [
        fill_gap(hov, people, rng, d(2022, 4, 5)),
        resignation(hov, people, rng, d(2022, 6, 1), d(2022, 8, 17)),
        leave(hov, rng, "mayor", "relieved_of_council_duties", d(2022, 9, 1), d(2023, 1, 1),
              d(2023, 1, 2)),
        party_switch(sja, people, rng, d(2022, 10, 1), d(2022, 11, 15)),
        leave(syd, rng, "party", "public_office", d(2022, 11, 7), d(2023, 5, 31), d(2023, 6, 1),
              decided_on=d(2022, 12, 2)),
        leave(mid, rng, "party", "health", d(2023, 2, 13), d(2023, 6, 30), d(2023, 6, 19),
              decided_on=d(2023, 3, 9)),
        declined_succession(mid, people, rng, d(2023, 4, 1), d(2023, 4, 27)),
        chair_mayor_resigns(syd, people, rng, d(2023, 5, 1), d(2023, 5, 22), d(2023, 6, 8)),
        mayor_switch(mid, people, rng, d(2023, 8, 15)),
        resignation(nor, people, rng, d(2023, 9, 1), d(2023, 10, 10), reason="left_council"),
        leave(sja, rng, "mayor", "relieved_of_council_duties", d(2023, 10, 2), d(2024, 2, 1),
              d(2024, 2, 1)),
        resignation(syd, people, rng, d(2024, 1, 14), d(2024, 3, 5), reason="deceased"),
        leave(sja, rng, "party", "business", d(2024, 3, 1), d(2024, 8, 31), d(2024, 9, 1),
              decided_on=d(2024, 3, 21)),
        substitute_leaves(hov, people, rng, d(2024, 5, 1), d(2024, 6, 12)),
        new_majority(nor, people, rng, d(2024, 11, 1), d(2024, 11, 20)),
        leave(hov, rng, "party", "health", d(2025, 2, 3), d(2025, 6, 30), d(2025, 7, 1),
              decided_on=d(2025, 2, 27)),
        resignation(mid, people, rng, d(2025, 4, 1), d(2025, 5, 14)),
    ]
    lines = [line for batch in batches for line in batch]
    return sorted(lines, key=lambda line: line["effective"])


# -- output --------------------------------------------------------------------------------


def number(lines: list[dict]) -> list[dict]:
    """Stable, unique command ids: `demo-<command>-<region>-<year>-<effective>`."""
    seen: Counter = Counter()
    for line in lines:
        region, year = line["term"].split("/")
        base = f"demo-{line['command'].replace('_', '-')}-{region}-{year}"
        if line["command"] != "constitute":
            base += f"-{line['effective']}"
        seen[base] += 1
        line["command_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return lines


def write_jsonl(path: Path, lines: list[dict]) -> None:
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(lines)} lines, {len(text.encode())} bytes)")


def generate() -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(2022)
    regions = load_regions()
    people = People(rng)
    constitutions, states = [], {}
    for spec in SPECS:
        towns = regions[spec.region_name]
        constitution = constitute(spec, towns, people, rng)
        constitutions.append(constitution)
        states[spec.term] = TermState.of(constitution, towns, spec.region_name)
        if spec.term == "nordjylland/2018":
            people.remember([p[k] for p in constitution["members"]
                             for k in ("person", "substitute") if k in p])
    constitutions, mid_term = number(constitutions), number(changes(states, people, rng))
    mandates = mandate_lines(rng, people.new, regions, municipality_weight, constitutions,
                             mid_term)
    return constitutions, mid_term, mandates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args()
    constitutions, mid_term, mandates = generate()
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "01-constitutions.jsonl", constitutions)
    write_jsonl(args.out / "02-changes-2022.jsonl", mid_term)
    write_jsonl(args.out / "03-mandates.jsonl", mandates)


if __name__ == "__main__":
    main()
