"""Every subcommand answers --help without a warning; every write command works once for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from commands.cli.main import kkr
from tests.builders import constitution_line
from tests.e2e.test_cli import all_commands, run, write_batch

READING = {"roster", "who", "rebuild", "seats", "trail", "explain", "diff", "verify", "digest",
           "audit", "replay", "export", "mandates", "bluebook"}
TERM = "nordjylland/2022"
CORRECTIONS = {"EventRetracted", "EventRedated"}


def leaf_commands() -> list[str]:
    groups = {name for name, command in all_commands() if " " in name}
    return sorted(name for name, _ in all_commands()
                  if " " in name or not any(g.startswith(f"{name} ") for g in groups))


@pytest.mark.parametrize("name", [name for name, _ in all_commands()])
def test_every_command_answers_help_and_h_without_a_warning(name: str) -> None:
    # given pytest turns every warning into an error (pyproject: filterwarnings = error)
    for flag in ("--help", "-h"):
        # when the help of the command is asked for
        result = CliRunner().invoke(kkr, [*name.split(), flag])
        # then it is printed, and nothing else went wrong
        assert result.exit_code == 0, (flag, result.output, result.exception)
        assert "Usage: kkr" in result.stdout and "Example:" in result.stdout


def test_the_installed_command_prints_no_warning_with_warnings_as_errors() -> None:
    # given a real process where every warning is an error
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    for args in (["--help"], ["mayor", "change", "--help"], ["leave", "start", "--help"]):
        # when the help is printed
        done = subprocess.run([sys.executable, "-c", "from commands.cli.main import main; main()",
                               *args], capture_output=True, text=True, env=env, check=False)
        # then it is on stdout and stderr is empty
        assert done.returncode == 0 and done.stderr == "", (args, done.stderr)


def stored_events(db_url: str) -> int:
    trail = run(db_url, "trail", "--json")
    if trail.exit_code == 1 and "no ledger at" in trail.stderr:
        return 0  # nothing written yet: the first write makes the file
    assert trail.exit_code == 0, trail.output
    return len(json.loads(trail.stdout)["events"])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def seat_of(db_url: str, person_id: str, on: str) -> str:
    roster = json.loads(ok(run(db_url, "roster", TERM, "--on", on, "--json")).stdout)
    for seat in roster["seats"]:
        holders = (seat["member"], seat["acting"], seat["substitute"])
        if any(h and h["person_id"] == person_id for h in holders):
            return str(seat["seat"])
    raise AssertionError(f"{person_id} holds no seat on {on}")


def write_calls(db_url: str, tmp_path: Path) -> dict[str, list[str]]:
    """One real call of each write command, in an order in which each is allowed."""
    document = constitution_line(TERM, "2022-01-20")
    del document["command"], document["term"]
    constitution = tmp_path / "constitution.yaml"
    constitution.write_text(yaml.safe_dump(document, allow_unicode=True))
    earlier = write_batch(tmp_path, constitution_line("nordjylland/2018", "2018-01-18"))
    person = ["--name", "Ny Person", "--municipality", "Aalborg", "--party", "A"]
    return {
        "constitute": ["constitute", TERM, "--file", str(constitution)],
        "apply": ["apply", earlier],
        "leave start": ["leave", "start", TERM, "member-1", "--effective", "2023-03-01",
                        "--until", "2023-09-01", "--reason", "health"],
        "leave end": ["leave", "end", TERM, "member-1", "--effective", "2023-08-15"],
        "party-change": ["party-change", TERM, "member-2", "V", "--effective", "2023-05-01"],
        "end-membership": ["end-membership", TERM, "member-3", "--effective", "2023-06-01",
                           "--reason", "resigned", "--successor-declines"],
        "member appoint": ["member", "appoint", TERM, "--basis", "successor_declined",
                           "--seat", "{seat of sub-3}", "--person-id", "ny-medlem", *person,
                           "--effective", "2023-07-01"],
        "substitute appoint": ["substitute", "appoint", TERM, "--for", "sub-2", "--person-id",
                               "ny-stedfortraeder", *person, "--effective", "2023-07-01"],
        "mayor change": ["mayor", "change", TERM, "Aalborg", "--person-id", "lis-holm",
                         "--name", "Lis Holm", "--party", "A", "--effective", "2023-11-01"],
        "chair elect": ["chair", "elect", TERM, "vice_chair", "member-4",
                        "--effective", "2023-12-01"],
        **body_calls(person),
        "redate": ["redate", "{last fact}", "--effective", "2023-12-05", "--reason", "typo"],
        "retract": ["retract", "{last fact}", "--reason", "never happened"],
    }


def body_calls(person: list[str]) -> dict[str, list[str]]:
    """The mandates' write commands (design/mandates.md), in an order they are allowed."""
    rar = ["rar-nordjylland", "--effective", "2023-02-01"]
    return {
        "body register": ["body", "register", *rar, "--name", "RAR", "--region", "nordjylland"],
        "body posts": ["body", "posts", *rar, "--seats", "2"],
        "body allocate": ["body", "allocate", *rar, "--group", "A=9", "--group", "V=5"],
        "body designate": ["body", "designate", *rar, "--person-id", "ny-udpeget", *person],
        "end-council-membership": ["end-council-membership", "member-4", "--reason",
                                   "left_council", "--effective", "2023-12-01"],
        "body end": ["body", "end", "rar-nordjylland", "ny-udpeget", "--reason", "relieved",
                     "--effective", "2023-12-02"],
        "body dissolve": ["body", "dissolve", "rar-nordjylland", "--effective", "2023-12-03"],
    }


def filled(args: list[str], db_url: str) -> list[str]:
    def fill(arg: str) -> str:
        if arg == "{seat of sub-3}":
            return seat_of(db_url, "sub-3", "2023-06-15")
        if arg == "{last fact}":
            events = json.loads(run(db_url, "trail", "--json").stdout)["events"]
            return str(next(e["event_id"] for e in reversed(events)
                            if not e["corrected_by"] and e["type"] not in CORRECTIONS))
        return arg
    return [fill(arg) for arg in args]


def test_every_write_command_stores_events_through_the_cli(db_url: str, tmp_path: Path) -> None:
    # given one call of every write command but demo (below), in an order the statute allows
    calls = write_calls(db_url, tmp_path)
    assert set(calls) | {"demo"} == set(leaf_commands()) - READING, "classify a new command"
    for name, args in calls.items():
        before = stored_events(db_url)
        # when it runs through the CLI
        result = run(db_url, *filled(args, db_url))
        # then it succeeds and stores at least one event
        assert result.exit_code == 0, (name, result.output)
        assert stored_events(db_url) > before, name
        if name == "mayor change":
            # and the new mayor of Aalborg holds the mayor seat
            assert seat_of(db_url, "lis-holm", "2023-11-02") == "mayor:aalborg"


def test_demo_loads_the_demo_data(db_url: str) -> None:
    result = run(db_url, "demo")
    assert result.exit_code == 0, result.output
    assert stored_events(db_url) > 6  # six constitutions and the changes
