"""Replay of a term: consequences per fact, the daily invariant check, replay equals ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update

from ledger.events import (
    ChairElected,
    Fact,
    LeaveEnded,
    LeaveStarted,
    MembershipEnded,
    SubstituteAppointed,
)
from ledger.fold import fold
from ledger.fold.book import Interval
from ledger.store.application import Ledger, UnitOfWork
from ledger.term import Term
from ledger.values import TermId
from projections.readmodel.catchup import Projector
from projections.readmodel.tables import intervals
from projections.reports.invariants import check_daily
from projections.reports.replay import Replay, ledger_listing, replay_term, report
from tests.builders import constituted, envelope, person, places, record

NORD = "nordjylland/2022"
TODAY = date(2026, 1, 1)


def replayed(term: Term, until: date | None = None) -> Replay:
    return replay_term(str(term.term_id), term.facts, until, today=TODAY)


def texts(replay: Replay, event_type: str) -> list[str]:
    step = next(s for s in replay.steps if s.type == event_type)
    return [c["text"] for c in step.consequences]


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- consequences ---------------------------------------------------------------------------


def test_each_fact_is_listed_with_who_left_and_who_entered() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    replay = replayed(term)
    assert [s.type for s in replay.steps] == ["TermConstituted", "MembershipEnded"]
    assert texts(replay, "MembershipEnded") == [
        "Member 1 (member-1) leaves party:v:1 (resigned)",
        "Sub 1 (sub-1) stops being substitute in party:v:1 (succeeded)",
        "Sub 1 (sub-1) becomes member of party:v:1",
    ]
    assert replay.steps[1].consequences[2]["reason"] == "B1.13"


def test_a_leave_shows_who_acts_and_the_return_shows_who_steps_back() -> None:
    term = constituted()
    record(term, LeaveStarted, "2023-03-01", person_id="member-1",
           expected_until=date(2023, 9, 1), reason="health", decided_on=date(2023, 3, 9))
    record(term, LeaveEnded, "2023-09-01", person_id="member-1")
    replay = replayed(term)
    assert texts(replay, "LeaveStarted") == [
        "Member 1 (member-1) goes on leave (B1.7, expected until 2023-09-01)",
        "Sub 1 (sub-1) acts in party:v:1"]
    assert "Sub 1 (sub-1) stops acting in party:v:1 (stepped_back)" in texts(replay,
                                                                               "LeaveEnded")


def test_a_temporary_chair_hands_the_role_back_in_a_step_of_its_own() -> None:
    term = constituted()
    record(term, ChairElected, "2023-03-01", role="chair", person_id="mayor-thisted",
           until=date(2023, 9, 1))
    step = replayed(term).steps[-1]
    assert (step.event_id, step.type, step.effective) == \
        (None, "TemporaryPeriodEnded", d("2023-09-01"))
    assert [c["text"] for c in step.consequences] == [
        "Mayor Thisted (mayor-thisted) is no longer chair (temporary_period_ended)",
        "Mayor Aalborg (mayor-aalborg) becomes chair"]


def test_replay_until_a_date_leaves_out_the_later_facts() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    replay = replayed(term, until=d("2023-05-31"))
    assert [s.type for s in replay.steps] == ["TermConstituted"]
    assert replay.checked == (d("2022-01-20"), d("2023-05-31"))


def test_a_retracted_fact_is_left_out_and_listed_with_its_retraction() -> None:
    term = constituted()
    wrong = record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    retraction = term.retract(envelope("2023-06-02"), wrong.event_id, "wrong person")
    replay = replayed(term)
    assert [s.type for s in replay.steps] == ["TermConstituted"]
    assert [(s.event_id, s.corrected_by) for s in replay.retracted] == \
        [(wrong.event_id, retraction.event_id)]


def test_the_replayed_timeline_is_the_fold_of_the_same_facts() -> None:
    term = constituted()
    record(term, MembershipEnded, "2023-06-01", person_id="member-1", reason="resigned")
    record(term, SubstituteAppointed, "2023-07-01", person=person("new-sub", "Thisted", "V"),
           for_member="sub-1")
    folded = fold(NORD, term.facts)
    assert sorted(replayed(term).listing) == sorted(Replay(NORD, None, folded).listing)


# -- the daily invariant check ----------------------------------------------------------------


def checked(*extra: Interval) -> list[tuple[str, str, date, date | None]]:
    """The invariant violations of a constituted term with `extra` intervals forced in."""
    builder = fold(NORD, constituted().facts)
    for interval in extra:
        builder.add_interval(interval)
    found, _days = check_daily(NORD, builder, None, TODAY)
    return [(f.rule, f.check, f.start, f.end) for f in found]


def test_a_term_kept_by_the_statute_passes_the_daily_check() -> None:
    assert checked() == []
    assert replayed(constituted()).checked == (d("2022-01-20"), TODAY)


def test_a_person_in_two_places_is_found_for_the_days_it_lasts() -> None:
    extra = Interval("substitute", "party:c:1", "member-1", d("2023-01-01"), d("2023-02-01"))
    assert ("B1.2", "person_in_two_places", d("2023-01-01"), d("2023-02-01")) in checked(extra)


def test_a_seat_with_two_members_is_found() -> None:
    extra = Interval("member", "party:v:1", "someone", d("2023-01-01"), None)
    assert ("B1.2", "seat_with_two_members", d("2023-01-01"), None) in checked(extra)


def test_a_role_held_by_someone_who_is_no_member_is_found() -> None:
    extra = Interval("role", "", "sub-1", d("2023-01-01"), d("2023-03-01"), {"role": "chair"})
    assert checked(extra) == [
        ("B1.4", "role_not_held_by_member", d("2023-01-01"), d("2023-03-01"))]


def test_acting_by_someone_other_than_the_seats_substitute_is_found() -> None:
    extra = Interval("acting", "party:v:1", "sub-2", d("2023-01-01"), d("2023-02-01"))
    assert ("B1.2", "acting_not_by_substitute", d("2023-01-01"), d("2023-02-01")) in \
        checked(extra)


def test_one_person_as_chair_and_vice_chair_is_found() -> None:
    extra = Interval("role", "", "member-0", d("2023-01-01"), None, {"role": "chair"})
    assert ("B1.4", "two_roles", d("2023-01-01"), None) in checked(extra)


def test_a_fact_the_fold_refused_is_a_violation_and_marked_on_its_step() -> None:
    term = constituted()
    bad = LeaveEnded(originator_id=term.id, originator_version=2, effective=d("2023-01-01"),
                     timestamp=datetime.now(UTC), person_id="member-1")
    replay = replay_term(NORD, [*term.facts, bad], today=TODAY)
    assert replay.steps[-1].refused and replay.steps[-1].consequences == []
    assert [(v.check, v.events) for v in replay.violations] == \
        [("unapplied_fact", (bad.event_id,))]


# -- replay equals ledger -----------------------------------------------------------------------


def store_facts(store: Ledger, *changes: tuple[type[Fact], str, dict[str, Any]]) -> None:
    """Given the term constituted in the store, with `changes` recorded one by one."""
    term_id = TermId.parse(NORD)
    store.execute(lambda unit: unit.constitute(term_id, envelope("2022-01-20"), places(),
                                               chair="mayor-aalborg", vice_chair="member-0"))
    add_facts(store, *changes)


def add_facts(store: Ledger, *changes: tuple[type[Fact], str, dict[str, Any]]) -> None:
    for event_class, day, payload in changes:
        def work(unit: UnitOfWork, c: type[Fact] = event_class, t: str = day,
                 p: dict[str, Any] = payload) -> None:
            unit.term(TermId.parse(NORD)).record_fact(c, envelope(t), **p)

        store.execute(work)


CHANGES: tuple[tuple[type[Fact], str, dict[str, Any]], ...] = (
    (LeaveStarted, "2023-03-01", {"person_id": "member-2", "expected_until": date(2023, 9, 1),
                                  "reason": "health", "decided_on": date(2023, 3, 9)}),
    (MembershipEnded, "2023-06-01", {"person_id": "member-1", "reason": "resigned"}),
    (LeaveEnded, "2023-09-01", {"person_id": "member-2"}),
    (ChairElected, "2023-10-01", {"role": "chair", "person_id": "mayor-thisted",
                                  "until": date(2024, 3, 1)}),
)


def ledger_report(store: Ledger, projector: Projector, moment: datetime | None = None,
                  until: date | None = None) -> dict[str, Any]:
    projector.catch_up()
    moment = moment or datetime.now(UTC)
    facts = [f for f in store.stream(TermId.parse(NORD).uuid) if f.timestamp <= moment]
    with projector.engine.connect() as conn:
        listing = ledger_listing(conn, NORD, moment, until)
    return report(replay_term(NORD, facts, until, today=TODAY), listing, moment)


def test_the_replay_of_a_stored_term_equals_the_projection(store: Ledger,
                                                           projector: Projector) -> None:
    store_facts(store, *CHANGES)
    result = ledger_report(store, projector)
    assert result["matches_ledger"] and result["digest"] == result["ledger_digest"]
    assert result["violations"] == [] and result["differences"] == []
    assert [e["type"] for e in result["events"]][-1] == "TemporaryPeriodEnded"


def test_a_replay_until_a_date_equals_the_projection_seen_up_to_that_date(
        store: Ledger, projector: Projector) -> None:
    store_facts(store, *CHANGES)
    for until in ("2023-05-31", "2023-06-01", "2023-12-31"):
        assert ledger_report(store, projector, until=d(until))["matches_ledger"], until


def test_a_replay_known_at_a_moment_equals_the_projection_known_then(
        store: Ledger, projector: Projector) -> None:
    store_facts(store, *CHANGES[:2])
    projector.catch_up()
    moment = datetime.now(UTC)
    add_facts(store, *CHANGES[2:])
    earlier = ledger_report(store, projector, moment)
    assert earlier["matches_ledger"]
    assert [e["type"] for e in earlier["events"]][-1] == "MembershipEnded"


def test_a_tampered_projection_row_makes_the_replay_differ_from_the_ledger(
        store: Ledger, projector: Projector) -> None:
    store_facts(store, *CHANGES)
    projector.catch_up()
    with projector.engine.begin() as conn:
        conn.execute(update(intervals).where(intervals.c.person_id == "sub-1",
                                             intervals.c.kind == "member")
                     .values(valid_from=date(2023, 5, 1)))
    result = ledger_report(store, projector)
    assert not result["matches_ledger"] and result["digest"] != result["ledger_digest"]
    assert {x["only_in"] for x in result["differences"]} == {"replay", "ledger"}
    assert all("sub-1" in x["row"] for x in result["differences"])
