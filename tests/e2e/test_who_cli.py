"""`kkr who` and `kkr explain`: roles and leaves of each place, people found however spelled."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.builders import constitution_line
from tests.e2e.test_cli import run, write_batch

TERM = "nordjylland/2022"


def with_person(line: dict[str, Any], index: int, person_id: str, name: str) -> dict[str, Any]:
    line["members"][index]["person"].update(person_id=person_id, name=name)
    return line


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    """Given Nordjylland 2022 whose chair is `mayor-morsoe` and a member named Søren Holm
    (`soeren-holm`) who goes on leave in 2023."""
    constitution = with_person(constitution_line(TERM, "2022-01-20"), 12, "soeren-holm",
                               "Søren Holm")
    leave = {"command": "start_leave", "term": TERM, "effective": "2023-03-01",
             "person_id": "soeren-holm", "expected_until": "2023-09-01", "reason": "business"}
    back = {"command": "end_leave", "term": TERM, "effective": "2023-08-01",
            "person_id": "soeren-holm"}
    chair = {"command": "elect_chair", "term": TERM, "effective": "2024-02-01",
             "role": "chair", "person_id": "mayor-aalborg"}
    result = run(db_url, "apply", write_batch(tmp_path, constitution, leave, back, chair))
    assert result.exit_code == 0, result.output
    return db_url


def test_who_lists_the_roles_of_a_place_with_their_dates(loaded: str) -> None:
    # when the chair of the constitution is looked up
    places = json.loads(run(loaded, "who", "mayor-morsoe", "--json").stdout)["places"]
    # then the chair role is listed from the constitution to the next election
    assert places[0]["roles"] == [{"role": "chair", "from": "2022-01-20", "to": "2024-02-01"}]
    table = run(loaded, "who", "mayor-morsoe").stdout
    assert "chair 2022-01-20..2024-02-01" in table


def test_who_lists_the_leaves_of_a_place(loaded: str) -> None:
    places = json.loads(run(loaded, "who", "soeren-holm", "--json").stdout)["places"]
    assert [(lv["from"], lv["to"]) for lv in places[0]["leaves"]] == [("2023-03-01",
                                                                        "2023-08-01")]
    assert "2023-03-01..2023-08-01" in run(loaded, "who", "soeren-holm").stdout


@pytest.mark.parametrize("spelling", ["soren-holm", "søren-holm", "Søren Holm", "soeren holm"])
def test_who_finds_a_person_however_danish_letters_are_spelled(loaded: str,
                                                               spelling: str) -> None:
    result = run(loaded, "who", spelling, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["person_id"] == "soeren-holm"


def test_explain_finds_a_person_by_name(loaded: str) -> None:
    result = run(loaded, "explain", "Soren Holm", "--on", "2023-04-01", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "on_leave"


def test_a_spelling_that_fits_several_people_lists_them(db_url: str, tmp_path: Path) -> None:
    # given two people whose names differ only in how ø is spelled
    line = with_person(constitution_line(TERM, "2022-01-20"), 12, "soeren-holm", "Søren Holm")
    line = with_person(line, 13, "soren-holm", "Soren Holm")
    assert run(db_url, "apply", write_batch(tmp_path, line)).exit_code == 0
    # when one is asked for by an exact id, that one answers
    assert json.loads(run(db_url, "who", "soren-holm", "--json").stdout)["person_id"] == \
        "soren-holm"
    # when a spelling fits both, both are named and nothing is guessed
    result = run(db_url, "who", "Søren Holm")
    assert result.exit_code == 1
    assert "soeren-holm (Søren Holm), soren-holm (Soren Holm)" in result.stderr


def test_nobody_of_that_name_is_not_found(loaded: str) -> None:
    result = run(loaded, "who", "nobody-at-all")
    assert result.exit_code == 1 and "no person 'nobody-at-all'" in result.stderr


def test_a_role_spanning_two_places_shows_under_each_for_its_own_part() -> None:
    # given a chair role held across two member places of one term
    from datetime import date

    from projections.views.reads import Row
    from projections.views.who import _place

    def row(kind: str, seat: str, start: str, end: str | None, role: str = "") -> Row:
        return Row(TERM, "nordjylland", kind, seat, "p", role, date.fromisoformat(start),
                   date.fromisoformat(end) if end else None, "{}")

    first, second = row("member", "mayor:aalborg", "2022-01-20", "2023-06-01"), \
        row("member", "party:a:1", "2023-06-01", None)
    chair = row("role", "", "2022-01-20", "2024-01-01", "chair")
    # when the places are listed, then each shows the role within its own dates
    assert _place(first, [first, second, chair])["roles"] == [
        {"role": "chair", "from": "2022-01-20", "to": "2023-06-01"}]
    assert _place(second, [first, second, chair])["roles"] == [
        {"role": "chair", "from": "2023-06-01", "to": "2024-01-01"}]
