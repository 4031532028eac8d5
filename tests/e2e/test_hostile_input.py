"""Hostile input never crashes `kkr`: one `Error:` line, exit 1 or 2, and nothing written.

Batch lines, CLI arguments, files and database URLs come from hypothesis; most runs are
in-process (CliRunner) for speed, a few are real `kkr` processes.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text

from commands.cli.main import kkr
from tests.builders import constitution_line

pytestmark = pytest.mark.store

TERM = "nordjylland/2022"
KKR = str(Path(sys.executable).parent / "kkr")
ROOT = Path(__file__).resolve().parents[2]
CHECKED = settings(max_examples=40, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow, HealthCheck.data_too_large])

# -- the database under attack ----------------------------------------------------------------


class Ledger:
    """A constituted term, and how many events are stored (to see that nothing was written)."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.engine = create_engine(url)

    def events(self) -> int:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("kkr_events"):
                return 0
            return int(conn.execute(text("SELECT count(*) FROM kkr_events")).scalar() or 0)

    def run(self, *args: str, stdin: bytes | str | None = None) -> Result:
        return CliRunner().invoke(kkr, ["--db", self.url, *args], input=stdin)

    def apply(self, content: bytes | str, *, via_stdin: bool = False) -> Result:
        if via_stdin:
            return self.run("apply", "-", stdin=content)
        path = self.folder / "batch.jsonl"
        path.write_bytes(content.encode("utf-8", "surrogatepass")
                         if isinstance(content, str) else content)
        return self.run("apply", str(path))


@pytest.fixture
def ledger(db_url: str, tmp_path: Path) -> Iterator[Ledger]:
    """Given nordjylland/2022 constituted (one event)."""
    found = Ledger(db_url, tmp_path)
    path = tmp_path / "constitution.jsonl"
    path.write_text(json.dumps(constitution_line(TERM, "2022-01-20")) + "\n")
    assert found.run("apply", str(path)).exit_code == 0
    yield found
    found.engine.dispose()


# -- what every answer must look like ------------------------------------------------------


def error_line(stderr: str) -> str:
    """The one line of an error; fails unless stderr is exactly one line `Error: ...`."""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr[:2000]
    return lines[0]


def assert_clean(result: Result, ledger: Ledger, before: int) -> None:
    """Exit 0, 1 or 2; no traceback; on failure one `Error:` line and no event written."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[:500])
    if result.exit_code != 0:
        error_line(result.stderr)
        assert ledger.events() == before, "a refused input wrote events"


# -- strategies ----------------------------------------------------------------------------

ODD_STRINGS = ["", " ", "\x00", "a\x00b", "\u202eevil\u202c", "\u200f\u05e9\u05dc\u05d5\u05dd",
               "😀" * 40, "👩‍👩‍👧‍👦", "e\u0301", "\ud800", "\ufeff", "line\nbreak", "tab\tx",
               "\u2028sep", "Æøå", "x" * 100_000, "1", "1e5", "-1", "NaN", "null", "true",
               "nordjylland/2022", "member-0", "../../etc/passwd", "'; DROP TABLE kkr_events;--"]
ODD_DATES = ["2023-02-30", "2023-02-29", "2024-02-30", "2023-13-01", "2023-00-10", "0000-01-01",
             "0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31", "99999-01-01", "2023-1-1",
             "2023/03/01", "20230301", "2023-03-01T00:00:00", "2023-03-01Z", "+2023-03-01"]
strings = st.one_of(st.text(max_size=30), st.sampled_from(ODD_STRINGS + ODD_DATES))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), strings,
                    st.sampled_from([10**40, -(2**63), 2**64, 1e308, float("inf")]))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner,
                                                                         max_size=4),
    max_leaves=12)


def deeply_nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


PERSON = {"person_id": "new-person", "name": "New Person", "municipality": "Aalborg",
          "party": "A"}
TEMPLATES: list[dict[str, Any]] = [
    {"command": "start_leave", "person_id": "member-0", "expected_until": "2023-09-01",
     "reason": "health", "decided_on": "2023-03-01"},
    {"command": "end_leave", "person_id": "member-1"},
    {"command": "change_party", "person_id": "member-1", "party": "B"},
    {"command": "end_membership", "person_id": "member-2", "reason": "resigned"},
    {"command": "appoint_substitute", "person": PERSON, "for_member": "member-3"},
    {"command": "appoint_member", "person": PERSON, "basis": "vacancy", "seat": "party:a:1"},
    {"command": "change_mayor", "municipality": "Aalborg", "person": PERSON},
    {"command": "elect_chair", "role": "vice_chair", "person_id": "member-1"},
    {"command": "retract", "event_id": "00000000-0000-0000-0000-000000000000:1", "reason": "x"},
    {"command": "redate", "event_id": "00000000-0000-0000-0000-000000000000:1",
     "reason": "x", "effective": "2023-01-01"},
]


@st.composite
def near_valid_commands(draw: st.DrawFn) -> dict[str, Any]:
    """A valid-looking command with one to three fields changed, added or removed."""
    line = {"term": TERM, "effective": "2023-03-01",
            **copy.deepcopy(draw(st.sampled_from(TEMPLATES)))}
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from([*line, "person", "members", "command_id", "source", "extra"]))
        target = line
        if key == "person" and isinstance(line.get("person"), dict):
            target, key = line["person"], draw(st.sampled_from([*PERSON, "extra"]))
        value = draw(st.one_of(json_values, st.sampled_from(ODD_DATES),
                               st.integers(1, 600).map(deeply_nested), st.just("DELETE")))
        if value == "DELETE":
            target.pop(key, None)
        else:
            target[key] = value
    return line


# -- batch lines -----------------------------------------------------------------------------


@CHECKED
@given(value=json_values, via_stdin=st.booleans())
def test_any_json_value_as_a_line_is_refused_in_one_line(
    ledger: Ledger, value: Any, via_stdin: bool
) -> None:
    # given the ledger as it stands
    before = ledger.events()
    # when a line holding a random JSON value is applied
    result = ledger.apply(json.dumps(value) + "\n", via_stdin=via_stdin)
    # then it is refused cleanly and nothing is written
    assert result.exit_code == 2
    assert_clean(result, ledger, before)


@settings(CHECKED, max_examples=80)
@given(line=near_valid_commands(), valid_first=st.booleans())
def test_near_valid_commands_never_crash_or_write_half(
    ledger: Ledger, line: dict[str, Any], valid_first: bool
) -> None:
    # given the ledger as it stands, and optionally a valid leave before the mutated line
    before = ledger.events()
    lines = [{"command": "start_leave", "term": TERM, "effective": "2024-03-01",
              "person_id": "member-4", "expected_until": "2024-09-01", "reason": "health"}]
    lines = [*lines, line] if valid_first else [line]
    # when the batch is applied
    result = ledger.apply("".join(json.dumps(x) + "\n" for x in lines))
    # then it is applied whole, or refused in one line with nothing written
    assert_clean(result, ledger, before)


@CHECKED
@given(data=st.binary(max_size=300), prefix=st.sampled_from([b"", b'{"command": "', b"\n"]))
def test_binary_garbage_is_refused_in_one_line(ledger: Ledger, data: bytes,
                                                prefix: bytes) -> None:
    # given the ledger as it stands
    before = ledger.events()
    # when random bytes are applied as a batch (file or standard input)
    result = ledger.apply(prefix + data, via_stdin=len(data) % 2 == 1)
    # then exit 2 with one line, nothing written
    assert result.exit_code == 2
    assert_clean(result, ledger, before)


@pytest.mark.parametrize("line", [
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 5_000 + "1" + "}" * 5_000,
    json.dumps({"command": "start_leave", "term": TERM, "effective": "2023-03-01",
                "person_id": "member-0", "expected_until": "2023-09-01", "reason": "health",
                "source": deeply_nested(900)}),
    "9" * 5_000,
    json.dumps({"command": "start_leave", "term": TERM, "source": "x" * 1_000_001}),
    json.dumps({"command": "start_leave", "term": TERM, "effective": "2023-03-01",
                "person_id": "member-0", "expected_until": "2023-09-01", "reason": "health",
                "source": "é\u202e😀" * 300_000}, ensure_ascii=False),
    json.dumps({"command": "constitute", "term": "nordjylland/2026", "effective": "2026-01-20",
                "members": [{"person": "x"}] * 400}),
    '{"command": "start_leave", "command": "end_leave"}',
    '{"command": "start_leave"',
    "\ufeff" + json.dumps({"command": "end_leave"}),
], ids=["deep_list", "deep_object", "deep_field", "huge_number", "line_over_1mb", "string_near_1mb",
        "hundreds_of_errors", "duplicate_key", "truncated", "byte_order_mark"])
def test_pathological_lines_are_refused_in_one_bounded_line(ledger: Ledger, line: str) -> None:
    # given the ledger as it stands
    before = ledger.events()
    # when the line is applied
    result = ledger.apply(line + "\n")
    # then it is refused in one line of reasonable length, nothing written
    assert result.exit_code == 2
    assert_clean(result, ledger, before)
    assert len(result.stderr) < 2_000


@pytest.mark.parametrize(("field", "day"), [
    ("effective", "2023-02-30"), ("effective", "9999-11-01"), ("expected_until", "9999-12-31"),
    ("effective", "0001-01-01"), ("decided_on", "1000-01-01")])
def test_impossible_and_extreme_dates_are_refused_naming_the_field(
    ledger: Ledger, field: str, day: str
) -> None:
    # given a leave otherwise valid
    before = ledger.events()
    line = {"command": "start_leave", "term": TERM, "effective": "2023-03-01",
            "person_id": "member-0", "expected_until": "2023-09-01", "reason": "health",
            field: day}
    # when it is applied with an impossible or extreme date
    result = ledger.apply(json.dumps(line) + "\n")
    # then exit 2 names the field, and nothing is written
    assert result.exit_code == 2 and f"line 1: {field}:" in error_line(result.stderr)
    assert ledger.events() == before


@pytest.mark.parametrize("name", ["Jens\nHansen", "Jens\u2028Hansen", "\u202eJens", "a\x00b",
                                  "Jens " + "x" * 190])
def test_a_refusal_naming_odd_input_stays_on_one_line(ledger: Ledger, name: str) -> None:
    # given a person already substitute of a seat, appointed again under an odd name
    before = ledger.events()
    person = {"person_id": "sub-3", "name": name, "municipality": "Aalborg", "party": "F"}
    line = {"command": "appoint_substitute", "term": TERM, "effective": "2023-03-01",
            "person": person, "for_member": "member-3"}
    # when it is applied
    result = ledger.apply(json.dumps(line) + "\n")
    # then the refusal (which names the person) is one line, nothing written
    assert result.exit_code in (1, 2)
    assert_clean(result, ledger, before)


# -- CLI arguments ---------------------------------------------------------------------------

COMMAND_OPTIONS: dict[tuple[str, ...], list[str]] = {
    ("roster",): ["nordjylland", TERM, "--all", "--on", "--known-at", "--format", "--json"],
    ("who",): ["member-0", "--known-at", "--format", "--json"],
    ("apply",): ["-", "/dev/null", "/nonexistent.jsonl", "/"],
    ("leave", "start"): [TERM, "member-0", "--effective", "--until", "--reason", "--decided-on",
                         "--command-id", "--source", "health"],
    ("trail",): [TERM, "--since", "--known-at", "--format", "--json", "--limit", "--wide",
                 "ndjson"],
    ("explain",): ["member-0", "--on", "--known-at", "--format", "--json"],
    ("diff",): [TERM, "--from", "--to", "--known-at", "--format", "--json"],
    ("seats",): ["--votes", "--mayors", "--region", "--municipalities", "--rounding",
                 "--explain", "--dhondt", "--seats", "--alliance", "--json"],
    ("verify",): ["--digest", "--json", "/dev/null", "/nonexistent.json"],
}
ARG_TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]),
                   max_size=20)
ARG_VALUES = st.one_of(ARG_TEXT, st.sampled_from([
    *ODD_DATES, "0001-01-01T00:00:00+0100", "9999-12-31T23:59:59-0100", "2023-06-01T25:00:00",
    "-1", "0", "1001", "99999999999999999999", "json", "csv", "table", "nearest", "sjælland",
    "SJÆLLAND", "nordjylland/99999999999999999999", "hovedstaden/2023", "hovedstaden/1066"]))


@st.composite
def cli_arguments(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(list(COMMAND_OPTIONS)))
    tokens = st.one_of(st.sampled_from(COMMAND_OPTIONS[command]), ARG_VALUES)
    return [*command, *draw(st.lists(tokens, max_size=7))]


# Click opens a file argument before it finds an unexpected extra argument, and leaves it
# open: harmless in a real process (it exits), a ResourceWarning in this one.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name='/dev/null':"
    "pytest.PytestUnraisableExceptionWarning")
@settings(CHECKED, max_examples=120)
@given(args=cli_arguments())
def test_random_cli_arguments_never_crash_or_write(ledger: Ledger, args: list[str]) -> None:
    # given the ledger as it stands
    before = ledger.events()
    # when a command runs with random options and values
    result = ledger.run(*args, stdin="")
    # then it answers, or refuses in one line with exit 1 or 2, and writes nothing unless 0
    assert_clean(result, ledger, before)


@pytest.mark.parametrize("args", [
    ["roster", "nordjylland", "--known-at", "0001-01-01T00:00:00+0100"],
    ["roster", "nordjylland", "--known-at", "9999-12-31T23:59:59-0100"],
    ["roster", "nordjylland", "--on", "0001-01-01"], ["roster", TERM, "--on", "9999-12-31"],
    ["who", "member-0", "--known-at", "0001-01-01T00:00:00+0100"],
    ["explain", "member-0", "--on", "9999-12-31", "--known-at", "9999-12-31T23:59:59-0100"],
    ["trail", "--since", "0001-01-01T00:00:00+0100"],
    ["diff", TERM, "--from", "0001-01-01", "--to", "9999-12-31"],
    ["leave", "start", TERM, "member-0", "--effective", "9999-11-01", "--until", "9999-12-31",
     "--reason", "health"],
])
def test_moments_at_the_ends_of_the_calendar_are_answered_or_refused_in_one_line(
    ledger: Ledger, args: list[str]
) -> None:
    # given the ledger as it stands
    before = ledger.events()
    # when a command is asked about a moment near year 1 or 9999
    result = ledger.run(*args)
    # then it answers, or refuses in one line, and writes nothing
    assert_clean(result, ledger, before)
    assert ledger.events() == before


@CHECKED
@given(content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                         json_values.map(lambda v: json.dumps(v).encode())))
def test_hostile_files_for_seats_and_verify_digest_are_refused_in_one_line(
    ledger: Ledger, content: bytes
) -> None:
    # given a file of random content as the votes, the mayors and a kept digest
    before = ledger.events()
    path = ledger.folder / "hostile.csv"
    path.write_bytes(content)
    # when `kkr seats` and `kkr verify --digest` read it
    seats = ledger.run("seats", "--votes", str(path), "--mayors", str(path), "--region",
                       "nordjylland", "--json")
    verify = ledger.run("verify", "--digest", str(path))
    # then each answers or refuses cleanly
    assert_clean(seats, ledger, before)
    assert_clean(verify, ledger, before)
    assert verify.exit_code in (0, 2)


def test_a_usage_error_is_one_line(ledger: Ledger) -> None:
    # given an unknown option
    # when it is used
    result = ledger.run("roster", "--nonsense")
    # then exit 2 and one line
    assert result.exit_code == 2
    error_line(result.stderr)


# -- database URLs -----------------------------------------------------------------------------

PASSWORDS = st.text(st.characters(codec="ascii", categories=["L", "N", "P", "S"]),
                    min_size=6, max_size=20).map(lambda p: "Pw" + p)


@st.composite
def urls_with_a_password(draw: st.DrawFn) -> tuple[str, str]:
    password = draw(PASSWORDS)
    user = draw(st.sampled_from(["kkr", "", "u.ser", "postgres"]))
    host = draw(st.sampled_from(["127.0.0.1:1", "127.0.0.1:notaport", "[::1", "127.0.0.1:5432",
                                 "127.0.0.1:99999999"]))
    scheme = draw(st.sampled_from(["postgresql+psycopg", "postgresql", "postgres", "mysql",
                                   "sqlite", "oracle+x"]))
    if draw(st.booleans()):
        return f"{scheme}://{user}:{quote(password, safe='')}@{host}/x", password
    return f"{scheme}://{user}@{host}/x?password={quote(password, safe='')}", password


@settings(CHECKED, max_examples=30)
@given(url_and_password=urls_with_a_password(),
       args=st.sampled_from([["roster", "nordjylland"], ["verify"], ["apply", "-"],
                             ["who", "x"], ["trail"]]))
def test_a_password_in_the_database_url_never_appears(
    tmp_path: Path, url_and_password: tuple[str, str], args: list[str]
) -> None:
    # given a database URL holding a password, wrong in some way or unreachable
    url, password = url_and_password
    # when a command runs with it
    result = CliRunner().invoke(kkr, ["--db", url, *args], input="{}\n")
    # then it fails in one line with exit 1 or 2, and the password is nowhere
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (1, 2)
    error_line(result.stderr)
    for shown in (password, quote(password, safe="")):
        assert shown not in result.stdout + result.stderr


# -- real processes ------------------------------------------------------------------------


def kkr_process(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([KKR, *args], input=stdin, capture_output=True, cwd=ROOT,
                          timeout=60, check=False)


@pytest.mark.parametrize(("url", "code"), [
    ("postgresql+psycopg://kkr:s3cret@127.0.0.1:1/x", 2),
    ("postgresql://kkr:s3cret@127.0.0.1:notaport/x", 2),
    ("sqlite:////nonexistent/folder/kkr.sqlite", 1),  # a reader finds no ledger there
])
def test_an_unreachable_database_is_one_clean_line_without_the_password(
    url: str, code: int
) -> None:
    # given a database that cannot be reached or a URL that cannot be read
    # when a real `kkr roster` process uses it
    done = kkr_process("--db", url, "roster", "nordjylland")
    stderr = done.stderr.decode()
    # then exit 2, one line, no password, no traceback
    assert done.returncode == code
    assert error_line(stderr).startswith("Error: ")
    assert "s3cret" not in stderr + done.stdout.decode()


def test_a_real_process_refuses_garbage_on_standard_input_and_writes_nothing(
    ledger: Ledger,
) -> None:
    # given the ledger as it stands
    before = ledger.events()
    # when a real `kkr apply -` reads binary garbage, then a line nested too deeply
    garbage = kkr_process("--db", ledger.url, "apply", "-", stdin=b"\xff\xfe\x00\x81garbage\n")
    deep = kkr_process("--db", ledger.url, "apply", "-",
                       stdin=("[" * 100_000 + "]" * 100_000 + "\n").encode())
    # then both exit 2 with one line, and nothing was written
    for done in (garbage, deep):
        assert done.returncode == 2
        error_line(done.stderr.decode())
    assert ledger.events() == before

