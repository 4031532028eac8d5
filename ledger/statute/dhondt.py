"""d'Hondt elections with alliances (valgforbund): chair and vice chair (B1.4), several
representatives to one body (FO3.8).

An alliance pools its parties' votes and competes as one list; the seats it wins are shared
among its parties by d'Hondt again. Equal quotients go to the list with more votes, then to
the first name in sort order; the law would draw lots, so every tie is reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ledger.errors import BadInput
from ledger.statute.composition import decimal


@dataclass(frozen=True)
class Award:
    """The `seat`-th seat: won by `list` (a party or an alliance "A+B+F"), taken by `party`."""

    seat: int
    list: str
    party: str
    quotient: Fraction


@dataclass(frozen=True)
class ListSeats:
    name: str
    parties: tuple[str, ...]
    votes: int
    seats: int


@dataclass(frozen=True)
class PartyAward:
    party: str
    votes: int
    list: str
    seats: int


@dataclass(frozen=True)
class Election:
    """The outcome: per list, per party, the seats in the order won, ties and the steps."""

    seats: int
    lists: tuple[ListSeats, ...]
    parties: tuple[PartyAward, ...]
    awards: tuple[Award, ...]
    ties: tuple[str, ...]
    explain: tuple[str, ...]


@dataclass(frozen=True)
class _Win:
    name: str
    quotient: Fraction
    tied_with: tuple[str, ...]


def highest_averages(votes: Mapping[str, int], seats: int) -> list[_Win]:
    """d'Hondt: each seat to the highest votes / (seats won + 1); ties by votes, then name."""
    won = dict.fromkeys(votes, 0)
    wins: list[_Win] = []
    for _ in range(seats):
        def key(name: str) -> tuple[Fraction, int, str]:
            return (-Fraction(votes[name], won[name] + 1), -votes[name], name)

        ranked = sorted(votes, key=key)
        best = key(ranked[0])[0]
        tied = tuple(n for n in ranked[1:] if key(n)[0] == best)
        wins.append(_Win(ranked[0], -best, tied))
        won[ranked[0]] += 1
    return wins


def dhondt(votes: Mapping[str, int], seats: int,
           alliances: Sequence[Sequence[str]] = ()) -> Election:
    """Elect `seats` seats among `votes` (party -> votes) with the given alliances."""
    lists = _lists(votes, seats, alliances)
    pooled = {name: sum(votes[p] for p in members) for name, members in lists.items()}
    steps = [_describe_lists(lists, pooled, votes)]
    outer = highest_averages(pooled, seats)
    inner = {name: highest_averages({p: votes[p] for p in members},
                                    sum(w.name == name for w in outer))
             for name, members in lists.items() if len(members) > 1}
    awards, ties = _awards(outer, inner, steps)
    won = {name: sum(a.list == name for a in awards) for name in lists}
    return Election(
        seats,
        tuple(ListSeats(n, lists[n], pooled[n], won[n]) for n in _by_votes(pooled)),
        tuple(PartyAward(p, votes[p], _list_of(p, lists), sum(a.party == p for a in awards))
              for p in _by_votes(votes)),
        tuple(awards), tuple(ties), tuple(steps),
    )


def _lists(votes: Mapping[str, int], seats: int,
           alliances: Sequence[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    _check(votes, seats)
    return alliance_lists(votes, alliances, "alliance", "party with votes")


def alliance_lists(counts: Mapping[str, int], alliances: Sequence[Sequence[str]], field: str,
                   kind: str) -> dict[str, tuple[str, ...]]:
    """The lists that compete: each alliance as `A+B` with its members, every other name
    alone. An alliance must join two or more distinct known names, each in one alliance;
    `field` and `kind` name the input and its names in the error (e.g. "groups", "group")."""
    lists: dict[str, tuple[str, ...]] = {}
    allied: set[str] = set()
    for alliance in alliances:
        members = tuple(alliance)
        unknown = [p for p in members if p not in counts]
        if unknown:
            raise BadInput(f"{field}: {', '.join(unknown)} in {'+'.join(members)} "
                           f"is not a {kind}")
        if len(set(members)) < 2 or allied & set(members) or len(set(members)) < len(members):
            raise BadInput(f"{field}: {'+'.join(members)} must join two or more distinct "
                           f"{kind}s, each in one alliance only")
        allied |= set(members)
        lists["+".join(members)] = members
    lists.update({p: (p,) for p in counts if p not in allied})
    return lists


def _check(votes: Mapping[str, int], seats: int) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise BadInput(f"seats: {seats!r}; the election needs at least one seat")
    for party, count in votes.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise BadInput(f"votes: {party!r} has {count!r}; a count is a whole number ≥ 0")
    if sum(votes.values()) == 0:
        raise BadInput("votes: no votes at all; at least one party needs votes")


def _awards(outer: list[_Win], inner: dict[str, list[_Win]],
            steps: list[str]) -> tuple[list[Award], list[str]]:
    awards: list[Award] = []
    ties: list[str] = []
    for number, win in enumerate(outer, start=1):
        nth = sum(a.list == win.name for a in awards)
        within = inner[win.name][nth] if win.name in inner else win
        awards.append(Award(number, win.name, within.name, win.quotient))
        inside = "" if within is win else (
            f" (inside the alliance: {within.name}, quotient {decimal(within.quotient)})")
        steps.append(f"Seat {number} to {win.name}: quotient {decimal(win.quotient)} is the "
                     f"highest{inside}.")
        ties.extend(f"seat {number}: {w.name} ties with {', '.join(w.tied_with)} at "
                    f"{decimal(w.quotient)}; more votes, then name order decide "
                    "(the law draws lots)" for w in {win, within} if w.tied_with)
    steps.extend(f"Tie: {tie}." for tie in ties)
    return awards, ties


def _describe_lists(lists: Mapping[str, tuple[str, ...]], pooled: Mapping[str, int],
                    votes: Mapping[str, int]) -> str:
    parts = [f"{n} {pooled[n]}" if len(lists[n]) == 1 else
             f"{n} {pooled[n]} (= {' + '.join(str(votes[p]) for p in lists[n])})"
             for n in _by_votes(pooled)]
    return f"Lists (alliances pool their votes): {'; '.join(parts)}."


def _by_votes(votes: Mapping[str, int]) -> list[str]:
    return sorted(votes, key=lambda name: (-votes[name], name))


def _list_of(party: str, lists: Mapping[str, tuple[str, ...]]) -> str:
    return next(name for name, members in lists.items() if party in members)
