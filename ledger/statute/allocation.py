"""FO3.8b: several representatives to one body, by d'Hondt on the groups' member counts.

Alliances pool their groups' members and compete as one list; the seats a list wins are
shared among its groups by d'Hondt again. Equal quotients that decide a seat are decided by
lot (KRVL §81): the lot is an input, recorded with the allocation, never drawn here, so the
same inputs give the same seats on every replay. A tie that needs a lot which is not given
is refused, naming the tied groups.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ledger.errors import BadInput, RuleViolation
from ledger.statute.dhondt import alliance_lists

RULE = "FO3.8b"


@dataclass(frozen=True)
class Lot:
    """A lot drawn between tied groups (or alliances, named `A+B`), and its winner."""

    between: frozenset[str]
    winner: str


@dataclass(frozen=True)
class Allocation:
    """Seats per group, the quotients that decided them, and the lots used."""

    seats: dict[str, int]
    quotients: tuple[tuple[str, int, str], ...]  # (list, divisor, quotient as a fraction)
    lots_used: tuple[Lot, ...]


def allocate(members: Mapping[str, int], seats: int, alliances: Sequence[Sequence[str]] = (),
             lots: Sequence[Lot] = ()) -> Allocation:
    """`members`: group -> its members in the KKR; `seats`: the body's KKR seats."""
    if seats < 2:
        raise RuleViolation("FO3.8a", f"{seats} seat is filled by majority, not allocated")
    lists = _lists(members, alliances)
    pooled = {name: sum(members[g] for g in groups) for name, groups in lists.items()}
    used: list[Lot] = []
    won = _highest_averages(pooled, seats, lots, used)
    result = dict.fromkeys(members, 0)
    for name, groups in lists.items():
        inner = ({groups[0]: won[name]} if len(groups) == 1 else
                 _highest_averages({g: members[g] for g in groups}, won[name], lots, used))
        result.update(inner)
    table = tuple((name, d, str(Fraction(pooled[name], d)))
                  for name in sorted(pooled) for d in range(1, seats + 1))
    return Allocation(result, table, tuple(used))


def _highest_averages(counts: Mapping[str, int], seats: int, lots: Sequence[Lot],
                      used: list[Lot]) -> dict[str, int]:
    """Seats per name; a tie across the last seat is decided by the given lots."""
    won = dict.fromkeys(counts, 0)
    if seats == 0:
        return won
    ranked = sorted(((Fraction(c, d), name) for name, c in counts.items() if c > 0
                     for d in range(1, seats + 1)), key=lambda q: q[0], reverse=True)
    if len(ranked) < seats:
        raise RuleViolation(RULE, f"{seats} seats, but the groups have only {len(ranked)} "
                            "quotients (too few members)")
    boundary = ranked[seats - 1][0]
    for quotient, name in ranked:
        if quotient > boundary:
            won[name] += 1
    tied = sorted(name for quotient, name in ranked if quotient == boundary)
    for winner in _draw(tied, seats - sum(won.values()), lots, used):
        won[winner] += 1
    return won


def _draw(tied: list[str], places: int, lots: Sequence[Lot], used: list[Lot]) -> list[str]:
    """The `places` winners among `tied`: all of them when they fit, else by the lots."""
    if places >= len(tied):
        return tied
    winners: list[str] = []
    remaining = set(tied)
    while len(winners) < places:
        lot = next((lot for lot in lots if lot.between == remaining), None)
        if lot is None:
            raise RuleViolation(RULE, f"a lot is needed between {', '.join(sorted(remaining))} "
                                f"for {places - len(winners)} seat(s); give `lots`: "
                                f'[{{"between": {json.dumps(sorted(remaining))}, '
                                '"winner": …}]')
        if lot.winner not in remaining:
            raise BadInput(f"lots: the winner {lot.winner!r} is not one of "
                           f"{', '.join(sorted(remaining))}")
        winners.append(lot.winner)
        used.append(lot)
        remaining.discard(lot.winner)
    return winners


def _lists(members: Mapping[str, int],
           alliances: Sequence[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    for group, count in members.items():
        if count < 0:
            raise BadInput(f"groups: {group!r} has {count} members; a count is ≥ 0")
    if sum(members.values()) == 0:
        raise BadInput("groups: no members at all; at least one group needs members")
    return alliance_lists(members, alliances, "groups", "group")
