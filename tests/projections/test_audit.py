"""The audit of a term: each finding shown present and absent, with rule, dates and persons."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from ledger.events import (
    ChairElected,
    LeaveEnded,
    LeaveStarted,
    MayorChanged,
    MemberAppointed,
    MembershipEnded,
    PartyChanged,
    SubstituteAppointed,
)
from ledger.fold import fold
from ledger.fold.book import Interval
from ledger.geography import slugify
from ledger.statute.composition import compose
from ledger.term import Term
from ledger.values import ConstitutionPlace
from projections.reports import audit
from projections.reports.audit import audit_term
from projections.reports.audit_view import Finding, View, gaps
from tests.builders import constituted, person, places, record

AS_OF = date(2026, 1, 1)
VOTES = {"A": 500, "V": 300, "C": 100, "F": 50, "Ø": 30, "K": 20}


def findings(term: Term, check: str, as_of: date = AS_OF, on: date | None = None
             ) -> list[Finding]:
    return [f for f in audit_term(str(term.term_id), term.facts, as_of, on) if f.check == check]


def crafted(term: Term, *extra: Interval) -> View:
    """The term's timeline with intervals the statute would never produce (older history)."""
    builder = fold(str(term.term_id), term.facts)
    for interval in extra:
        builder.add_interval(interval)
    return View(builder, AS_OF)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_a_fully_staffed_term_has_no_findings() -> None:
    term = constituted()
    assert audit_term(str(term.term_id), term.facts, AS_OF) == []


def test_gaps_are_the_parts_of_a_span_that_nothing_covers() -> None:
    covers = [(d("2023-01-01"), d("2023-02-01")), (d("2023-03-01"), None)]
    assert gaps((d("2022-12-01"), None), covers) == [
        (d("2022-12-01"), d("2023-01-01")), (d("2023-02-01"), d("2023-03-01"))]
    assert gaps((d("2023-01-10"), d("2023-01-20")), covers) == []


# -- seats and substitutes ----------------------------------------------------------------


def test_a_vacant_party_seat_is_reported_until_the_party_elects_a_member() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned",
           successor_declines=True)
    record(term, MemberAppointed, "2023-07-01", person=person("new-v", "Hjørring", "V"),
           basis="successor_declined", seat="party:v:1")
    [found] = findings(term, "seat_uncovered")
    assert (found.rule, found.severity, found.start, found.end) == \
        ("B1.13", "warning", d("2023-06-01"), d("2023-07-01"))
    assert found.persons == ("member-1",) and found.days(AS_OF) == 30
    assert len(found.events) == 2


def test_a_vacant_mayor_seat_where_the_substitute_acts_is_covered() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="mayor-aalborg", reason="resigned")
    assert findings(term, "seat_uncovered") == []


def test_a_member_on_leave_without_a_substitute_to_act_leaves_the_seat_uncovered() -> None:
    members = places()
    members[-1] = members[-1].model_copy(update={"substitute": None})
    term = constituted(members)
    record(term, LeaveStarted, "2023-03-01", person_id="member-4",
           expected_until=date(2023, 9, 1), reason="health", decided_on=date(2023, 3, 10))
    record(term, LeaveEnded, "2023-09-01", person_id="member-4")
    [found] = findings(term, "seat_uncovered")
    assert (found.rule, found.start, found.end) == ("B1.7", d("2023-03-01"), d("2023-09-01"))
    assert "on leave" in found.message


def test_a_successor_without_a_substitute_is_reported_by_b1_13_until_one_is_appointed() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    record(term, SubstituteAppointed, "2023-08-15", person=person("new-sub", "Hjørring", "V"),
           for_member="sub-1")
    [found] = findings(term, "member_without_substitute")
    assert (found.rule, found.start, found.end, found.persons) == \
        ("B1.13", d("2023-06-01"), d("2023-08-15"), ("sub-1",))
    assert found.days(AS_OF) == 75


def test_a_substitute_who_leaves_opens_a_b1_14_gap_that_lasts_while_unfilled() -> None:
    term = constituted()
    record(term, MembershipEnded, "2024-02-01", person_id="sub-2", reason="left_council")
    [found] = findings(term, "member_without_substitute")
    assert (found.rule, found.start, found.end) == ("B1.14", d("2024-02-01"), None)
    assert found.days(AS_OF) == (AS_OF - d("2024-02-01")).days + 1
    assert "still open" in found.message


def test_a_member_constituted_without_a_substitute_is_reported_by_b1_2() -> None:
    members = places()
    members[-1] = members[-1].model_copy(update={"substitute": None})
    [found] = findings(constituted(members), "member_without_substitute")
    assert (found.rule, found.start, found.persons) == ("B1.2", d("2022-01-20"), ("member-4",))


def test_a_mayor_substitute_on_the_second_vice_mayor_basis_is_noted() -> None:
    members = places()
    index = next(n for n, p in enumerate(members) if p.person.municipality == "Aalborg")
    members[index] = members[index].model_copy(update={"basis": "second_vice_mayor"})
    [found] = findings(constituted(members), "mayor_substitute_basis")
    assert (found.rule, found.severity) == ("B1.2", "warning")
    assert "0 party-elected place(s)" in found.message


def test_a_second_vice_mayor_is_plausible_when_a_party_elected_member_sits_for_the_town() -> None:
    members = places()  # member-0 and sub-0 sit for Morsø
    members[0] = members[0].model_copy(update={"basis": "second_vice_mayor"})
    [found] = findings(constituted(members), "mayor_substitute_basis")
    assert found.severity == "info" and "2 party-elected place(s)" in found.message


def test_a_first_vice_mayor_needs_no_comment_and_a_missing_basis_is_a_warning() -> None:
    term = constituted()
    assert findings(term, "mayor_substitute_basis") == []
    view = crafted(term)
    sub = next(i for i in view.builder.intervals if i.kind == "substitute" and
               i.seat == "mayor:aalborg")
    sub.data["basis"] = None
    [found] = audit.mayor_substitute_basis(view)
    assert found.severity == "warning" and "no recorded basis" in found.message


def test_a_substitute_acting_without_a_leave_or_a_mayor_vacancy_is_an_error() -> None:
    term = constituted()
    view = crafted(term, Interval("acting", "party:v:1", "sub-1", d("2023-01-01"),
                                  d("2023-02-01"), {"basis": "leave"}))
    [found] = audit.acting_outside_leave(view)
    assert (found.rule, found.severity, found.start, found.end) == \
        ("B1.7", "error", d("2023-01-01"), d("2023-02-01"))


def test_acting_during_a_leave_or_a_mayor_vacancy_is_in_order() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-01-01", person_id="member-1",
           expected_until=date(2023, 5, 1), reason="health", decided_on=date(2023, 1, 20))
    record(term, LeaveEnded, "2023-05-01", person_id="member-1")
    record(term, MembershipEnded, "2023-06-01", person_id="mayor-aalborg", reason="deceased")
    record(term, MayorChanged, "2023-07-01", municipality="Aalborg",
           person=person("new-mayor", "Aalborg", "A"))
    assert findings(term, "acting_outside_leave") == []


# -- leave ------------------------------------------------------------------------------------


def on_leave(until: str = "2023-09-01", decided: date | None = date(2023, 3, 20)) -> Term:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-1",
           expected_until=date.fromisoformat(until), reason="health", decided_on=decided)
    return term


def test_a_leave_past_its_expected_end_without_end_leave_is_a_warning() -> None:
    [found] = findings(on_leave(), "leave_overdue", as_of=d("2023-10-01"))
    assert (found.rule, found.severity, found.start, found.end) == \
        ("B1.7", "warning", d("2023-09-02"), None)
    assert found.days(d("2023-10-01")) == 30


def test_a_leave_within_its_expected_period_is_not_overdue() -> None:
    assert findings(on_leave(), "leave_overdue", as_of=d("2023-09-01")) == []
    term = on_leave()
    record(term, LeaveEnded, "2023-09-02", person_id="member-1")
    assert findings(term, "leave_overdue") == []


def test_a_leave_that_ended_later_than_expected_is_noted() -> None:
    term = on_leave()
    record(term, LeaveEnded, "2023-10-01", person_id="member-1")
    [found] = findings(term, "leave_overdue")
    assert (found.severity, found.start, found.end) == ("info", d("2023-09-02"), d("2023-10-01"))


def test_a_b1_7_leave_without_the_kkr_decision_date_is_a_warning() -> None:
    [found] = findings(on_leave(decided=None), "leave_undecided")
    assert (found.rule, found.start, found.persons) == ("B1.7", d("2023-03-01"), ("member-1",))
    assert findings(on_leave(), "leave_undecided") == []


def test_a_mayor_relieved_of_council_duties_needs_no_kkr_decision() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-hjoerring",
           expected_until=date(2023, 9, 1), reason="relieved_of_council_duties")
    assert findings(term, "leave_undecided") == []


# -- roles -----------------------------------------------------------------------------------------


def test_a_chair_who_leaves_leaves_the_role_vacant_until_an_election_by_b1_15() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="mayor-aalborg", reason="deceased")
    record(term, ChairElected, "2023-06-20", role="chair", person_id="mayor-thisted")
    [found] = findings(term, "role_vacant")
    assert (found.rule, found.start, found.end, found.persons) == \
        ("B1.15", d("2023-06-01"), d("2023-06-20"), ("mayor-aalborg",))
    assert "chair (formand)" in found.message and found.days(AS_OF) == 19


def test_a_term_constituted_without_a_vice_chair_is_reported_from_its_start() -> None:
    [found] = findings(constituted(vice_chair=None), "role_vacant")
    assert (found.rule, found.start, found.end) == ("B1.4", d("2022-01-20"), None)
    assert findings(constituted(), "role_vacant") == []


def test_a_chair_on_leave_without_a_temporary_election_is_reported_by_b1_16() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="mayor-aalborg",
           expected_until=date(2023, 9, 1), reason="relieved_of_council_duties")
    record(term, ChairElected, "2023-04-01", role="chair", person_id="mayor-thisted",
           until=date(2023, 9, 1))
    record(term, LeaveEnded, "2023-09-01", person_id="mayor-aalborg")
    [found] = findings(term, "role_holder_on_leave")
    assert (found.rule, found.start, found.end) == ("B1.16", d("2023-03-01"), d("2023-04-01"))
    assert "acts as chair (FO3.5)" in found.message and "member-0" in found.persons


def test_a_chair_at_work_is_not_reported() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-1",
           expected_until=date(2023, 9, 1), reason="health", decided_on=date(2023, 3, 9))
    assert findings(term, "role_holder_on_leave") == []


# -- entitlements, size, allocation, flags, refused facts ---------------------------------------


def with_sole_mayor_of_k(party_seats: int = 5) -> list[ConstitutionPlace]:
    members = places(party_seats=party_seats)
    index = next(n for n, p in enumerate(members) if p.person.person_id == "mayor-laesoe")
    mayor = members[index].person.model_copy(update={"party": "K"})
    members[index] = members[index].model_copy(update={"person": mayor})
    return members


def test_an_unused_b1_11_entitlement_is_reported_until_the_party_appoints() -> None:
    term = constituted(with_sole_mayor_of_k(), votes=VOTES)
    record(term, PartyChanged, "2023-05-01", person_id="mayor-laesoe", party="")
    [found] = findings(term, "entitlement_unused")
    assert (found.rule, found.start, found.end) == ("B1.11", d("2023-05-01"), None)
    assert "party K" in found.message
    record(term, MemberAppointed, "2023-06-01", person=person("k-new", "Læsø", "K"),
           basis="sole_representative")
    assert findings(term, "entitlement_unused") == []


def test_a_b1_11_member_above_the_cap_is_allowed_by_b1_12() -> None:
    term = constituted(with_sole_mayor_of_k(party_seats=11), votes=VOTES)
    record(term, PartyChanged, "2023-05-01", person_id="mayor-laesoe", party="")
    record(term, MemberAppointed, "2023-06-01", person=person("k-new", "Læsø", "K"),
           basis="sole_representative")
    [found] = findings(term, "size_above_cap")
    assert (found.rule, found.severity, found.start) == ("B1.12", "info", d("2023-06-01"))
    assert "23 members exceed the cap of 22" in found.message


def test_a_size_above_the_cap_other_than_by_b1_11_is_an_error() -> None:
    term = constituted(places(party_seats=11))
    assert findings(term, "size_above_cap") == []
    start = d("2022-01-20")
    view = crafted(term, Interval("seat", "party:x:1", "", start, None, {"seat_kind": "party"}),
                   Interval("member", "party:x:1", "extra", start, None, {}))
    [found] = audit.size_above_cap(view)
    assert (found.rule, found.severity, found.start) == ("B1.1", "error", start)


def matching_places(votes: dict[str, int]) -> list[ConstitutionPlace]:
    """Mayors as in `places()`, party seats as the seat calculator allocates them."""
    members = places(party_seats=0)
    mayors = Counter(p.person.party for p in members)
    for party in compose(votes, mayors, len(members)).parties:
        members += [ConstitutionPlace(person=person(f"{slugify(party.party)}-{n}", "Aalborg",
                                                    party.party),
                                      seat="party") for n in range(party.supplementary)]
    return members


def test_party_seats_differing_from_the_seat_calculator_are_reported_when_votes_exist() -> None:
    [found] = findings(constituted(votes=VOTES), "seat_allocation")
    assert (found.rule, found.severity) == ("B1.1", "warning")
    assert "A 1 (calculator" in found.message
    assert findings(constituted(), "seat_allocation") == []


def test_a_constitution_that_follows_the_seat_calculator_has_no_allocation_finding() -> None:
    term = constituted(matching_places(VOTES), votes=VOTES, vice_chair=None)
    assert findings(term, "seat_allocation") == []


def test_a_constituent_meeting_after_31_january_is_flagged_by_b1_3() -> None:
    [found] = findings(constituted(day="2022-02-03"), "flag")
    assert (found.rule, found.start, found.end) == ("B1.3", d("2022-02-01"), d("2022-02-03"))
    assert findings(constituted(day="2022-01-31"), "flag") == []


def test_a_stored_fact_the_fold_cannot_apply_is_an_error_naming_the_event() -> None:
    term = constituted()
    bad = LeaveEnded(originator_id=term.id, originator_version=2, effective=d("2023-01-01"),
                     timestamp=datetime.now().astimezone(), person_id="member-1")
    [found] = [f for f in audit_term(str(term.term_id), [*term.facts, bad], AS_OF)
               if f.check == "unapplied_fact"]
    assert (found.rule, found.severity, found.events) == ("B1.7", "error", (bad.event_id,))


def test_a_refused_constitution_leaves_only_its_refusal_to_report() -> None:
    term = constituted()
    wrong = term.facts[0].model_copy(update={"term": "sjaelland/2022"})
    [found] = audit_term(str(term.term_id), [wrong], AS_OF)
    assert (found.check, found.rule, found.start) == ("unapplied_fact", "B1.3", d("2022-01-20"))


def test_an_audit_on_one_day_keeps_only_the_findings_of_that_day() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    record(term, SubstituteAppointed, "2023-08-15", person=person("new-sub", "Hjørring", "V"),
           for_member="sub-1")
    assert len(findings(term, "member_without_substitute", on=d("2023-07-01"))) == 1
    assert findings(term, "member_without_substitute", on=d("2023-08-15")) == []

