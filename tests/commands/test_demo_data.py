"""The demo batches (commands/data/demo/*.jsonl) satisfy the statute the ledger enforces.

Stdlib only on purpose: the files are checked as plain JSON lines against DESIGN.md §1 and
§3.1, independently of the ledger's own models, and a small replay follows every seat. The one
exception is the seat calculator (ledger/statute/composition.py, ADR 0002): the demo's party
seats must be what it allocates, as the audit's `seat_allocation` check expects.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ledger.geography import slugify
from ledger.statute.composition import compose
from ledger.statute.rules import add_months

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "commands" / "data" / "demo"
CONSTITUTIONS = DEMO / "01-constitutions.jsonl"
CHANGES = DEMO / "02-changes-2022.jsonl"
MANDATES = DEMO / "03-mandates.jsonl"
BODIES_CSV = ROOT / "scripts" / "data" / "bodies.csv"
PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAYOR_BASES = {"first_vice_mayor", "second_vice_mayor", "council_elected"}
LEAVE_REASONS = {"relieved_of_council_duties", "health", "public_office", "business", "other"}
B17_REASONS = {"health", "public_office", "business"}
END_REASONS = {"left_council", "left_party", "municipality_left_kl", "deceased", "resigned",
               "other"}
REGION_NAMES = {"hovedstaden": "Hovedstaden", "sjaelland": "Sjælland",
                "syddanmark": "Syddanmark", "midtjylland": "Midtjylland",
                "nordjylland": "Nordjylland"}
TERMS_2022 = ["hovedstaden/2022", "sjaelland/2022", "syddanmark/2022", "midtjylland/2022",
              "nordjylland/2022"]
SEED_NAMES = {"Torben Hansen", "Ib Boye Lauritsen", "Thomas Kastrup-Larsen",
              "Thomas Kastrop-Larsen", "Mogens Christen Gade", "Mogens Gade", "Mikael Smed",
              "Pernille Beckmann", "Morten Mandøe", "Christian Brincker Nordbek",
              "Jonna Holm Pedersen"}

Line = dict[str, Any]


def read_jsonl(path: Path) -> list[Line]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(text) for text in handle if text.strip()]


def municipalities_by_region() -> dict[str, list[str]]:
    by_region: dict[str, list[str]] = {slug: [] for slug in REGION_NAMES}
    slug_of = {name: slug for slug, name in REGION_NAMES.items()}
    with (ROOT / "ledger" / "data" / "municipalities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_region[slug_of[row["region"]]].append(row["municipality"])
    return by_region


def people_of(constitution: Line) -> list[dict[str, str]]:
    places = constitution["members"]
    return [p["person"] for p in places] + [p["substitute"] for p in places if "substitute" in p]


@pytest.fixture(scope="module")
def constitutions() -> list[Line]:
    return read_jsonl(CONSTITUTIONS)


@pytest.fixture(scope="module")
def changes() -> list[Line]:
    return read_jsonl(CHANGES)


@pytest.fixture(scope="module")
def mandates() -> list[Line]:
    return read_jsonl(MANDATES)


@pytest.fixture(scope="module")
def regions() -> dict[str, list[str]]:
    return municipalities_by_region()


# -- a small replay of the seats -------------------------------------------------------------


@dataclass
class Seat:
    kind: str
    municipality: str
    member: str | None
    substitute: str | None


@dataclass
class Replay:
    """Who holds which place in one term; every change must refer to a current holder."""

    start: date
    towns: list[str]
    seats: dict[str, Seat] = field(default_factory=dict)
    on_leave: set[str] = field(default_factory=set)
    roles: dict[str, str | None] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, constitution: Line, towns: list[str]) -> Replay:
        replay = cls(date.fromisoformat(constitution["effective"]), towns)
        counts: Counter[str] = Counter()
        for place in constitution["members"]:
            person = place["person"]
            if place["seat"] == "mayor":
                seat_id = f"mayor:{slugify(person['municipality'])}"
            else:
                counts[slugify(person["party"])] += 1
                seat_id = f"party:{slugify(person['party'])}:{counts[slugify(person['party'])]}"
            substitute = place.get("substitute", {}).get("person_id")
            replay.seats[seat_id] = Seat(place["seat"], person["municipality"],
                                         person["person_id"], substitute)
        replay.roles = {"chair": constitution["chair"], "vice_chair": constitution["vice_chair"]}
        return replay

    def find(self, person_id: str) -> tuple[str, str] | None:
        for seat_id, seat in self.seats.items():
            if seat.member == person_id:
                return seat_id, "member"
            if seat.substitute == person_id:
                return seat_id, "substitute"
        return None

    def place_of(self, person_id: str) -> tuple[str, str]:
        place = self.find(person_id)
        assert place is not None, f"{person_id} holds no place"
        return place

    def ensure_new(self, person: dict[str, str]) -> None:
        assert PERSON_ID.match(person["person_id"])
        assert person["municipality"] in self.towns
        assert self.find(person["person_id"]) is None, f"{person['person_id']} has a place"

    def leave_place(self, seat_id: str, capacity: str, person_id: str, declines: bool) -> None:
        seat = self.seats[seat_id]
        if capacity == "substitute":
            seat.substitute = None
        elif seat.kind == "mayor" or declines:
            seat.member = None
        else:
            seat.member, seat.substitute = seat.substitute, None
        for role, holder in self.roles.items():
            if holder == person_id:
                self.roles[role] = None

    def apply(self, line: Line) -> None:
        self.kinds[line["command"]] += 1
        getattr(self, "do_" + line["command"])(line)

    def do_start_leave(self, line: Line) -> None:
        assert self.place_of(line["person_id"])[1] == "member"
        assert line["person_id"] not in self.on_leave
        self.on_leave.add(line["person_id"])

    def do_end_leave(self, line: Line) -> None:
        self.on_leave.remove(line["person_id"])

    def do_end_membership(self, line: Line) -> None:
        assert line["person_id"] not in self.on_leave
        seat_id, capacity = self.place_of(line["person_id"])
        declines = line.get("successor_declines", False)
        self.leave_place(seat_id, capacity, line["person_id"], declines)

    def do_change_party(self, line: Line) -> None:
        seat_id, capacity = self.place_of(line["person_id"])
        if self.seats[seat_id].kind == "mayor" and capacity == "member":
            self.kinds["change_party_of_mayor"] += 1
        else:
            self.kinds["change_party_leaving"] += 1
            self.leave_place(seat_id, capacity, line["person_id"], False)

    def do_appoint_substitute(self, line: Line) -> None:
        self.ensure_new(line["person"])
        seat_id, capacity = self.place_of(line["for_member"])
        assert capacity == "member"
        self.seats[seat_id].substitute = line["person"]["person_id"]

    def do_appoint_member(self, line: Line) -> None:
        self.ensure_new(line["person"])
        assert self.seats[line["seat"]].member is None
        self.seats[line["seat"]].member = line["person"]["person_id"]

    def do_change_mayor(self, line: Line) -> None:
        seat = self.seats[f"mayor:{slugify(line['municipality'])}"]
        new = line["person"]
        assert seat.member is None and new["municipality"] == line["municipality"]
        if new["person_id"] == seat.substitute:
            seat.substitute = None
        else:
            self.ensure_new(new)
        seat.member = new["person_id"]
        if "substitute" in line:
            self.ensure_new(line["substitute"])
            assert line["substitute"]["municipality"] == line["municipality"]
            seat.substitute = line["substitute"]["person_id"]

    def do_elect_chair(self, line: Line) -> None:
        assert self.place_of(line["person_id"])[1] == "member"
        assert self.roles[line["role"]] is None, "the role was not vacant"
        self.roles[line["role"]] = line["person_id"]


@pytest.fixture(scope="module")
def replays(constitutions: list[Line], changes: list[Line],
            regions: dict[str, list[str]]) -> dict[str, Replay]:
    result = {c["term"]: Replay.of(c, regions[c["term"].split("/")[0]])
              for c in constitutions if c["term"] in TERMS_2022}
    for number, line in enumerate(changes, start=1):
        try:
            result[line["term"]].apply(line)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"line {number} ({line['command_id']}): {error!r}") from error
    return result


# -- the constitutions -------------------------------------------------------------------------


def test_the_constitutions_are_the_2018_nordjylland_term_then_the_five_2022_terms_by_date(
    constitutions: list[Line],
) -> None:
    terms = [c["term"] for c in constitutions]
    days = [date.fromisoformat(c["effective"]) for c in constitutions]
    assert terms[0] == "nordjylland/2018" and sorted(terms[1:]) == sorted(TERMS_2022)
    assert days == sorted(days)
    assert (days[0].year, days[0].month) == (2018, 1)
    assert all(date(2022, 1, 1) <= day <= date(2022, 2, 28) for day in days[1:])


def test_at_least_one_2022_constitution_is_late_so_the_b13_flag_shows(
    constitutions: list[Line],
) -> None:
    late = [c["term"] for c in constitutions if c["effective"] > "2022-01-31"]
    assert late and all(term.endswith("/2022") for term in late)


def test_every_demo_constitution_follows_its_election(constitutions: list[Line]) -> None:
    for constitution in constitutions:
        election = date.fromisoformat(constitution["election_date"])
        assert election < date.fromisoformat(constitution["effective"])
        assert election.month == 11 and election.year + 1 == int(constitution["term"][-4:])


def test_every_demo_constitution_has_one_mayor_per_municipality(
    constitutions: list[Line], regions: dict[str, list[str]],
) -> None:
    for constitution in constitutions:
        mayors = Counter(p["person"]["municipality"] for p in constitution["members"]
                         if p["seat"] == "mayor")
        assert sorted(mayors) == sorted(regions[constitution["term"].split("/")[0]])
        assert set(mayors.values()) == {1}


def test_every_demo_constitution_stays_within_twice_the_number_of_municipalities(
    constitutions: list[Line], regions: dict[str, list[str]],
) -> None:
    for constitution in constitutions:
        cap = 2 * len(regions[constitution["term"].split("/")[0]])
        assert len(constitution["members"]) <= cap, constitution["term"]


def test_nobody_holds_two_places_in_one_demo_term(constitutions: list[Line]) -> None:
    for constitution in constitutions:
        twice = [pid for pid, n in Counter(p["person_id"] for p in people_of(constitution))
                 .items() if n > 1]
        assert twice == [], constitution["term"]


def test_every_person_has_a_slug_id_a_name_and_a_municipality_of_the_terms_region(
    constitutions: list[Line], regions: dict[str, list[str]],
) -> None:
    for constitution in constitutions:
        towns = regions[constitution["term"].split("/")[0]]
        for person in people_of(constitution):
            assert set(person) == {"person_id", "name", "municipality", "party"}
            assert PERSON_ID.match(person["person_id"]) and person["name"]
            assert person["municipality"] in towns, (constitution["term"], person)


def test_a_person_id_means_the_same_person_in_every_demo_line(
    constitutions: list[Line], changes: list[Line], mandates: list[Line],
) -> None:
    names: dict[str, str] = {}
    persons = [p for c in constitutions for p in people_of(c)]
    persons += [line[key] for line in changes + mandates for key in ("person", "substitute")
                if key in line]
    for person in persons:
        assert names.setdefault(person["person_id"], person["name"]) == person["name"]


def test_mayor_substitutes_sit_in_the_mayors_municipality_with_a_vice_mayor_basis(
    constitutions: list[Line],
) -> None:
    for constitution in constitutions:
        for place in constitution["members"]:
            if place["seat"] == "mayor":
                assert place["basis"] in MAYOR_BASES
                assert place["substitute"]["municipality"] == place["person"]["municipality"]


def test_second_vice_mayors_and_council_picks_appear_where_vice_mayors_sit_in_the_kkr(
    constitutions: list[Line],
) -> None:
    bases: Counter[str] = Counter()
    for constitution in constitutions:
        party_towns = Counter(p["person"]["municipality"] for p in constitution["members"]
                              if p["seat"] == "party")
        for place in constitution["members"]:
            basis = place.get("basis")
            bases[basis] += 1
            town = place["person"]["municipality"]
            if basis == "second_vice_mayor":
                assert party_towns[town] >= 1
            if basis == "council_elected":
                assert party_towns[town] >= 2
    assert bases["first_vice_mayor"] > 80 and bases["second_vice_mayor"] >= 3
    assert bases["council_elected"] >= 1


def test_party_seats_name_a_party_and_their_substitutes_are_party_elected(
    constitutions: list[Line],
) -> None:
    for constitution in constitutions:
        for place in constitution["members"]:
            if place["seat"] == "party":
                assert place["person"]["party"]
                if "substitute" in place:
                    assert place["basis"] == "party_elected"
                    assert place["substitute"]["party"] == place["person"]["party"]


def test_chair_and_vice_chair_are_distinct_members_and_a_mayor_convened(
    constitutions: list[Line],
) -> None:
    for constitution in constitutions:
        members = {p["person"]["person_id"] for p in constitution["members"]}
        mayors = {p["person"]["person_id"] for p in constitution["members"]
                  if p["seat"] == "mayor"}
        assert constitution["chair"] != constitution["vice_chair"]
        assert {constitution["chair"], constitution["vice_chair"]} <= members
        assert constitution["convened_by"] in mayors


def test_every_demo_terms_party_seats_are_the_seat_calculators_allocation(
    constitutions: list[Line], regions: dict[str, list[str]],
) -> None:
    for constitution in constitutions:
        places = constitution["members"]
        mayors = Counter(p["person"]["party"] for p in places if p["seat"] == "mayor")
        party_seats = Counter(p["person"]["party"] for p in places if p["seat"] == "party")
        towns = regions[constitution["term"].split("/")[0]]
        composition = compose(constitution["votes"], mayors, len(towns))
        expected = {p.party: p.supplementary for p in composition.parties if p.supplementary}
        assert dict(party_seats) == expected, constitution["term"]
        assert len(places) == composition.size <= 2 * len(towns), constitution["term"]


def test_the_2022_terms_have_180_members_and_all_but_two_or_three_have_a_substitute(
    constitutions: list[Line],
) -> None:
    places = [p for c in constitutions if c["term"] in TERMS_2022 for p in c["members"]]
    gaps = [p for p in places if "substitute" not in p]
    assert len(places) == 180
    assert 2 <= len(gaps) <= 3
    assert all(p["seat"] == "party" for p in gaps)


def test_the_2018_and_2022_nordjylland_terms_share_some_but_not_all_persons(
    constitutions: list[Line],
) -> None:
    by_term = {c["term"]: {p["person_id"] for p in people_of(c)} for c in constitutions}
    shared = by_term["nordjylland/2018"] & by_term["nordjylland/2022"]
    assert 5 <= len(shared) < len(by_term["nordjylland/2018"])


def test_votes_are_plausible_regional_totals_with_a_and_v_among_the_largest(
    constitutions: list[Line],
) -> None:
    for constitution in constitutions:
        votes = constitution["votes"]
        ranking = sorted(votes, key=votes.get, reverse=True)
        assert 200_000 <= sum(votes.values()) <= 1_100_000
        assert "A" in ranking[:2] and "V" in ranking[:3]
        assert all(isinstance(n, int) and n >= 0 for n in votes.values())
    hovedstaden = next(c for c in constitutions if c["term"] == "hovedstaden/2022")
    assert 800_000 <= sum(hovedstaden["votes"].values()) <= 1_000_000


def test_no_demo_person_is_named_in_the_seed_documents(
    constitutions: list[Line], changes: list[Line],
) -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in (CONSTITUTIONS, CHANGES,
                                                                   MANDATES))
    assert [name for name in SEED_NAMES if name in text] == []


# -- the changes ------------------------------------------------------------------------------


def test_every_demo_line_carries_a_source_a_unique_command_id_and_recorded_by(
    constitutions: list[Line], changes: list[Line],
) -> None:
    lines = constitutions + changes
    for line in lines:
        assert line["source"].endswith("(demo)") and line["recorded_by"] == "demo"
        assert line["command_id"].startswith("demo-")
        assert isinstance(line["term"], str)
        date.fromisoformat(line["effective"])
    assert len({line["command_id"] for line in lines}) == len(lines)


def test_changes_are_in_effective_date_order_and_after_their_terms_constitution(
    constitutions: list[Line], changes: list[Line],
) -> None:
    started = {c["term"]: c["effective"] for c in constitutions}
    days = [line["effective"] for line in changes]
    assert 25 <= len(changes) <= 40
    assert days == sorted(days)
    assert days[0] >= "2022-03-01" and days[-1] <= "2025-10-31"
    for line in changes:
        assert line["term"] in TERMS_2022
        assert line["effective"] > started[line["term"]]


def test_every_leave_lasts_at_least_three_calendar_months_and_is_ended(
    changes: list[Line],
) -> None:
    leaves = [line for line in changes if line["command"] == "start_leave"]
    assert len(leaves) >= 3
    for leave in leaves:
        start = date.fromisoformat(leave["effective"])
        assert leave["reason"] in LEAVE_REASONS
        assert date.fromisoformat(leave["expected_until"]) >= add_months(start, 3)
        ends = [line for line in changes if line["command"] == "end_leave"
                and line["person_id"] == leave["person_id"] and line["term"] == leave["term"]]
        assert len(ends) == 1 and ends[0]["effective"] > leave["effective"]


def test_b17_leaves_record_when_the_kkr_decided(changes: list[Line]) -> None:
    b17 = [line for line in changes
           if line["command"] == "start_leave" and line["reason"] in B17_REASONS]
    assert b17
    for leave in b17:
        assert leave["effective"] <= leave["decided_on"] < leave["expected_until"]


def test_every_change_names_a_known_reason_or_basis(changes: list[Line]) -> None:
    for line in changes:
        if line["command"] == "end_membership":
            assert line["reason"] in END_REASONS
        if line["command"] == "appoint_member":
            assert line["basis"] in {"successor_declined", "sole_representative", "vacancy"}
        if line["command"] == "appoint_substitute":
            assert line.get("basis", "party_elected") == "party_elected"
        if line["command"] == "elect_chair":
            assert line["role"] in {"chair", "vice_chair"}


def test_every_change_refers_to_someone_holding_the_place_on_that_date(
    replays: dict[str, Replay],
) -> None:
    for replay in replays.values():
        assert replay.on_leave == set(), "every leave ends"


def test_the_vacancies_of_party_seats_are_filled_again(replays: dict[str, Replay]) -> None:
    for term, replay in replays.items():
        for seat_id, seat in replay.seats.items():
            assert seat.member is not None, (term, seat_id)
        assert replay.roles["chair"] and replay.roles["vice_chair"], term


def test_the_changes_use_every_kind_of_mid_term_command(
    changes: list[Line], replays: dict[str, Replay],
) -> None:
    kinds = sum((replay.kinds for replay in replays.values()), Counter())
    for kind in ("start_leave", "end_leave", "end_membership", "appoint_substitute",
                 "appoint_member", "change_mayor", "elect_chair", "change_party_of_mayor",
                 "change_party_leaving"):
        assert kinds[kind] >= 1, kind
    declined = [line for line in changes if line.get("successor_declines")]
    appointed = [line for line in changes if line.get("basis") == "successor_declined"]
    assert len(declined) == len(appointed) == 1
    assert declined[0]["effective"] < appointed[0]["effective"]
    assert declined[0]["term"] == appointed[0]["term"]


def test_the_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_demo_data.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in (CONSTITUTIONS.name, CHANGES.name, MANDATES.name):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


# -- the mandates (03) -------------------------------------------------------------------------

MANDATE_COMMANDS = {"register_body", "define_posts", "allocate_posts", "designate",
                    "end_designation", "dissolve_body", "end_council_membership"}
HEALTH = ("sku-", "ssu-")
KSL28_BROKEN = ("rar-hovedstaden", "F")  # the one refill by another group, on purpose


def bodies_catalogue() -> dict[str, dict[str, str]]:
    with BODIES_CSV.open(encoding="utf-8") as handle:
        return {row["body"]: row for row in csv.DictReader(handle)}


def period_end(day: date) -> date:
    """1 January of the next municipal period (periods begin 2022, 2026, ...)."""
    return date(2022 + 4 * ((day.year - 2022) // 4 + 1), 1, 1)


def dhondt(counts: dict[str, int], seats: int, lots: list[Line]) -> tuple[Counter[str], bool]:
    """Seats per name by highest averages; a tie across the last seat takes a lot. Also
    whether a lot was needed."""
    ranked = sorted(((Fraction(n, d), name) for name, n in counts.items() if n > 0
                     for d in range(1, seats + 1)), reverse=True)
    boundary = ranked[seats - 1][0]
    won = Counter(name for quotient, name in ranked if quotient > boundary)
    tied = sorted(name for quotient, name in ranked if quotient == boundary)
    places = seats - sum(won.values())
    if places >= len(tied):
        won.update(tied)
        return won, False
    winners = [lot["winner"] for lot in lots if sorted(lot["between"]) == tied]
    assert len(winners) == places == 1, f"a lot is needed between {tied}"
    won[winners[0]] += 1
    return won, True


def allocate(line: Line, seats: int) -> tuple[Counter[str], bool]:
    """FO3.8b with alliances (a list `V+C`, shared out again by d'Hondt) and lots."""
    lists: dict[str, list[str]] = {}
    for group in line["groups"]:
        lists.setdefault(group.get("alliance") or group["group"], []).append(group["group"])
    members = {g["group"]: g["members"] for g in line["groups"]}
    named = {"+".join(groups): groups for groups in lists.values()}
    lots = line.get("lots", [])
    won, needed = dhondt({name: sum(members[g] for g in groups)
                          for name, groups in named.items()}, seats, lots)
    result: Counter[str] = Counter()
    for name, groups in named.items():
        if len(groups) == 1 or won[name] == 0:
            result[groups[0]] += won[name] if len(groups) == 1 else 0
            continue
        inner, inner_lot = dhondt({g: members[g] for g in groups}, won[name], lots)
        result.update(inner)
        needed = needed or inner_lot
    return +result, needed


@dataclass
class BodySeats:
    """One body in the replay of the mandates."""

    region: str
    seats: int = 0
    substitutes: bool = False
    ends: date | None = None  # the posts' end: `until`, else the municipal period's end
    holders: dict[str, str] = field(default_factory=dict)  # person -> group
    deputies: set[str] = field(default_factory=set)
    allocation: Counter[str] | None = None
    round: Counter[str] = field(default_factory=Counter)  # the groups designated under it
    vacated: list[str] = field(default_factory=list)  # the groups of the seats left
    dissolved: date | None = None


@dataclass
class MandateReplay:
    """Every body's seats line by line: the checks FO3.8, FO3.8b, FO3.8c and END need."""

    towns: dict[str, list[str]]
    counts: dict[str, Counter[str]]  # region -> members per party of the 2022 constitution
    bodies: dict[str, BodySeats] = field(default_factory=dict)
    lots: list[tuple[str, bool]] = field(default_factory=list)  # (body, lot needed)
    filled: list[str] = field(default_factory=list)  # a body each time an allocation is met
    refills: list[tuple[str, str, str, date]] = field(default_factory=list)
    left: dict[str, tuple[date, str, str]] = field(default_factory=dict)  # person -> day, body
    before_dissolution: dict[str, int] = field(default_factory=dict)

    def apply(self, line: Line) -> None:
        day = date.fromisoformat(line["effective"])
        for body in self.bodies.values():
            if body.ends is not None and day >= body.ends:
                body.holders, body.deputies, body.seats, body.ends = {}, set(), 0, None
                body.allocation, body.vacated = None, []
        getattr(self, "do_" + line["command"])(line, day)

    def do_register_body(self, line: Line, day: date) -> None:
        assert line["body"] not in self.bodies
        assert line.get("successor_of") is None or line["successor_of"] in self.bodies
        self.bodies[line["body"]] = BodySeats(line["region"])

    def do_define_posts(self, line: Line, day: date) -> None:
        body = self.bodies[line["body"]]
        assert not body.holders and body.dissolved is None
        body.seats, body.substitutes = line["kkr_seats"], line["substitutes"]
        body.ends = date.fromisoformat(line["until"]) if "until" in line else period_end(day)

    def do_allocate_posts(self, line: Line, day: date) -> None:
        body = self.bodies[line["body"]]
        groups = Counter({g["group"]: g["members"] for g in line["groups"]})
        assert groups == self.counts[body.region], "the constitution's members per party"
        body.allocation, needed = allocate(line, body.seats)
        assert sum(body.allocation.values()) == body.seats
        body.round = Counter()
        if "lots" in line:
            self.lots.append((line["body"], needed))

    def do_designate(self, line: Line, day: date) -> None:
        body = self.bodies[line["body"]]
        people = [line["person"], *([line["substitute"]] if "substitute" in line else [])]
        for person in people:
            assert person["municipality"] in self.towns[body.region], "FO3.8c"
            assert person["person_id"] not in body.holders | dict.fromkeys(body.deputies)
        assert ("substitute" in line) == body.substitutes
        assert len(body.holders) < body.seats, "FO3.8b: no free seat"
        assert date.fromisoformat(line["decided_on"]) <= day
        group = line.get("group") or line["person"]["party"]
        if body.allocation is not None and body.round != body.allocation:
            body.round[group] += 1
            assert body.round[group] <= body.allocation[group], "beyond the allocation"
            if body.round == body.allocation:
                self.filled.append(line["body"])
        elif body.vacated:
            self.refills.append((line["body"], body.vacated.pop(0), group, day))
        body.holders[line["person"]["person_id"]] = group
        body.deputies |= {p["person_id"] for p in people[1:]}

    def do_end_designation(self, line: Line, day: date) -> None:
        body = self.bodies[line["body"]]
        body.vacated.append(body.holders.pop(line["person_id"]))

    def do_end_council_membership(self, line: Line, day: date) -> None:
        held = [slug for slug, body in self.bodies.items() if line["person_id"] in body.holders]
        assert held, "a designee leaves the council"
        for slug in held:
            self.left[line["person_id"]] = (day, slug, line["reason"])
            self.do_end_designation({"body": slug, "person_id": line["person_id"]}, day)

    def do_dissolve_body(self, line: Line, day: date) -> None:
        body = self.bodies[line["body"]]
        self.before_dissolution[line["body"]] = len(body.holders)
        body.holders, body.deputies, body.dissolved, body.ends = {}, set(), day, None


@pytest.fixture(scope="module")
def mandate_replay(constitutions: list[Line], mandates: list[Line],
                   regions: dict[str, list[str]]) -> MandateReplay:
    counts = {c["term"].split("/")[0]: Counter(p["person"]["party"] for p in c["members"])
              for c in constitutions if c["term"] in TERMS_2022}
    replay = MandateReplay(regions, counts)
    for number, line in enumerate(mandates, start=1):
        try:
            replay.apply(line)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"line {number} ({line['command_id']}): {error!r}") from error
    return replay


def designations(mandates: list[Line]) -> list[Line]:
    return [line for line in mandates if line["command"] == "designate"]


def test_mandate_lines_are_batch_lines_in_effective_date_order_with_unique_ids(
    constitutions: list[Line], changes: list[Line], mandates: list[Line],
) -> None:
    for line in mandates:
        assert line["command"] in MANDATE_COMMANDS and "term" not in line
        assert line["source"].endswith("(demo)") and line["recorded_by"] == "demo"
        assert line["command_id"].startswith("demo-")
    days = [line["effective"] for line in mandates]
    assert days == sorted(days) and days[0] == "2022-02-01" and days[-1] == "2027-01-01"
    ids = [line["command_id"] for line in constitutions + changes + mandates]
    assert len(set(ids)) == len(ids)


def test_every_catalogue_body_is_registered_with_the_catalogues_posts(
    mandates: list[Line],
) -> None:
    catalogue = bodies_catalogue()
    registered = {line["body"]: line for line in mandates if line["command"] == "register_body"}
    assert sorted(registered) == sorted(catalogue)
    for line in mandates:
        row = catalogue[line.get("body", "")] if "body" in line else None
        if line["command"] == "register_body":
            assert row is not None and (line["region"], line["name"]) == (row["region"],
                                                                        row["name"])
            assert (line["kind"], line["legal_basis"]) == (row["kind"], row["legal_basis"])
        if line["command"] == "define_posts":
            assert row is not None and line["kkr_seats"] == int(row["kkr_seats"])
            assert line["nominated"] == (row["nominated"] == "true")
            assert line["substitutes"] == (row["substitutes"] == "true")
            assert line["eligibility"] == row["eligibility"]
            health = line["body"].startswith(HEALTH)
            assert line.get("until", "") == ("" if health else row["until"])


def test_every_designee_sits_on_a_council_of_the_bodys_region_and_seats_never_overflow(
    mandate_replay: MandateReplay,
) -> None:
    # the replay asserts FO3.8c, the free seat and the substitutes line by line
    assert len(mandate_replay.bodies) == len(bodies_catalogue())


def test_every_2022_seat_is_filled_in_spring_by_the_allocations_groups(
    mandates: list[Line], mandate_replay: MandateReplay,
) -> None:
    first: dict[str, Line] = {}
    for line in designations(mandates):
        first.setdefault(line["body"], line)
    assert sorted(first) == sorted(bodies_catalogue())
    for slug, line in first.items():
        latest = "2022-07-01" if slug.startswith("ssu-") else "2022-05-01"
        assert "2022-03-01" <= line["decided_on"] <= line["effective"] <= latest, slug
        allocated = [a for a in mandates if a["command"] == "allocate_posts"
                     and a["body"] == slug]
        assert bool(allocated) == (int(bodies_catalogue()[slug]["kkr_seats"]) > 1), slug


def test_allocations_match_the_designations_per_group(mandates: list[Line],
                                                      mandate_replay: MandateReplay) -> None:
    # the replay counts each allocation's designations, refusing any beyond a group's seats
    allocations = [line["body"] for line in mandates if line["command"] == "allocate_posts"]
    assert len(allocations) >= 20
    assert sorted(mandate_replay.filled) == sorted(allocations), "each is filled exactly"


def test_one_allocation_in_sjaelland_needs_a_lot_and_has_it(mandates: list[Line],
                                                            mandate_replay: MandateReplay) -> None:
    [(slug, needed)] = mandate_replay.lots
    assert needed and mandate_replay.bodies[slug].region == "sjaelland"
    [line] = [a for a in mandates if a["command"] == "allocate_posts" and "lots" in a]
    assert any("alliance" in group for group in line["groups"])


def test_the_health_committees_succeed_in_2022_and_are_dissolved_by_the_2027_reform(
    mandates: list[Line], mandate_replay: MandateReplay,
) -> None:
    dissolved = {line["body"]: line for line in mandates if line["command"] == "dissolve_body"}
    registered = {line["body"]: line for line in mandates if line["command"] == "register_body"}
    for region in REGION_NAMES:
        sku, ssu = f"sku-{region}", f"ssu-{region}"
        assert (dissolved[sku]["effective"], dissolved[sku]["successor"]) == ("2022-07-01", ssu)
        assert (registered[ssu]["effective"], registered[ssu]["successor_of"]) == \
            ("2022-07-01", sku)
        assert dissolved[ssu]["effective"] == "2027-01-01"
        seats = mandate_replay.bodies[ssu].seats
        in_2026 = [d for d in designations(mandates) if d["body"] == ssu
                   and d["effective"].startswith("2026")]
        assert len(in_2026) == seats == mandate_replay.before_dissolution[ssu] >= 4
    assert set(dissolved) == {f"{kind}{region}" for kind in HEALTH for region in REGION_NAMES}


def test_a_designee_who_leaves_the_council_is_replaced_by_the_same_group_within_two_months(
    constitutions: list[Line], changes: list[Line], mandate_replay: MandateReplay,
) -> None:
    kkr = {p["person_id"] for c in constitutions for p in people_of(c)}
    kkr |= {line[key]["person_id"] for line in changes for key in ("person", "substitute")
            if key in line}
    kept = {slug: day for slug, old, new, day in mandate_replay.refills if old == new}
    for person_id, (left, _, _) in mandate_replay.left.items():
        assert person_id not in kkr and 2023 <= left.year <= 2024
    assert any(reason == "left_council" and slug in kept and (kept[slug] - left).days <= 62
               for left, slug, reason in mandate_replay.left.values())


def test_the_only_refill_by_another_group_is_the_deliberate_ksl28_case(
    mandate_replay: MandateReplay,
) -> None:
    other = [(slug, new) for slug, old, new, _ in mandate_replay.refills if old != new]
    assert other == [KSL28_BROKEN]


def test_a_replacement_ends_a_designation_and_designates_another_the_same_day(
    mandates: list[Line],
) -> None:
    ended = [line for line in mandates if line["command"] == "end_designation"]
    assert ended and all(line["reason"] == "replaced" for line in ended)
    for line in ended:
        assert any(d["body"] == line["body"] and d["effective"] == line["effective"]
                   for d in designations(mandates))


def test_designees_are_kkr_members_where_natural_and_invented_councillors_otherwise(
    constitutions: list[Line], mandates: list[Line],
) -> None:
    kkr = {p["person_id"]: p for c in constitutions if c["term"] in TERMS_2022
           for p in people_of(c)}
    per_region: Counter[str] = Counter()
    catalogue = bodies_catalogue()
    for line in designations(mandates):
        per_region[catalogue[line["body"]]["region"]] += 1
        person = line["person"]
        if person["person_id"] in kkr:
            assert person == kkr[person["person_id"]], "the constitution's own person"
        if line["body"].startswith("deb-"):
            assert person["person_id"] in kkr, "the KKR sends one of its members"
    assert all(20 <= n <= 40 for n in per_region.values()) and len(per_region) == 5
    from_kkr = [d for d in designations(mandates) if d["person"]["person_id"] in kkr]
    assert 0.25 <= len(from_kkr) / len(designations(mandates)) <= 0.75
