"""Exports: membership rows on a date or for a whole term, as flat rows, CSV and Popolo."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from ledger.errors import NotFound
from ledger.events import LeaveStarted, MembershipEnded
from ledger.store.application import Ledger, UnitOfWork
from ledger.values import TermId
from projections.readmodel.catchup import Projector
from projections.views.export import (
    CSV_COLUMNS,
    TermRows,
    csv_rows,
    load_terms,
    memberships,
    plain,
    popolo,
    select_terms,
)
from tests.builders import envelope, places

NORD = "nordjylland/2022"


@pytest.fixture
def loaded(store: Ledger, projector: Projector) -> list[TermRows]:
    """Given Nordjylland 2022 with a leave from 2023-03-01 and a departure on 2023-06-01."""
    term = TermId.parse(NORD)

    def work(unit: UnitOfWork) -> None:
        unit.constitute(term, envelope("2022-01-20"), places(), chair="mayor-aalborg",
                        vice_chair="member-0")
        unit.term(term).record_fact(LeaveStarted, envelope("2023-03-01"), person_id="member-2",
                                    expected_until=date(2023, 9, 1), reason="health",
                                    decided_on=date(2023, 3, 9))
        unit.term(term).record_fact(MembershipEnded, envelope("2023-06-01"),
                                    person_id="member-1", reason="resigned")

    store.execute(work)
    projector.catch_up()
    with projector.engine.connect() as conn:
        return load_terms(conn, [NORD], datetime.now(UTC))


def of(rows: list[dict[str, Any]], person_id: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["person_id"] == person_id]


def test_memberships_on_a_date_list_members_substitutes_acting_and_roles(
        loaded: list[TermRows]) -> None:
    rows = memberships(loaded, date(2023, 4, 1))
    assert {r["role"] for r in rows} == {"member", "substitute", "acting substitute", "chair",
                                         "vice chair"}
    assert len([r for r in rows if r["role"] == "member"]) == 16
    [acting] = [r for r in rows if r["role"] == "acting substitute"]
    assert (acting["person_id"], acting["substitute_for"]) == ("sub-2", ["member-2"])


def test_a_membership_that_ended_carries_its_last_day_and_reason(
        loaded: list[TermRows]) -> None:
    [member] = [r for r in of(memberships(loaded, None), "member-1")]
    assert (member["start_date"], member["end_date"], member["end_reason"]) == \
        ("2022-01-20", "2023-05-31", "resigned")
    assert of(memberships(loaded, date(2023, 6, 1)), "member-1") == []


def test_a_membership_is_on_behalf_of_the_party_that_elected_the_place(
        loaded: list[TermRows]) -> None:
    [member] = [r for r in of(memberships(loaded, date(2023, 4, 1)), "member-1")]
    assert (member["party"], member["on_behalf_of_id"], member["post_id"]) == \
        ("V", "party/v", "nordjylland/2022/party:v:1")


def test_popolo_has_persons_organizations_posts_and_memberships(
        loaded: list[TermRows]) -> None:
    doc = popolo(loaded, date(2023, 4, 1))
    assert set(doc) == {"persons", "organizations", "posts", "memberships"}
    kinds = {o["classification"] for o in doc["organizations"]}
    assert kinds == {"kkr", "party"} and doc["organizations"][0]["id"] == "kkr/nordjylland/2022"
    assert len(doc["posts"]) == 16
    person_ids = {p["id"] for p in doc["persons"]}
    assert all(m["person_id"] in person_ids for m in doc["memberships"])
    parties = {o["id"] for o in doc["organizations"]}
    assert all(m["on_behalf_of_id"] in parties for m in doc["memberships"])


def test_popolo_links_a_substitute_to_the_membership_of_the_member_served(
        loaded: list[TermRows]) -> None:
    doc = popolo(loaded, date(2023, 4, 1))
    ids = {m["id"]: m for m in doc["memberships"]}
    [substitute] = [m for m in doc["memberships"] if m["person_id"] == "sub-3"
                    and m["role"] == "substitute"]
    [served] = substitute["substitute_for_id"]
    assert ids[served]["person_id"] == "member-3" and ids[served]["role"] == "member"
    assert all("substitute_for_id" not in m for m in doc["memberships"]
               if m["role"] == "member")


def test_csv_rows_are_the_membership_rows(loaded: list[TermRows]) -> None:
    day = date(2023, 4, 1)
    rows = csv_rows(loaded, day)
    assert len(rows) == len(memberships(loaded, day))
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    assert plain(loaded, day, datetime.now(UTC))["memberships"] == memberships(loaded, day)


def test_terms_are_selected_by_name_region_or_date(store: Ledger,
                                                   projector: Projector) -> None:
    store.execute(lambda unit: unit.constitute(TermId.parse(NORD), envelope("2022-01-20"),
                                               places(), chair="mayor-aalborg"))
    projector.catch_up()
    now = datetime.now(UTC)
    with projector.engine.connect() as conn:
        assert select_terms(conn, now, date(2023, 1, 1), region="nordjylland") == [NORD]
        assert select_terms(conn, now, None) == [NORD]
        with pytest.raises(NotFound, match="was not in force on 2021-06-01"):
            select_terms(conn, now, date(2021, 6, 1), term=NORD)
        with pytest.raises(NotFound, match="KKR Sjælland"):
            select_terms(conn, now, date(2023, 1, 1), region="sjaelland")
