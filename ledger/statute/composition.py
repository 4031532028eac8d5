"""The seat calculator: a KKR's party composition from the election result (B1.0, B1.1).

The mayors are fixed seats. Parties and lists with at least 2 % of the regional votes elect
supplementary members so that the whole mirrors the vote distribution: each party's quota is
its votes over the divisor (votes per seat) of the eligible party most over-represented by its
mayors, rounded to the nearest whole seat (Sainte-Laguë; d'Hondt rounds down on request).
Above the cap of 2 × municipalities the composition is reduced by a greedy that provably
minimises the worst under-representation. docs/adr/0002-seat-calculator.md has the reading,
the choices on what the statute leaves open, and the proof.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal

from ledger.errors import BadInput, RuleViolation

THRESHOLD = Fraction(2, 100)  # KL's law § 15(2), B1.1, B1.11: at least 2 % of the votes
Rounding = Literal["nearest", "down"]  # Sainte-Laguë (default) or d'Hondt for the quotas


@dataclass(frozen=True)
class PartySeats:
    """One party's (or list's) place in the composition."""

    party: str
    votes: int
    mayors: int
    eligible: bool  # at least 2 % of the votes: may elect supplementary members
    unreduced: int  # seats before the reduction to the cap
    total: int  # seats after it

    @property
    def supplementary(self) -> int:
        return self.total - self.mayors

    @property
    def floor(self) -> int:
        """B1.1: never fewer than its mayors; at least one seat for a party with ≥ 2 %."""
        return max(self.mayors, 1) if self.eligible else self.mayors


@dataclass(frozen=True)
class Composition:
    """The computed KKR: cap, sizes, the parties (most votes first), ties and the steps."""

    municipalities: int
    total_votes: int
    votes_per_seat: Fraction | None  # the d'Hondt divisor of the unreduced composition
    unreduced_size: int
    size: int
    parties: tuple[PartySeats, ...]
    ties: tuple[str, ...]
    explain: tuple[str, ...]

    @property
    def cap(self) -> int:
        return 2 * self.municipalities

    @property
    def reduced(self) -> bool:
        return self.unreduced_size > self.cap

    def under_representation(self, party: PartySeats) -> Fraction | None:
        return under_representation(party.votes, self.total_votes, party.total, self.size)

    @property
    def worst_under_representation(self) -> Fraction | None:
        ratios = [self.under_representation(p) for p in self.parties]
        return max((r for r in ratios if r is not None), default=None)


@dataclass(frozen=True)
class SeatDifference:
    """A party whose party-elected seats differ from the computed supplementary members."""

    party: str
    expected: int
    actual: int


def under_representation(votes: int, total_votes: int, seats: int, size: int) -> Fraction | None:
    """Share of the votes divided by share of the seats; None without seats (undefined)."""
    if seats == 0 or total_votes == 0:
        return None
    return Fraction(votes * size, total_votes * seats)


def decimal(value: Fraction | int, places: int = 2) -> str:
    """A fraction for people: fixed decimals (exact values stay in the results)."""
    return f"{float(value):.{places}f}"


def compose(
    votes: Mapping[str, int],
    mayors: Mapping[str, int],
    municipalities: int,
    rounding: Rounding = "nearest",
) -> Composition:
    """The composition of a KKR for `municipalities` municipalities (one mayor each).

    A party may appear in only one of the mappings: missing votes count 0 (an independent
    mayor), missing mayors count 0. Raises BadInput for malformed numbers and
    RuleViolation("B1.1") when the floors alone exceed the cap.
    """
    steps: list[str] = []
    ballot = _ballot(votes, mayors, municipalities, steps)
    divisor, unreduced = _unreduced(ballot, rounding, steps)
    parties = [replace(p, unreduced=unreduced[p.party], total=unreduced[p.party]) for p in ballot]
    ties: list[str] = []
    parties = _apply_cap(parties, 2 * municipalities, steps, ties)
    result = Composition(municipalities, sum(p.votes for p in parties), divisor,
                         sum(unreduced.values()), sum(p.total for p in parties),
                         tuple(parties), tuple(ties), ())
    return _with_summary(result, steps)


def seat_differences(
    party_seats: Mapping[str, int],
    mayors: Mapping[str, int],
    votes: Mapping[str, int],
    municipalities: int | None = None,
) -> tuple[SeatDifference, ...]:
    """For the audit: a constitution's party-elected seats per party against the computed
    supplementary members. `municipalities` defaults to the number of mayors."""
    count = sum(mayors.values()) if municipalities is None else municipalities
    expected = {p.party: p.supplementary for p in compose(votes, mayors, count).parties}
    names = sorted(set(expected) | {p for p, n in party_seats.items() if n})
    return tuple(
        SeatDifference(name, expected.get(name, 0), party_seats.get(name, 0))
        for name in names
        if expected.get(name, 0) != party_seats.get(name, 0)
    )


def _ballot(votes: Mapping[str, int], mayors: Mapping[str, int], municipalities: int,
            steps: list[str]) -> list[PartySeats]:
    """Validated parties, most votes first (then name), with eligibility decided."""
    _check_counts("votes", votes)
    _check_counts("mayors", mayors)
    total = sum(votes.values())
    if total == 0:
        raise BadInput("votes: no votes at all; at least one party needs votes")
    if municipalities < 1 or sum(mayors.values()) != municipalities:
        raise BadInput(f"mayors: {sum(mayors.values())} mayors for {municipalities} "
                       "municipalities; every municipality has exactly one mayor")
    names = sorted(set(votes) | set(mayors), key=lambda n: (-votes.get(n, 0), n))
    parties = [PartySeats(n, votes.get(n, 0), mayors.get(n, 0),
                          votes.get(n, 0) >= THRESHOLD * total, 0, 0) for n in names]
    _describe_ballot(parties, total, municipalities, steps)
    return parties


def _check_counts(field: str, counts: Mapping[str, int]) -> None:
    for party, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise BadInput(f"{field}: {party!r} has {count!r}; a count is a whole number ≥ 0")


def _describe_ballot(parties: list[PartySeats], total: int, municipalities: int,
                     steps: list[str]) -> None:
    eligible = [p.party for p in parties if p.eligible]
    below = [f"{p.party} ({p.mayors} mayors)" for p in parties if not p.eligible]
    steps.append(f"Votes: {total} for {len(parties)} parties/lists; 2 % is "
                 f"{decimal(THRESHOLD * total)} votes. Eligible for supplementary members: "
                 f"{', '.join(eligible) or 'none'}. Below 2 % (their mayors only): "
                 f"{', '.join(below) or 'none'}.")
    with_mayors = ", ".join(f"{p.party} {p.mayors}" for p in parties if p.mayors)
    steps.append(f"Mayors: {municipalities} ({with_mayors}); the cap is 2 × {municipalities} = "
                 f"{2 * municipalities} (B1.1).")


def _unreduced(
    parties: list[PartySeats], rounding: Rounding, steps: list[str]
) -> tuple[Fraction | None, dict[str, int]]:
    """B1.0: quotas at the divisor of the party most over-represented by its mayors."""
    divisor = _divisor(parties, steps)
    if divisor is not None:
        steps.append("Quotas (votes / divisor) round " + (
            "down (d'Hondt)." if rounding == "down" else "to the nearest seat, half up "
            "(Sainte-Laguë)."))
    seats: dict[str, int] = {}
    for p in parties:
        if divisor is None or not p.eligible:
            seats[p.party] = p.mayors
            continue
        quota = p.votes / divisor
        rounded = int(quota // 1) if rounding == "down" else int((quota + Fraction(1, 2)) // 1)
        seats[p.party] = max(p.floor, rounded)
        steps.append(f"{p.party}: {p.votes} / {decimal(divisor)} = {decimal(quota)} → {rounded}"
                     f"; at least {p.floor} (mayors {p.mayors}, ≥ 2 %): {seats[p.party]}.")
    steps.append(f"Unreduced composition: {sum(seats.values())} seats, "
                 f"{sum(seats.values()) - sum(p.mayors for p in parties)} supplementary.")
    return divisor, seats


def _divisor(parties: list[PartySeats], steps: list[str]) -> Fraction | None:
    anchors = [p for p in parties if p.eligible and p.mayors]
    if anchors:
        anchor = min(anchors, key=lambda p: (Fraction(p.votes, p.mayors), p.party))
        divisor = Fraction(anchor.votes, anchor.mayors)
        steps.append(f"Scale: {anchor.party} is the eligible party most over-represented by its "
                     f"mayors: {anchor.votes} votes / {anchor.mayors} mayors = "
                     f"{decimal(divisor)} votes per seat (the divisor).")
        return divisor
    eligible = [p for p in parties if p.eligible]
    if not eligible:
        steps.append("Scale: no party has 2 % of the votes; the KKR is the mayors alone.")
        return None
    smallest = min(eligible, key=lambda p: (p.votes, p.party))
    steps.append(f"Scale: no eligible party has a mayor; the smallest eligible party, "
                 f"{smallest.party}, sets the divisor at {smallest.votes} votes per seat.")
    return Fraction(smallest.votes)


def _apply_cap(parties: list[PartySeats], cap: int, steps: list[str],
               ties: list[str]) -> list[PartySeats]:
    size = sum(p.total for p in parties)
    if size <= cap:
        steps.append(f"{size} seats are within the cap of {cap}: no reduction.")
        return parties
    steps.append(f"{size} seats exceed the cap of {cap}: reduce (B1.1).")
    totals = _reduce(parties, cap, steps, ties)
    reduced = [replace(p, total=totals[p.party]) for p in parties]
    steps.extend(f"Note: {p.party} ends with {p.total} seats, more than its unreduced "
                 f"{p.unreduced}; the smallest worst under-representation (principle 3) needs it."
                 for p in reduced if p.total > p.unreduced)
    return reduced


def _reduce(
    parties: list[PartySeats], cap: int, steps: list[str], ties: list[str]
) -> dict[str, int]:
    """B1.1: floors first, then each seat to the highest votes per seat (minimax, ADR 0002)."""
    seats = {p.party: p.floor for p in parties}
    need = sum(seats.values())
    if need > cap:
        raise RuleViolation("B1.1", f"the floors alone (mayors, and one seat per party with ≥ 2 %)"
                            f" need {need} seats, more than the cap of {cap}")
    floors = ", ".join(f"{p.party} {p.floor}" for p in parties if p.floor)
    steps.append(f"Floors: {floors} = {need} seats; {cap - need} seats left, each to the party "
                 "with the most votes per seat (the most under-represented).")
    candidates = [p for p in parties if p.eligible]
    total = sum(p.votes for p in parties)
    for number in range(need + 1, cap + 1):
        pick = _next_seat(candidates, seats, cap - number + 1, ties)
        ratio = under_representation(pick.votes, total, seats[pick.party], cap)
        steps.append(f"Seat {number} to {pick.party}: {pick.votes} votes / {seats[pick.party]} "
                     f"seats is the highest (under-representation {decimal(ratio or 0, 3)}).")
        seats[pick.party] += 1
    return seats


def _next_seat(candidates: list[PartySeats], seats: dict[str, int], remaining: int,
               ties: list[str]) -> PartySeats:
    """Most votes per seat; on equal ratios fewer seats (leximin), then name order."""
    def key(p: PartySeats) -> tuple[Fraction, int, str]:
        return (-Fraction(p.votes, seats[p.party]), seats[p.party], p.party)

    ranked = sorted(candidates, key=key)
    tied = [p.party for p in ranked if key(p)[0] == key(ranked[0])[0]]
    if not ties and len(tied) > remaining:
        ties.append(f"{', '.join(tied)} tie at {decimal(-key(ranked[0])[0])} votes per seat for "
                    f"the last {remaining} seat(s); given to fewer seats first, then name order")
    return ranked[0]


def _with_summary(result: Composition, steps: list[str]) -> Composition:
    worst = result.worst_under_representation
    losers = [p.party for p in result.parties if result.under_representation(p) == worst]
    steps.append(f"Result: {result.size} seats ({result.size - result.municipalities} "
                 f"supplementary); worst under-representation {decimal(worst or 0, 3)} "
                 f"({', '.join(losers)}).")
    steps.extend(f"Tie: {tie}." for tie in result.ties)
    return replace(result, explain=tuple(steps))
