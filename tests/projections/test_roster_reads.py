"""The roster's indexed read: known at a moment just past, the people it names, its indexes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, inspect, text

from ledger.events import LeaveEnded, LeaveStarted, MembershipEnded
from ledger.store.application import Ledger
from ledger.values import TermId
from projections.readmodel.catchup import Projector
from projections.readmodel.tables import OBSOLETE_INDEXES, intervals
from projections.views.reads import roster_rows
from projections.views.roster import roster_of_term
from tests.builders import envelope, places
from tests.conftest import PG_URL
from tests.e2e.test_readonly_role import grant_reader

TERM = TermId.parse("nordjylland/2022")


def status_of(projector: Projector, person_id: str, day: date, moment: datetime) -> str:
    with projector.engine.connect() as conn:
        roster = roster_of_term(conn, str(TERM), day, moment)
    return next(s["status"] for s in roster["seats"]
                if s["member"] and s["member"]["person_id"] == person_id)


def test_a_roster_known_at_a_moment_just_past_leaves_out_what_was_recorded_since(
    store: Ledger, projector: Projector
) -> None:
    # given a member on leave, a moment, and then the end of that leave recorded
    store.execute(lambda u: u.constitute(TERM, envelope("2022-01-20"), places()))
    store.execute(lambda u: u.term(TERM).record_fact(
        LeaveStarted, envelope("2022-03-01"), person_id="member-0",
        expected_until=date(2022, 8, 1), reason="health"))
    projector.catch_up()
    moment = datetime.now(UTC)
    store.execute(lambda u: u.term(TERM).record_fact(
        LeaveEnded, envelope("2022-06-01"), person_id="member-0"))
    projector.catch_up()
    # when the roster of a day after the leave ended is asked at that moment and now
    then = status_of(projector, "member-0", date(2022, 7, 1), moment)
    now = status_of(projector, "member-0", date(2022, 7, 1), datetime.now(UTC))
    # then the moment shows the leave as the ledger knew it, now shows it ended
    assert (then, now) == ("on_leave", "active")


def test_a_roster_reads_the_person_rows_of_the_people_it_names_only(
    store: Ledger, projector: Projector
) -> None:
    # given a substitute who left the KKR
    store.execute(lambda u: u.constitute(TERM, envelope("2022-01-20"), places()))
    store.execute(lambda u: u.term(TERM).record_fact(
        MembershipEnded, envelope("2022-03-01"), person_id="sub-0", reason="resigned"))
    projector.catch_up()
    # when the rows of a roster after that day are read
    with projector.engine.connect() as conn:
        rows = roster_rows(conn, str(TERM), date(2022, 4, 1), datetime.now(UTC))
    # then there are person rows for the people in a place, not for the one who left
    people = {r.person_id for r in rows if r.kind == "person"}
    named = {r.person_id for r in rows if r.kind in ("member", "substitute", "acting", "role")}
    assert people == named and "member-0" in people and "sub-0" not in people


NEW_INDEXES = {"kkr_intervals_current_on", "kkr_intervals_closed", "kkr_intervals_terms"}


def with_indexes_of_the_version_before(projector: Projector) -> None:
    with projector.engine.begin() as conn:
        for name in NEW_INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))
        conn.execute(text("CREATE INDEX kkr_intervals_current ON kkr_intervals "
                          "(term, valid_from) WHERE recorded_to IS NULL"))
        conn.execute(text("CREATE INDEX kkr_intervals_by_term ON kkr_intervals "
                          "(term, valid_from)"))
        conn.execute(text("CREATE INDEX kkr_intervals_by_region ON kkr_intervals "
                          "(region, kind, valid_from)"))


def test_an_existing_database_gets_the_roster_indexes_and_loses_the_ones_they_replace(
    store: Ledger, projector: Projector
) -> None:
    # given a database with the interval indexes of the version before
    with_indexes_of_the_version_before(projector)
    # when a projector opens it
    Projector(store)
    # then the new indexes are there and the replaced ones are gone
    names = {i["name"] for i in inspect(projector.engine).get_indexes(intervals.name)}
    assert names >= NEW_INDEXES and not names & set(OBSOLETE_INDEXES)


@pytest.mark.skipif(not PG_URL, reason="a PostgreSQL role; runs in the PostgreSQL pass")
def test_a_read_only_role_reads_a_database_whose_indexes_are_of_the_version_before(
    db_url: str, store: Ledger, projector: Projector
) -> None:
    # given a term projected by the owner, with the interval indexes of the version before
    store.execute(lambda u: u.constitute(TERM, envelope("2022-01-20"), places()))
    projector.catch_up()
    with_indexes_of_the_version_before(projector)
    # when a role that may only read opens it and asks for a roster
    reader = Ledger(grant_reader(db_url))
    try:
        roster = roster_of_term_as(Projector(reader))
    finally:
        reader.close()
    # then it answers from the tables as they are, which stay as they were
    assert roster["term"] == str(TERM)
    owner = create_engine(db_url)
    names = {i["name"] for i in inspect(owner).get_indexes(intervals.name)}
    owner.dispose()
    assert "kkr_intervals_by_term" in names and not NEW_INDEXES & names


def roster_of_term_as(projector: Projector) -> dict[str, object]:
    with projector.engine.connect() as conn:
        return roster_of_term(conn, str(TERM), date(2023, 1, 1), datetime.now(UTC))
