"""Constitutions recorded in any order give one timeline: each term ends the day the next
term of its region is constituted (B1.3), whichever arrived first (issue 22)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.builders import constitution_line
from tests.conftest import fresh_db_url
from tests.e2e.test_cli import run, write_batch

TERMS = (("syddanmark/2010", "2010-01-20"), ("syddanmark/2014", "2014-01-22"),
         ("syddanmark/2018", "2018-01-18"))
ASKED = {"2011-06-01": "syddanmark/2010", "2014-01-21": "syddanmark/2010",
         "2014-01-22": "syddanmark/2014", "2017-06-01": "syddanmark/2014",
         "2019-06-01": "syddanmark/2018"}


def terms_in_force(db_url: str) -> dict[str, str]:
    answers = {}
    for day in ASKED:
        result = run(db_url, "roster", "syddanmark", "--on", day, "--json")
        assert result.exit_code == 0, result.output
        answers[day] = json.loads(result.stdout)["term"]
    return answers


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_constitutions_in_any_order_give_the_same_timeline(store_folder: Path,
                                                           order: tuple[int, ...]) -> None:
    # given the three constitutions, each applied on its own, in this order
    folder = store_folder / "".join(map(str, order))
    folder.mkdir()
    db_url = fresh_db_url(folder)
    for index in order:
        term, day = TERMS[index]
        own = folder / str(index)
        own.mkdir()
        result = run(db_url, "apply", write_batch(own, constitution_line(term, day)))
        assert result.exit_code == 0, result.output
    # then each day is answered by the term in force in date order
    assert terms_in_force(db_url) == ASKED
    # and no two terms of the region are found in force together
    audit = json.loads(run(db_url, "audit", "syddanmark/2010", "--json").stdout)
    assert not [f for f in audit["findings"] if f["check"] == "terms_overlap"]
