"""Errors are one readable line: no strptime formats, no regexes, no escapes (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli.main import kkr
from tests.builders import constitution_line

KKR = str(Path(sys.executable).parent / "kkr")
TERM = "nordjylland/2022"
UNREADABLE = ("%Y", "%m", "^[", "$'", "{0,", "\\n", "\\t", "Invalid value for")


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(kkr, list(args), input=stdin)


def error_of(result: Result) -> str:
    """The single error line, checked for the unreadable bits."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert not [bit for bit in UNREADABLE if bit in lines[0]], lines[0]
    return lines[0]


@pytest.mark.parametrize("args", [
    ["roster", "nordjylland", "--on", "2023-13-01"],
    ["diff", TERM, "--from", "2023/01/01", "--to", "2024-01-01"],
    ["leave", "start", TERM, "x", "--effective", "2023-02-30", "--until", "2023-09-01",
     "--reason", "health"],
    ["redate", "x:1", "--effective", "01-02-2023", "--reason", "r"],
    ["audit", "--to", "2023-1-1"],
])
def test_a_bad_date_option_says_which_option_and_the_form(db_url: str, args: list[str]) -> None:
    # when a command gets a date that is not YYYY-MM-DD
    result = run("--db", db_url, *args)
    # then exit 2 and one line naming the option and the expected form
    assert result.exit_code == 2
    assert "is not a date (YYYY-MM-DD)" in error_of(result)


def test_a_bad_date_reads_like_the_example_of_the_issue(db_url: str) -> None:
    result = run("--db", db_url, "roster", "nordjylland", "--on", "2023-13-01")
    assert error_of(result).startswith("Error: --on: '2023-13-01' is not a date (YYYY-MM-DD)")


def test_a_bad_moment_names_the_option_without_strptime_formats(db_url: str) -> None:
    result = run("--db", db_url, "trail", "--since", "yesterday")
    assert result.exit_code == 2 and "--since: 'yesterday' is not a moment" in error_of(result)


def test_a_bad_choice_is_option_colon_message(db_url: str) -> None:
    result = run("--db", db_url, "roster", "nordjylland", "--format", "xml")
    assert error_of(result).startswith("Error: --format: 'xml' is not one of")


@pytest.mark.parametrize(("field", "value", "said"), [
    ("person_id", "Bad Id", "'Bad Id' is not a person id"),
    ("effective", "2023-02-30", "'2023-02-30' is not a date (YYYY-MM-DD)"),
])
def test_a_bad_field_in_a_batch_is_said_in_words(db_url: str, field: str, value: str,
                                                 said: str) -> None:
    # given a leave line with a bad field
    line = {"command": "start_leave", "term": TERM, "effective": "2023-02-01",
            "person_id": "x", "expected_until": "2023-09-01", "reason": "health", field: value}
    # when it is applied
    result = run("--db", db_url, "apply", "-", stdin=json.dumps(line))
    # then the error says what is wrong in words, not with a regex
    assert result.exit_code == 2 and f"line 1: {field}: {said}" in error_of(result)


def test_a_bad_event_id_is_said_in_words(db_url: str) -> None:
    result = run("--db", db_url, "retract", "nonsense", "--reason", "x")
    assert result.exit_code == 2 and "'nonsense' is not an event id" in error_of(result)


def test_a_broken_json_line_keeps_its_column(db_url: str) -> None:
    result = run("--db", db_url, "apply", "-", stdin='{"command": "start_leave", oops}\n')
    assert result.exit_code == 2 and "line 1: not a JSON object (column 28:" in error_of(result)


@pytest.mark.parametrize(("name", "text", "where"), [
    ("c.yaml", 'effective: 2022-01-20\nmembers: [\n  {person: x: y}\n', "line 3, column 13:"),
    ("c.yaml", "members:\n\t- x\n", "line 2, column 1: found character a tab"),
    ("c.json", '{"effective": "2022-01-20",\n "members": [,]}\n', "line 2, column 14:"),
])
def test_a_broken_constitution_file_keeps_line_and_column(db_url: str, tmp_path: Path,
                                                          name: str, text: str,
                                                          where: str) -> None:
    # given a constitution file that does not parse
    path = tmp_path / name
    path.write_text(text)
    # when it is given to kkr constitute
    result = run("--db", db_url, "constitute", TERM, "--file", str(path))
    # then one line says where it broke
    assert result.exit_code == 2 and f"cannot read {name}: {where}" in error_of(result)


def test_a_value_with_a_line_break_stays_one_line_without_escapes(db_url: str) -> None:
    result = run("--db", db_url, "roster", "nord\njylland\t")
    assert result.exit_code == 2 and "nord jylland" in error_of(result)


@pytest.mark.parametrize("args", [["-h"], ["roster", "-h"], ["leave", "start", "-h"],
                                  ["mayor", "-h"], ["trail", "-h"]])
def test_h_is_help_everywhere(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0 and result.stdout.startswith("Usage: kkr")


def test_db_may_follow_the_subcommand(db_url: str) -> None:
    # given a term applied with --db after the subcommand
    line = json.dumps(constitution_line(TERM, "2022-01-20"))
    assert run("apply", "-", "--db", db_url, stdin=line).exit_code == 0
    # when the roster is read the same way
    result = run("roster", "nordjylland", "--on", "2023-01-01", "--db", db_url, "--json")
    # then it reads the same database
    assert result.exit_code == 0 and json.loads(result.stdout)["term"] == TERM


def test_db_after_a_nested_subcommand_is_used(db_url: str) -> None:
    result = run("leave", "end", TERM, "x", "--effective", "2023-01-01", "--db", db_url)
    assert result.exit_code == 1 and "not been constituted" in error_of(result)


def test_a_reader_that_stops_reading_ends_it_quietly(tmp_path: Path) -> None:
    # given a ledger with events, and a trail whose reader has gone (as `| head -1` does)
    url = f"sqlite:///{tmp_path / 'kkr.sqlite'}"
    assert run("--db", url, "demo").exit_code == 0
    process = subprocess.Popen([KKR, "--db", url, "trail", "--wide"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    # when it writes, then it exits 0 and says nothing
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0 and stderr == ""
    process.stderr.close()


@pytest.mark.parametrize(("words", "path"), [
    (["roster", "nordjylland", "--on"], "kkr roster"),
    (["--db", "sqlite:///x.sqlite", "leave", "start", "nordjylland/2022", "x", "--effective"],
     "kkr leave start"),
])
def test_an_option_without_its_value_points_to_its_own_commands_help(words: list[str],
                                                                      path: str) -> None:
    result = run(*words)
    assert result.exit_code == 2
    assert error_of(result).endswith(f"(see '{path} --help')")


@pytest.mark.parametrize(("words", "said"), [
    (["who"], "Missing argument 'PERSON'."),
    (["diff", "nordjylland/2022", "--from", "2023-01-01"], "Missing option '--to'."),
    (["leave", "start", "nordjylland/2022"], "Missing argument 'PERSON_ID'."),
])
def test_a_missing_argument_or_option_is_named(words: list[str], said: str) -> None:
    result = run(*words)
    assert result.exit_code == 2 and said in error_of(result)
