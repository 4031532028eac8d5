"""B1.9-B1.12: party changes of members, substitutes and mayors; the sole-representative seat."""

from __future__ import annotations

from ledger.events import MemberAppointed, MembershipEnded, PartyChanged
from ledger.values import ConstitutionPlace
from tests.builders import (
    constituted,
    holders,
    person,
    places,
    record,
    refusal,
    with_sole_mayor,
)

# Læsø's mayor is the only member of party K; K's share of the votes is set per test.
VOTES = {"A": 500, "V": 300, "C": 100, "F": 50, "Ø": 30}


def with_sole_mayor_of_k(party_seats: int = 5) -> list[ConstitutionPlace]:
    return with_sole_mayor("K", places(party_seats=party_seats))


def test_a_party_member_who_leaves_the_party_leaves_the_kkr_by_b1_9() -> None:
    term = constituted()
    record(term, PartyChanged, "2023-06-01", person_id="member-1", party="Æ")
    assert "member-1" not in term.timeline.places
    assert holders(term, "member", "2023-06-01", "party:v:1") == ["sub-1"]
    assert term.timeline.persons["sub-1"].party == "V"


def test_a_substitute_who_leaves_the_party_leaves_the_kkr_by_b1_9() -> None:
    term = constituted()
    record(term, PartyChanged, "2023-06-01", person_id="sub-1", party="")
    assert holders(term, "substitute", "2023-06-01", "party:v:1") == []
    assert holders(term, "member", "2023-06-01", "party:v:1") == ["member-1"]


def test_a_party_change_with_a_declining_substitute_leaves_the_seat_vacant_by_b1_13() -> None:
    term = constituted()
    record(term, PartyChanged, "2023-06-01", person_id="member-1", party="Æ",
           successor_declines=True)
    assert holders(term, "member", "2023-06-01", "party:v:1") == []
    assert holders(term, "substitute", "2023-06-01", "party:v:1") == ["sub-1"]


def test_a_party_change_to_the_same_party_or_of_a_stranger_is_refused_by_b1_9() -> None:
    term = constituted()
    assert refusal(term, PartyChanged, "2023-06-01", person_id="member-1",
                   party="V").rule == "B1.9"
    assert refusal(term, PartyChanged, "2023-06-01", person_id="nobody",
                   party="V").rule == "B1.9"


def test_a_mayor_who_leaves_the_party_stays_a_member_with_the_new_party_by_b1_10() -> None:
    term = constituted()
    record(term, PartyChanged, "2023-06-01", person_id="mayor-thisted", party="")
    assert holders(term, "member", "2023-06-01", "mayor:thisted") == ["mayor-thisted"]
    assert term.timeline.persons["mayor-thisted"].party == ""
    assert len(term.timeline.seats) == 16 and not term.timeline.entitlements


def test_the_vice_mayor_substituting_a_mayor_stays_after_a_party_change_by_b1_10() -> None:
    term = constituted()
    record(term, PartyChanged, "2023-06-01", person_id="vice-thisted", party="V")
    assert holders(term, "substitute", "2023-06-01", "mayor:thisted") == ["vice-thisted"]


def test_ending_a_mayor_s_membership_for_leaving_the_party_is_refused_by_b1_10() -> None:
    term = constituted()
    refused = refusal(term, MembershipEnded, "2023-06-01", person_id="mayor-thisted",
                      reason="left_party")
    assert refused.rule == "B1.10" and "change_party" in refused.reason


def test_a_party_whose_sole_mayor_left_it_may_elect_a_member_with_2_percent_by_b1_11() -> None:
    term = constituted(with_sole_mayor_of_k(), votes={**VOTES, "K": 20})
    record(term, PartyChanged, "2023-06-01", person_id="mayor-laesoe", party="A")
    assert holders(term, "entitlement", "2023-06-01", role="K") == [""]
    record(term, MemberAppointed, "2023-08-01", person=person("new-k", "Læsø", "K"),
           basis="sole_representative", substitute=person("new-k-sub", "Læsø", "K"))
    assert holders(term, "member", "2023-08-01", "party:k:1") == ["new-k"]
    assert holders(term, "entitlement", "2023-08-01", role="K") == []


def test_a_party_under_2_percent_of_the_votes_gets_no_new_member_by_b1_11() -> None:
    term = constituted(with_sole_mayor_of_k(), votes={**VOTES, "K": 19})
    record(term, PartyChanged, "2023-06-01", person_id="mayor-laesoe", party="A")
    assert not term.timeline.entitlements
    assert refusal(term, MemberAppointed, "2023-08-01", person=person("new-k", "Læsø", "K"),
                   basis="sole_representative").rule == "B1.11"


def test_without_vote_totals_the_sole_representative_entitlement_is_granted_by_b1_11() -> None:
    term = constituted(with_sole_mayor_of_k())
    record(term, PartyChanged, "2023-06-01", person_id="mayor-laesoe", party="")
    assert term.timeline.entitlements["K"]["share"] is None


def test_a_party_with_other_members_gets_no_new_member_by_b1_11() -> None:
    term = constituted(votes=VOTES)
    record(term, PartyChanged, "2023-06-01", person_id="mayor-thisted", party="K")
    assert not term.timeline.entitlements
    assert refusal(term, MemberAppointed, "2023-08-01", person=person("new-a", "Thisted"),
                   basis="sole_representative").rule == "B1.11"


def test_the_sole_representative_entitlement_is_used_once_by_b1_11() -> None:
    term = constituted(with_sole_mayor_of_k())
    record(term, PartyChanged, "2023-06-01", person_id="mayor-laesoe", party="A")
    record(term, MemberAppointed, "2023-08-01", person=person("new-k", "Læsø", "K"),
           basis="sole_representative")
    assert refusal(term, MemberAppointed, "2023-09-01", person=person("more-k", "Læsø", "K"),
                   basis="sole_representative").rule == "B1.11"


def test_the_sole_representative_may_take_the_kkr_above_its_cap_by_b1_12() -> None:
    term = constituted(with_sole_mayor_of_k(party_seats=11))
    assert term.timeline.size == 22
    record(term, PartyChanged, "2023-06-01", person_id="mayor-laesoe", party="A")
    record(term, MemberAppointed, "2023-08-01", person=person("new-k", "Læsø", "K"),
           basis="sole_representative")
    assert term.timeline.size == 23


def test_at_the_cap_no_other_appointment_adds_a_member_by_b1_12() -> None:
    term = constituted(places(party_seats=11))
    refused = refusal(term, MemberAppointed, "2023-08-01", person=person("new-a", "Aalborg"),
                      basis="vacancy")
    assert refused.rule == "B1.13" and term.timeline.size == 22
    assert refusal(term, MemberAppointed, "2023-08-01", person=person("new-k", "Læsø", "K"),
                   basis="sole_representative").rule == "B1.11"
