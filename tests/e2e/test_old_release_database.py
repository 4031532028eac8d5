"""A database made by an earlier release (0.1) keeps loading, verifying and answering."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from tests.e2e.test_cli import run

RELEASE_0_1 = Path(__file__).parent.parent / "data" / "release-0.1-demo.sqlite.gz"
MOMENT = "2026-12-31T00:00:00+00:00"


@pytest.fixture
def old_database(tmp_path: Path) -> str:
    path = tmp_path / "old.sqlite"
    with gzip.open(RELEASE_0_1) as packed, path.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    return f"sqlite:///{path}"


def reading(db_url: str) -> list[str]:
    """What the reading commands answer, as JSON text."""
    calls = [["roster", "--all", "--on", "2023-06-01"], ["who", "rasmus-vestergaard-poulsen"],
             ["audit", "--on", "2023-06-01"], ["trail"], ["diff", "nordjylland/2022", "--from",
                                                          "2022-02-01", "--to", "2025-01-01"]]
    answers = []
    for call in calls:
        result = run(db_url, *call, "--known-at", MOMENT, "--json")
        assert result.exit_code == 0, (call, result.output)
        answers.append(result.stdout)
    return answers


def test_the_events_of_release_0_1_verify(old_database: str) -> None:
    result = run(old_database, "verify", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events_checked"] == 40


def test_the_projection_of_release_0_1_answers_as_a_rebuild_does(old_database: str) -> None:
    # given the projection as release 0.1 wrote it, read by this release
    before = reading(old_database)
    # when this release rebuilds it from the stored events
    assert run(old_database, "rebuild").exit_code == 0
    # then every reading command answers the same
    assert reading(old_database) == before
    roster = json.loads(before[0])
    assert [r["term"] for r in roster["rosters"]][-1] == "nordjylland/2022"
