"""The demo's mandates, `03-mandates.jsonl`: the bodies each KKR designates to, their posts
and allocations, and who sits on them (design/mandates.md, "Demo data").

`make_demo_data.py` calls `mandate_lines` after the constitutions and changes, with the same
random generator and the same persons, so names stay unique across the whole demo. The
bodies and their posts are the catalogue's (`scripts/data/bodies.csv`); the seats per group
are what the ledger's d'Hondt (`ledger.statute.allocation`) gives for the 2022 constitutions'
member counts. The 2022 designees are members and substitutes of the 2022 terms where that
is natural (a mayor chairs the Erhvervshus board, the KKR chair sits on Danmarks
Erhvervsfremmebestyrelse) and invented council members of the region otherwise. Played on
top: the health committees' succession (2022) and dissolution (2027), a designee leaving the
council and the group refilling the seat (KSL28), a refill by another group (KSL28 flagged),
a replacement, and one allocation that needs a lot (Sjælland).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ledger.statute.allocation import Lot, allocate

BODIES_CSV = Path(__file__).resolve().parent / "data" / "bodies.csv"
REGION_NAMES = {"nordjylland": "Nordjylland", "midtjylland": "Midtjylland",
                "syddanmark": "Syddanmark", "hovedstaden": "Hovedstaden",
                "sjaelland": "Sjælland"}

START = date(2022, 2, 1)  # the bodies and their posts, as the 2022 KKR find them
NOMINATED_FROM = date(2022, 4, 1)  # the minister appoints the RAR members KKR nominated
HEALTH_2022 = date(2022, 7, 1)  # sundhedskoordinationsudvalg -> sundhedssamarbejdsudvalg
POSTS_2026 = date(2026, 1, 15)  # the health committees' posts of the new municipal period
HEALTH_REFORM = date(2027, 1, 1)  # the health reform dissolves the sundhedssamarbejdsudvalg
BOARD_PERIOD = {"professionshoejskolen-absalon": date(2022, 5, 1)}  # boards of their own period


@dataclass(frozen=True)
class Meetings:
    spring: date  # the designations after the constitution
    june: date  # to the successor health committee, from 1 July 2022
    spring_2026: date  # the new KKR's designations to the health committee


MEETINGS = {
    "nordjylland": Meetings(date(2022, 3, 10), date(2022, 6, 14), date(2026, 2, 24)),
    "midtjylland": Meetings(date(2022, 3, 2), date(2022, 6, 8), date(2026, 2, 18)),
    "syddanmark": Meetings(date(2022, 3, 17), date(2022, 6, 16), date(2026, 3, 5)),
    "hovedstaden": Meetings(date(2022, 3, 9), date(2022, 6, 15), date(2026, 2, 25)),
    "sjaelland": Meetings(date(2022, 3, 3), date(2022, 6, 9), date(2026, 2, 19)),
}

# Bodies for part of a region: body -> (municipalities, inside them or outside them).
FYN = frozenset({"Middelfart", "Assens", "Faaborg-Midtfyn", "Kerteminde", "Nyborg", "Odense",
                 "Svendborg", "Nordfyn", "Langeland", "Ærø"})
VESTJYLLAND = frozenset({"Herning", "Holstebro", "Ikast-Brande", "Lemvig", "Ringkøbing-Skjern",
                         "Skive", "Struer", "Viborg"})
AREAS = {"erhvervshus-fyn": (FYN, True), "rar-fyn": (FYN, True), "ucl": (FYN, True),
         "erhvervshus-sydjylland": (FYN, False), "rar-sydjylland": (FYN, False),
         "uc-syd": (FYN, False), "rar-vestjylland": (VESTJYLLAND, True),
         "rar-oestjylland": (VESTJYLLAND, False), "rar-bornholm": (frozenset({"Bornholm"}), True),
         "rar-hovedstaden": (frozenset({"Bornholm"}), False)}

# Who a KKR designates, by kind of body: the odds of a KKR member (else an invented
# councillor) and the places they are taken from.
POLICY: dict[str, tuple[float, tuple[str, ...]]] = {
    "erhvervshus": (0.5, ("mayor",)), "eu": (0.8, ("mayor",)),
    "sku": (0.6, ("mayor", "party")), "rar": (0.3, ("party", "substitute")),
    "college": (0.5, ("party", "mayor")),
}

# The one allocation that needs a lot: V, C, O and D of KKR Sjælland ally (15 members against
# A's 10), so the fourth seat's quotients tie (A 10/2 = V+C+O+D 15/3) and the lot decides.
LOT_BODY, ALLIANCE, LOT_WINNER = "erhvervshus-sjaelland", ("V", "C", "O", "D"), "V+C+O+D"


@dataclass(frozen=True)
class Refill:
    """A designee (invented, no KKR place) leaves the council; a group refills the seat."""

    body: str
    group: str
    left: date
    reason: str
    refilled: date
    refill_group: str


REFILLS = (Refill("erhvervshus-midtjylland", "V", date(2023, 10, 1), "left_council",
                  date(2023, 11, 22), "V"),  # KSL28 kept
           Refill("rar-hovedstaden", "Ø", date(2024, 9, 1), "deceased", date(2024, 10, 24),
                  "F"))  # KSL28 broken on purpose: the audit's warning
REPLACED = ("professionshoejskolen-ucn", date(2024, 4, 18))  # relieved and replaced same day


# -- small helpers -----------------------------------------------------------------------


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def line(command: str, effective: date, source: str, /, **fields: Any) -> dict[str, Any]:
    """A batch line with the common envelope first; `command_id` is set when numbering."""
    return {"command": command, "effective": effective.isoformat(), "source": source,
            "command_id": "", "recorded_by": "demo", **fields}


def minutes(region: str, day: date) -> str:
    return f"KKR {REGION_NAMES[region]}, referat af møde {dmy(day)} (demo)"


def overview(region: str, day: date) -> str:
    """The KKR secretariat's list of the bodies it designates to, as of that year."""
    return f"KKR {REGION_NAMES[region]}, oversigt over regionale fora {day.year} (demo)"


def mail(person: dict[str, str], day: date) -> str:
    return f"Mail fra {person['municipality']} Kommune {day.isoformat()} (demo)"


def category(body: str) -> str:
    for prefix in ("deb", "erhvervshus", "rar", "sku", "ssu"):
        if body.startswith(prefix + "-"):
            return prefix
    return "eu" if "eu-office" in body or "european-office" in body else "college"


def load_bodies() -> list[dict[str, str]]:
    with BODIES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def touched_persons(changes: Iterable[dict[str, Any]]) -> set[str]:
    """Everyone the mid-term changes name: their party or council seat may change."""
    found = set()
    for change in changes:
        found |= {change[key] for key in ("person_id", "for_member") if key in change}
        found |= {change[key]["person_id"] for key in ("person", "substitute") if key in change}
    return found


# -- the bodies and the KKR that designate to them -----------------------------------------


@dataclass(frozen=True)
class Body:
    """A catalogue row: a body and the posts this KKR fills."""

    slug: str
    region: str
    row: dict[str, str]

    @property
    def seats(self) -> int:
        return int(self.row["kkr_seats"])

    @property
    def nominated(self) -> bool:
        return self.row["nominated"] == "true"

    @property
    def substitutes(self) -> bool:
        return self.row["substitutes"] == "true"


@dataclass
class Held:
    """A seat as the generator left it: the designee, the group, the personal substitute."""

    person: dict[str, str]
    group: str | None
    substitute: dict[str, str] | None = None


@dataclass
class Kkr:
    """A region's 2022 term: its groups' member counts and the places the demo may designate
    from (a person at most twice; none whom the mid-term changes touch)."""

    chair: str
    vice_chair: str
    counts: Counter[str]
    places: list[tuple[str, dict[str, str]]]
    used: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, constitution: dict[str, Any], touched: set[str]) -> Kkr:
        places = [(place["seat"], place["person"]) for place in constitution["members"]]
        places += [("substitute", place["substitute"]) for place in constitution["members"]
                   if "substitute" in place]
        counts = Counter(place["person"]["party"] for place in constitution["members"])
        return cls(constitution["chair"], constitution["vice_chair"], counts,
                   [(kind, p) for kind, p in places if p["person_id"] not in touched])

    def person(self, person_id: str) -> dict[str, str] | None:
        return next((dict(p) for _, p in self.places if p["person_id"] == person_id), None)

    def pick(self, rng: random.Random, party: str, towns: Iterable[str],
             kinds: tuple[str, ...], taken: set[str]) -> dict[str, str] | None:
        """A member or substitute of the party in those towns, the least used first."""
        options = [p for kind, p in self.places if kind in kinds and p["party"] == party
                   and p["municipality"] in towns and p["person_id"] not in taken
                   and self.used[p["person_id"]] < 2]
        if not options:
            return None
        least = min(self.used[p["person_id"]] for p in options)
        person = rng.choice([p for p in options if self.used[p["person_id"]] == least])
        self.used[person["person_id"]] += 1
        return dict(person)


@dataclass
class Demo:
    """What the generator knows while it writes the mandates."""

    rng: random.Random
    new_person: Callable[[str, str], dict[str, str]]  # (municipality, party) -> person
    towns: dict[str, list[str]]  # region slug -> its municipalities
    weight: Callable[[str], int]  # a municipality's odds of being picked
    kkrs: dict[str, Kkr]
    bodies: dict[str, Body]
    seats: dict[str, list[Held]] = field(default_factory=dict)  # body -> its seats
    fresh: set[str] = field(default_factory=set)  # invented for one seat, nowhere else

    def area(self, body: Body) -> list[str]:
        towns, inside = AREAS.get(body.slug, (frozenset(), False))
        return [town for town in self.towns[body.region] if (town in towns) == inside]

    def invent(self, body: Body, party: str) -> dict[str, str]:
        area = self.area(body)
        person = self.new_person(self.rng.choices(area, [self.weight(t) for t in area])[0],
                                 party)
        self.fresh.add(person["person_id"])
        return person

    def choose(self, body: Body, party: str, odds: float, kinds: tuple[str, ...],
               taken: set[str]) -> dict[str, str]:
        """A KKR member or substitute with these odds when one fits, else an invented one."""
        if self.rng.random() < odds:
            found = self.kkrs[body.region].pick(self.rng, party, self.area(body), kinds, taken)
            if found is not None:
                return found
        return self.invent(body, party)


# -- lines -------------------------------------------------------------------------------------


def register(body: Body, day: date, successor_of: str | None = None) -> dict[str, Any]:
    row = body.row
    extra = {"successor_of": successor_of} if successor_of else {}
    return line("register_body", day, overview(body.region, day), body=body.slug,
                name=row["name"], region=body.region, kind=row["kind"],
                legal_basis=row["legal_basis"], **extra)


def define_posts(body: Body, day: date) -> dict[str, Any]:
    """The catalogue's posts; its `until` only for a board period of its own: the health
    committees end by dissolution (body_dissolved), not at the end of a period."""
    until = "" if category(body.slug) in ("sku", "ssu") else body.row["until"]
    extra = {"until": until} if until else {}
    return line("define_posts", day, overview(body.region, day), body=body.slug,
                kkr_seats=body.seats, nominated=body.nominated, substitutes=body.substitutes,
                eligibility=body.row["eligibility"], **extra)


def allocation(kkr: Kkr, body: Body, day: date,
               decided: date) -> tuple[dict[str, Any], list[str]]:
    """FO3.8b: the groups' member counts of the 2022 constitution and the seats the ledger's
    d'Hondt gives them; the seats as one group per seat, the biggest group first."""
    ranked = sorted(kkr.counts.items(), key=lambda item: (-item[1], item[0]))
    groups: list[dict[str, Any]] = [{"group": g, "members": n} for g, n in ranked]
    alliances: list[list[str]] = []
    lots: list[Lot] = []
    if body.slug == LOT_BODY:
        alliances = [[g["group"] for g in groups if g["group"] in ALLIANCE]]
        assert "+".join(alliances[0]) == LOT_WINNER
        for group in groups:
            if group["group"] in ALLIANCE:
                group["alliance"] = LOT_WINNER
        lots = [Lot(frozenset({"A", LOT_WINNER}), LOT_WINNER)]
    seats = allocate(dict(ranked), body.seats, alliances, lots).seats
    extra = {"lots": [{"between": sorted(lot.between), "winner": lot.winner} for lot in lots]}
    allocated = line("allocate_posts", day, minutes(body.region, decided), body=body.slug,
                     groups=groups, **(extra if lots else {}))
    return allocated, [g for g, _ in ranked for _ in range(seats[g])]


def designation(body: Body, day: date, decided: date, held: Held) -> dict[str, Any]:
    extra: dict[str, Any] = {"group": held.group} if held.group else {}
    if held.substitute is not None:
        extra["substitute"] = held.substitute
    return line("designate", day, minutes(body.region, decided), body=body.slug,
                person=held.person, **extra, decided_on=decided.isoformat())


def end_council(person: dict[str, str], day: date, reason: str) -> dict[str, Any]:
    return line("end_council_membership", day, mail(person, day),
                person_id=person["person_id"], reason=reason)


# -- the designations ------------------------------------------------------------------------


def first_round(demo: Demo, body: Body) -> list[dict[str, Any]]:
    """Spring 2022: the body, its posts, the allocation (several seats), the designations."""
    posts_from = BOARD_PERIOD.get(body.slug, START)
    lines = [register(body, START), define_posts(body, posts_from)]
    decided = MEETINGS[body.region].spring
    day = NOMINATED_FROM if body.nominated else max(decided, posts_from)
    groups: list[str | None] = [None]
    if body.seats > 1:
        allocated, allotted = allocation(demo.kkrs[body.region], body, decided, decided)
        lines.append(allocated)
        groups = list(allotted)
    demo.seats[body.slug] = []
    for number, group in enumerate(groups):
        held = seat(demo, body, group, number)
        demo.seats[body.slug].append(held)
        lines.append(designation(body, day, decided, held))
    return lines


def seat(demo: Demo, body: Body, group: str | None, number: int) -> Held:
    """Who fills the seat (and is the personal substitute where the body has them)."""
    kkr, kind = demo.kkrs[body.region], category(body.slug)
    taken = {p["person_id"] for h in demo.seats[body.slug] for p in (h.person, h.substitute)
             if p is not None}
    party = group or kkr.counts.most_common(1)[0][0]
    if kind == "deb":
        person = kkr.person(kkr.chair) or kkr.person(kkr.vice_chair)
        assert person is not None, f"{body.slug}: chair and vice chair are both touched"
        kkr.used[person["person_id"]] += 1
        return Held(person, None)
    if any(r.body == body.slug and r.group == group for r in REFILLS) and \
            all(h.group != group for h in demo.seats[body.slug]):
        person = demo.invent(body, party)  # the one who leaves the council later
    else:
        odds, kinds = POLICY[kind]
        odds = 1.0 if kind == "erhvervshus" and number == 0 else odds  # a mayor chairs it
        person = demo.choose(body, party, odds, kinds, taken)
    substitute = None
    if body.substitutes:
        substitute = demo.choose(body, party, 0.3, ("substitute",), taken | {person["person_id"]})
    return Held(person, group, substitute)


def health_2022(demo: Demo, sku: Body, ssu: Body) -> list[dict[str, Any]]:
    """1 July 2022: the sundhedssamarbejdsudvalg succeeds the sundhedskoordinationsudvalg;
    KKR designated the same persons to it in June."""
    decided = MEETINGS[ssu.region].june
    lines = [register(ssu, HEALTH_2022, successor_of=sku.slug),
             line("dissolve_body", HEALTH_2022, "Sundhedsloven som ændret fra 1. juli 2022 "
                  "(demo)", body=sku.slug, successor=ssu.slug),
             define_posts(ssu, HEALTH_2022)]
    allocated, groups = allocation(demo.kkrs[ssu.region], ssu, HEALTH_2022, decided)
    assert groups == [h.group for h in demo.seats[sku.slug]], "sku and ssu allocate alike"
    demo.seats[ssu.slug] = [Held(h.person, h.group) for h in demo.seats[sku.slug]]
    lines.append(allocated)
    lines += [designation(ssu, HEALTH_2022, decided, h) for h in demo.seats[ssu.slug]]
    return lines


def health_2026(demo: Demo, ssu: Body) -> list[dict[str, Any]]:
    """The new municipal period: posts anew, the new KKR designates new council members
    (no allocation: the demo has no 2026 constitution to count groups from); the health
    reform dissolves the committee on 1 January 2027."""
    decided = MEETINGS[ssu.region].spring_2026
    lines = [define_posts(ssu, POSTS_2026)]
    groups = [h.group for h in demo.seats[ssu.slug]]
    demo.seats[ssu.slug] = [Held(demo.invent(ssu, group or ""), group) for group in groups]
    lines += [designation(ssu, decided, decided, h) for h in demo.seats[ssu.slug]]
    lines.append(line("dissolve_body", HEALTH_REFORM, "Sundhedsreformen: "
                      "sundhedssamarbejdsudvalgene nedlægges 1. januar 2027 (demo)",
                      body=ssu.slug))
    return lines


# -- what happens later ----------------------------------------------------------------------


def refill(demo: Demo, scenario: Refill) -> list[dict[str, Any]]:
    """END and KSL28: the designee leaves the council, which ends the designation the same
    day; weeks later KKR designates someone of the refilling group."""
    body = demo.bodies[scenario.body]
    held = next(h for h in demo.seats[body.slug] if h.group == scenario.group
                and h.person["person_id"] in demo.fresh)
    new = Held(demo.invent(body, scenario.refill_group), scenario.refill_group,
               demo.invent(body, scenario.refill_group) if body.substitutes else None)
    demo.seats[body.slug][demo.seats[body.slug].index(held)] = new
    return [end_council(held.person, scenario.left, scenario.reason),
            designation(body, scenario.refilled, scenario.refilled, new)]


def replacement(demo: Demo) -> list[dict[str, Any]]:
    """KKR relieves its designee and designates another the same day (END: replaced)."""
    slug, day = REPLACED
    body = demo.bodies[slug]
    [held] = demo.seats[slug]
    new = Held(demo.invent(body, held.person["party"]), held.group)
    demo.seats[slug] = [new]
    return [line("end_designation", day, minutes(body.region, day), body=slug,
                 person_id=held.person["person_id"], reason="replaced"),
            designation(body, day, day, new)]


def number(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stable, unique command ids: `demo-<command>-<body or person>-<effective>`, and the
    designee's id for a designation."""
    seen: Counter[str] = Counter()
    for entry in lines:
        base = (f"demo-{entry['command'].replace('_', '-')}-"
                f"{entry.get('body') or entry['person_id']}-{entry['effective']}")
        if entry["command"] == "designate":
            base += f"-{entry['person']['person_id']}"
        seen[base] += 1
        entry["command_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return lines


def mandate_lines(rng: random.Random, new_person: Callable[[str, str], dict[str, str]],
                  towns: dict[str, list[str]], weight: Callable[[str], int],
                  constitutions: list[dict[str, Any]],
                  changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mandates of the 2022 terms, in effective-date order. `towns`: region name ->
    municipalities; `new_person(municipality, party)` invents a person."""
    touched = touched_persons(changes)
    kkrs = {c["term"].split("/")[0]: Kkr.of(c, touched) for c in constitutions
            if c["term"].endswith("/2022")}
    bodies = {row["body"]: Body(row["body"], row["region"], row) for row in load_bodies()}
    demo = Demo(rng, new_person, {slug: towns[name] for slug, name in REGION_NAMES.items()},
                weight, kkrs, bodies)
    lines: list[dict[str, Any]] = []
    for body in bodies.values():
        if category(body.slug) != "ssu":
            lines += first_round(demo, body)
    for region in REGION_NAMES:
        lines += health_2022(demo, bodies[f"sku-{region}"], bodies[f"ssu-{region}"])
    for scenario in REFILLS:
        lines += refill(demo, scenario)
    lines += replacement(demo)
    for region in REGION_NAMES:
        lines += health_2026(demo, bodies[f"ssu-{region}"])
    return number(sorted(lines, key=lambda entry: entry["effective"]))
