"""The seat calculator: hand-computed compositions, the reduction's properties, d'Hondt."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ledger.errors import BadInput, RuleViolation
from ledger.statute.composition import Composition, SeatDifference, compose, seat_differences
from ledger.statute.dhondt import dhondt


def totals(result: Composition) -> dict[str, int]:
    return {p.party: p.total for p in result.parties}


# --- the unreduced composition (B1.0) ------------------------------------------------------


def test_the_party_most_over_represented_by_its_mayors_sets_the_scale() -> None:
    # given 3 municipalities; A 500 votes and 2 mayors, B 380 and 1, C 120 and none
    # (by hand: A 500/2 = 250 and B 380/1 = 380 votes per mayor; A sets the divisor 250.
    #  Quotas A 500/250 = 2.00 → 2, B 1.52 → 2, C 0.48 → 0 but ≥ 2 % so 1. Size 5 ≤ cap 6)
    result = compose({"A": 500, "B": 380, "C": 120}, {"A": 2, "B": 1}, 3)
    # then
    assert result.votes_per_seat == 250
    assert totals(result) == {"A": 2, "B": 2, "C": 1}
    assert (result.size, result.cap, result.reduced) == (5, 6, False)
    assert [p.supplementary for p in result.parties] == [0, 1, 1]


def test_rounding_down_gives_the_dhondt_composition() -> None:
    # given the same result, quotas rounded down (d'Hondt)
    # (by hand: B 1.52 → 1, C 0.48 → 0 → 1 by the 2 % floor; A 2)
    result = compose({"A": 500, "B": 380, "C": 120}, {"A": 2, "B": 1}, 3, rounding="down")
    # then
    assert totals(result) == {"A": 2, "B": 1, "C": 1}
    assert result.size == 4


def test_a_party_under_two_percent_keeps_its_mayor_but_sets_no_scale() -> None:
    # given L with 1 % of the votes and a mayor (10 votes per mayor would make 100 seats)
    # (by hand: eligible anchors A 490/2 = 245, B 300, C 200 → divisor 200.
    #  A 2.45 → 2, B 1.50 → 2 (half rounds up), C 1.00 → 1, L its 1 mayor. Size 6 ≤ 10)
    votes = {"A": 490, "B": 300, "C": 200, "L": 10}
    result = compose(votes, {"A": 2, "B": 1, "C": 1, "L": 1}, 5)
    # then
    assert result.votes_per_seat == 200
    assert totals(result) == {"A": 2, "B": 2, "C": 1, "L": 1}
    assert not next(p for p in result.parties if p.party == "L").eligible


def test_a_party_without_votes_or_mayors_gets_no_seat() -> None:
    # given a party with votes below 2 % and no mayor
    result = compose({"A": 990, "Z": 10}, {"A": 1}, 1)
    # then it gets nothing and has no under-representation (undefined without seats)
    z = next(p for p in result.parties if p.party == "Z")
    assert (z.total, result.under_representation(z)) == (0, None)


# --- the reduction to the cap (B1.1) -------------------------------------------------------


def test_above_the_cap_the_floors_come_first_then_the_most_votes_per_seat() -> None:
    # given 4 municipalities (cap 8), all mayors from A with 10 % of the votes
    # (by hand: divisor 100/4 = 25; B 550/25 = 22, C 350/25 = 14 → 40 seats > 8.
    #  Floors A 4, B 1, C 1 = 6. Seat 7: B 550/1 > C 350/1 → B (now 275).
    #  Seat 8: C 350/1 > B 275 → C. Worst: B 0.55 / (2/8) = 2.2; B 3, C 1 gives C 2.8)
    result = compose({"A": 100, "B": 550, "C": 350}, {"A": 4}, 4)
    # then
    assert (result.unreduced_size, result.size, result.reduced) == (40, 8, True)
    assert totals(result) == {"B": 2, "C": 2, "A": 4}
    assert result.worst_under_representation == Fraction(11, 5)


def test_a_tie_for_the_last_seat_goes_to_the_party_whose_ratio_drops_furthest() -> None:
    # given cap 8, floors A 4, B 1, C 1; seat 7 to B (600/1); then B 600/2 = C 300/1 = 300
    # (by hand: B 3, C 1 leaves ratios 300 (C), 200 (B); B 2, C 2 leaves 300 (B), 150 (C):
    #  the same worst, a smaller second worst → C; the tie is reported)
    result = compose({"A": 100, "B": 600, "C": 300}, {"A": 4}, 4)
    # then
    assert totals(result) == {"B": 2, "C": 2, "A": 4}
    assert len(result.ties) == 1 and result.ties[0].startswith("C, B tie at 300.00")


def test_floors_beyond_the_cap_are_refused() -> None:
    # given 1 municipality (cap 2) and three parties with 2 % each needing a seat
    # when composing, then B1.1 refuses: the floors alone need 3 seats
    with pytest.raises(RuleViolation, match=r"\[B1.1\].*need 3 seats.*cap of 2"):
        compose({"A": 40, "B": 30, "C": 30}, {"A": 1}, 1)


def test_mayors_that_do_not_match_the_municipalities_are_bad_input() -> None:
    # given 3 municipalities but 2 mayors; when composing, then it is refused as bad input
    with pytest.raises(BadInput, match="mayors: 2 mayors for 3 municipalities"):
        compose({"A": 10}, {"A": 2}, 3)


def test_the_explain_trail_walks_through_each_step() -> None:
    # given the reduced case above
    steps = compose({"A": 100, "B": 550, "C": 350}, {"A": 4}, 4).explain
    # then it names the scale, the reduction, every awarded seat and the result
    assert steps[0].startswith("Votes: 1000 for 3 parties/lists; 2 % is 20.00 votes")
    assert any("A is the eligible party most over-represented" in s for s in steps)
    assert "Seat 7 to B" in steps[-3] and "Seat 8 to C" in steps[-2]
    assert steps[-1].startswith("Result: 8 seats (4 supplementary); worst")


# --- the audit's comparison -----------------------------------------------------------------


def test_the_audit_sees_party_seats_that_differ_from_the_computation() -> None:
    # given party seats B 3, C 1 where B 2, C 2 are due (the cap case above) and a stray D 1
    party_seats = {"B": 3, "C": 1, "D": 1}
    # when compared with the computation
    found = seat_differences(party_seats, {"A": 4}, {"A": 100, "B": 550, "C": 350})
    # then each difference is reported, party by party
    assert found == (SeatDifference("B", 2, 3), SeatDifference("C", 2, 1),
                     SeatDifference("D", 0, 1))


def test_the_audit_finds_nothing_when_the_constitution_matches() -> None:
    # given the computed party seats (A holds only mayor seats) and an independent mayor ""
    # (by hand: divisor 100/3; floors A 3, B 1, C 1, "" 1 = 6 of cap 8; seats 7, 8 to B, C)
    found = seat_differences({"B": 2, "C": 2}, {"A": 3, "": 1}, {"A": 100, "B": 550, "C": 350})
    # then
    assert found == ()


# --- properties of the reduction -------------------------------------------------------------

elections = st.integers(1, 5).flatmap(lambda k: st.tuples(
    st.lists(st.integers(0, 1000), min_size=k, max_size=k).filter(lambda v: sum(v) > 0),
    st.lists(st.integers(0, k - 1), min_size=1, max_size=6),
))


def composed(case: tuple[list[int], list[int]]) -> Composition:
    votes = {f"P{i}": n for i, n in enumerate(case[0])}
    mayors = {f"P{i}": case[1].count(i) for i in range(len(case[0]))}
    try:
        return compose(votes, mayors, len(case[1]))
    except RuleViolation:
        assume(False)
        raise


def ratios(result: Composition, seats: dict[str, int]) -> list[Fraction]:
    """Under-representation of every seated party, worst first."""
    return sorted((Fraction(p.votes * result.size, result.total_votes * seats[p.party])
                   for p in result.parties if seats[p.party]), reverse=True)


def allowed(result: Composition) -> list[dict[str, int]]:
    """Every allocation of the cap within B1.1: floors kept, parties under 2 % at their mayors."""
    ranges = [range(p.floor, result.cap + 1) if p.eligible else [p.mayors]
              for p in result.parties]
    names = [p.party for p in result.parties]
    return [dict(zip(names, c, strict=True)) for c in product(*ranges) if sum(c) == result.cap]


@settings(max_examples=150, deadline=None)
@given(elections)
def test_the_reduction_keeps_the_mayors_and_the_two_percent_seats(case: tuple[
        list[int], list[int]]) -> None:
    # given any small election; when composing
    result = composed(case)
    # then no party falls below its mayors, every party with 2 % has a seat
    assert all(p.total >= p.mayors for p in result.parties)
    assert all(p.total >= 1 for p in result.parties if p.eligible)
    # and the size is the cap after a reduction, else the unreduced size within the cap
    expected = result.cap if result.reduced else result.unreduced_size
    assert sum(p.total for p in result.parties) == result.size == expected <= result.cap


@settings(max_examples=150, deadline=None)
@given(elections)
def test_no_allocation_has_a_smaller_worst_under_representation(case: tuple[
        list[int], list[int]]) -> None:
    # given a small election that needs a reduction (cap ≤ 12, ≤ 5 parties)
    result = composed(case)
    assume(result.reduced)
    # when every allowed allocation of the cap is tried
    best = min(ratios(result, seats) for seats in allowed(result))
    # then none has a smaller worst (nor, the ADR's tie-break, a smaller next worst ...)
    assert result.worst_under_representation == best[0]
    assert ratios(result, totals(result)) == best


# --- d'Hondt with alliances (B1.4, FO3.8) ----------------------------------------------------


def test_dhondt_gives_each_seat_to_the_highest_quotient() -> None:
    # given A 1000, B 800, C 300 and 3 seats
    # (by hand: quotients A 1000, 500, 333; B 800, 400; C 300 → A, B, A)
    result = dhondt({"A": 1000, "B": 800, "C": 300}, 3)
    # then
    assert [a.party for a in result.awards] == ["A", "B", "A"]
    assert [(p.party, p.seats) for p in result.parties] == [("A", 2), ("B", 1), ("C", 0)]


def test_an_alliance_pools_its_votes_and_shares_its_seats_by_dhondt() -> None:
    # given chair and vice chair (2 seats) and the alliance B+C
    # (by hand: B+C 1100 > A 1000 → seat 1 to B+C, inside B 800 > C 300 → B; seat 2: A 1000
    #  > B+C 550 → A. Without the alliance A would chair)
    result = dhondt({"A": 1000, "B": 800, "C": 300}, 2, [["B", "C"]])
    # then
    assert [(a.list, a.party) for a in result.awards] == [("B+C", "B"), ("A", "A")]
    assert [(s.name, s.votes, s.seats) for s in result.lists] == [("B+C", 1100, 1), ("A", 1000, 1)]


def test_equal_quotients_go_to_more_votes_then_name_and_are_reported() -> None:
    # given A 900 and B 450 for 2 seats (seat 2: A 900/2 = B 450/1)
    result = dhondt({"A": 900, "B": 450}, 2)
    # then A wins on votes, and the tie is reported for a drawing of lots
    assert [a.party for a in result.awards] == ["A", "A"]
    assert result.ties and "seat 2: A ties with B" in result.ties[0]


def test_an_alliance_naming_an_unknown_or_repeated_party_is_bad_input() -> None:
    # given alliances with an unknown party, or one party twice
    # when electing, then each is refused naming the alliance field
    with pytest.raises(BadInput, match="alliance: X in A\\+X"):
        dhondt({"A": 10, "B": 5}, 1, [["A", "X"]])
    with pytest.raises(BadInput, match="alliance: B\\+C must join"):
        dhondt({"A": 10, "B": 5, "C": 1}, 1, [["A", "B"], ["B", "C"]])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=5).filter(lambda v: sum(v) > 0),
       st.integers(1, 12))
def test_dhondt_hands_out_exactly_the_seats(votes: list[int], seats: int) -> None:
    # given any votes, an alliance of the first two parties when there are two
    named = {f"P{i}": n for i, n in enumerate(votes)}
    alliance = [["P0", "P1"]] if len(votes) > 1 else []
    # when electing
    result = dhondt(named, seats, alliance)
    # then every seat is awarded once, and the parties' seats add up to it
    assert [a.seat for a in result.awards] == list(range(1, seats + 1))
    assert sum(p.seats for p in result.parties) == sum(s.seats for s in result.lists) == seats
