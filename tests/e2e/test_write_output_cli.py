"""Write commands print the ids of the events they stored, as lines or as JSON (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli.main import kkr
from tests.builders import constitution_line

TERM = "nordjylland/2022"
LEAVE = ["leave", "start", TERM, "member-0", "--effective", "2023-03-01", "--until",
         "2023-09-01", "--reason", "health"]


def run(db_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args], input=stdin)


def stored(result: Result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.output
    events: list[dict[str, str]] = json.loads(result.stdout)["events"]
    return events


@pytest.fixture
def constituted(db_url: str) -> str:
    """Given Nordjylland 2022 constituted through `kkr apply -`."""
    result = run(db_url, "apply", "-", stdin=json.dumps(constitution_line(TERM, "2022-01-20")))
    assert result.exit_code == 0, result.output
    return db_url


def test_apply_prints_the_id_of_each_stored_event(db_url: str) -> None:
    # when a constitution is applied
    result = run(db_url, "apply", "-", stdin=json.dumps(constitution_line(TERM, "2022-01-20")))
    # then stdout names the stored event by id, term and type
    event_id, term, kind = result.stdout.split()
    assert (term, kind) == (TERM, "TermConstituted") and event_id.endswith(":1")


def test_a_change_prints_its_event_and_json_gives_the_same(constituted: str) -> None:
    # when a leave is recorded, then ended with --json
    started = run(constituted, *LEAVE)
    ended = stored(run(constituted, "leave", "end", TERM, "member-0", "--effective",
                       "2023-08-01", "--json"))
    # then each names its event, the next version of the term's stream
    assert started.stdout.split()[1:] == [TERM, "LeaveStarted"]
    assert ended == [{"event_id": started.stdout.split()[0][:-1] + "3", "term": TERM,
                      "type": "LeaveEnded"}]


def test_a_correction_prints_the_event_it_stored(constituted: str) -> None:
    # given a leave recorded
    leave = run(constituted, *LEAVE).stdout.split()[0]
    # when it is retracted
    events = stored(run(constituted, "retract", leave, "--reason", "reported twice", "--json"))
    # then the retraction is the stored event
    assert [e["type"] for e in events] == ["EventRetracted"]


def test_a_repeated_command_id_stores_nothing_and_says_so_in_json(constituted: str) -> None:
    # given a leave recorded with a command id
    assert run(constituted, *LEAVE, "--command-id", "c-1").exit_code == 0
    # when the same command is given again
    again = json.loads(run(constituted, *LEAVE, "--command-id", "c-1", "--json").stdout)
    # then no event is stored and the command id is listed as skipped
    assert again == {"events": [], "applied": 0, "skipped": ["c-1"]}


def test_demo_prints_a_count_and_json_lists_every_event(tmp_path: Path) -> None:
    # when the demo is loaded into two databases, once plainly and once with --json
    plain = run(f"sqlite:///{tmp_path / 'a.sqlite'}", "demo")
    events = stored(run(f"sqlite:///{tmp_path / 'b.sqlite'}", "demo", "--json"))
    # then the plain output is one summary line with the count, and JSON has every id
    streams = len({e["term"] for e in events})  # the terms, bodies and council stream
    assert plain.stdout.startswith(f"stored {len(events)} events in {streams} term(s): ")
    assert len(plain.stdout.splitlines()) == 1
    assert len({e["event_id"] for e in events}) == len(events) > 20
