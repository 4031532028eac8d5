"""A damaged event row is named in one line (exit 4); readers keep answering meanwhile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import constitution_line
from tests.e2e.test_cli import run, write_batch
from tests.e2e.test_tamper import stream_param, tamper

TERM = "nordjylland/2022"
ROWS = {
    "an unknown topic": ("ledger.events:NoSuchEvent", b'{"effective": "2023-01-01"}'),
    "bytes that are not the event": ("ledger.events:LeaveEnded", b"\x00\xff not json"),
}


@pytest.fixture(params=sorted(ROWS))
def damaged(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> str:
    """Given a projected term, then a row appended to its stream that cannot be read."""
    batch = write_batch(tmp_path, constitution_line(TERM, "2022-01-20"))
    assert run(db_url, "apply", batch).exit_code == 0
    trail = json.loads(run(db_url, "trail", TERM, "--json").stdout)
    stream = trail["events"][0]["event_id"].split(":")[0]
    topic, state = ROWS[request.param]
    tamper(db_url, "INSERT INTO kkr_events (originator_id, originator_version, topic, state) "
           "VALUES (:o, 2, :t, :s)", o=stream_param(db_url, stream), t=topic, s=state)
    return db_url


@pytest.mark.parametrize("command", [["trail"], ["trail", TERM], ["rebuild"],
                                     ["replay", TERM], ["audit", TERM]])
def test_a_command_that_reads_the_damaged_event_names_it_and_exits_4(
    damaged: str, command: list[str]
) -> None:
    result = run(damaged, *command)
    assert result.exit_code == 4, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and ":2 cannot be read" in errors[0] and "kkr verify" in errors[0]
    assert "Traceback" not in result.stderr


def test_a_roster_answers_from_the_projection_as_last_committed(damaged: str) -> None:
    result = run(damaged, "roster", "nordjylland", "--on", "2023-06-01", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["term"] == TERM
    assert "cannot be read" in result.stderr and "lacks the 1 latest event" in result.stderr
