"""`kkr seats` end to end: the JSON contract, table and CSV, --explain, --dhondt, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli.main import kkr

# Nordjylland-sized (11 municipalities, cap 22), all mayors from A and V.
# By hand: 95000 votes, 2 % = 1900. A 40000/6 = 6666.67 and V 30000/5 = 6000 votes per mayor;
# V, the most over-represented, sets the divisor 6000. Quotas: A 6.67 → 7, V 5.00 → 5,
# C 2.00 → 2, F 1.33 → 1, O 0.58 → 1, L under 2 % → 0. Size 16 ≤ 22: no reduction.
# Supplementary: A 1, V 0, C 2, F 1, O 1.
VOTES = "party,votes\nA,40000\nV,30000\nC,12000\nF,8000\nO,3500\nL,1500\n"
MAYORS = "party,mayors\nA,6\nV,5\n"


def seats(tmp_path: Path, *args: str, votes: str | bytes = VOTES,
          mayors: str | bytes = MAYORS) -> Result:
    for name, content in (("votes.csv", votes), ("mayors.csv", mayors)):
        data = content.encode() if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    return CliRunner().invoke(kkr, ["seats", "--votes", str(tmp_path / "votes.csv"),
                                    "--mayors", str(tmp_path / "mayors.csv"), *args])


def test_the_json_follows_the_contract(tmp_path: Path) -> None:
    # given the Nordjylland-sized result; when asking for JSON
    result = seats(tmp_path, "--region", "nordjylland", "--json")
    # then the contract's keys carry the hand-computed composition
    data = json.loads(result.stdout)
    assert (data["cap"], data["size"], data["reduced"]) == (22, 16, False)
    party = data["parties"][0]
    assert set(party) >= {"party", "votes", "mayors", "supplementary", "total"}
    assert [(p["party"], p["supplementary"], p["total"]) for p in data["parties"]] == [
        ("A", 1, 7), ("V", 0, 5), ("C", 2, 2), ("F", 1, 1), ("O", 1, 1), ("L", 0, 0)]


def test_a_reduction_is_reported_in_the_json(tmp_path: Path) -> None:
    # given 2 municipalities (cap 4) whose mayors both belong to A with 10 %
    # (by hand: divisor 50; B 12, C 6 → 20 seats; floors A 2, B 1, C 1 = the cap 4)
    votes, mayors = "party,votes\nA,100\nB,600\nC,300\n", "party,mayors\nA,2\n"
    result = seats(tmp_path, "--municipalities", "2", "--json", votes=votes, mayors=mayors)
    # then
    data = json.loads(result.stdout)
    assert (data["cap"], data["size"], data["reduced"], data["unreduced_size"]) == (4, 4, True, 20)
    assert {p["party"]: p["total"] for p in data["parties"]} == {"B": 1, "C": 1, "A": 2}


def test_the_table_and_the_explain_trail_are_for_people(tmp_path: Path) -> None:
    # given the same result; when asking for the table with --explain
    result = seats(tmp_path, "--region", "Nordjylland", "--explain")
    # then a title, a header and numbered steps follow each other
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0] == "KKR of 11 municipalities: 16 members (cap 22)"
    assert lines[1].split()[:3] == ["party", "votes", "share"]
    assert "  3. Scale: V is the eligible party most over-represented" in result.stdout


def test_csv_has_one_row_per_party(tmp_path: Path) -> None:
    # given the same result; when asking for CSV
    result = seats(tmp_path, "--region", "nordjylland", "--format", "csv")
    # then every party is a row with the contract's columns
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["party"] for r in rows] == ["A", "V", "C", "F", "O", "L"]
    assert rows[2]["supplementary"] == "2" and rows[2]["total"] == "2"


def test_dhondt_elects_chair_and_vice_chair_with_an_alliance(tmp_path: Path) -> None:
    # given the represented parties (L, under 2 % and without a mayor, takes no part)
    # (by hand: V+C 42000 > A 40000 → seat 1 to V+C, inside V; seat 2 to A (40000 > 21000))
    result = seats(tmp_path, "--region", "nordjylland", "--dhondt", "--seats", "2",
                   "--alliance", "V+C", "--json")
    # then
    data = json.loads(result.stdout)
    assert [(a["seat"], a["list"], a["party"]) for a in data["awards"]] == [
        (1, "V+C", "V"), (2, "A", "A")]
    assert data["excluded"] == ["L"]


def test_dhondt_needs_no_mayors(tmp_path: Path) -> None:
    # given only votes; when electing 3 seats by d'Hondt
    # (by hand: A 40000, V 30000, A 20000 beats V 15000 and C 12000)
    (tmp_path / "votes.csv").write_text(VOTES)
    result = CliRunner().invoke(kkr, ["seats", "--votes", str(tmp_path / "votes.csv"),
                                      "--dhondt", "--seats", "3", "--json"])
    # then
    assert [a["party"] for a in json.loads(result.stdout)["awards"]] == ["A", "V", "A"]


@pytest.mark.parametrize(("votes", "mayors", "expected"), [
    ("party,count\nA,10\n", MAYORS, "votes.csv: missing column votes"),
    ("party,votes\nA,-5\n", MAYORS, "votes.csv line 2: votes: '-5' is negative"),
    ("party,votes\nA,1.5\n", MAYORS, "votes.csv line 2: votes: '1.5' is not a whole number"),
    ("party,votes\nA,10\na,20\n", MAYORS, "votes.csv line 3: party: 'a' appears twice"),
    ("", MAYORS, "votes.csv: empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", MAYORS, "votes.csv: not UTF-8 text"),
    (b"party,votes\x00\n", MAYORS, "votes.csv: binary data"),
    (VOTES, "party,mayors\nA,6\nV,4\n", "mayors.csv: mayors: they add up to 10, but there"),
    (VOTES, "party,mayors\nA,6\nX,5\n", "mayors.csv: party: X has no row in votes.csv"),
])
def test_bad_csv_is_one_line_naming_file_and_field(tmp_path: Path, votes: str | bytes,
                                                   mayors: str, expected: str) -> None:
    # given a flawed file; when computing
    result = seats(tmp_path, "--region", "nordjylland", votes=votes, mayors=mayors)
    # then exit 2 with one line on stderr, no traceback
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {expected}")
    assert len(result.stderr.splitlines()) == 1 and isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(("args", "expected"), [
    ((), "give either --region R or --municipalities N"),
    (("--region", "nordjylland", "--municipalities", "11"), "give either --region"),
    (("--region", "jylland"), "region: unknown region 'jylland'"),
    (("--region", "nordjylland", "--seats", "2"), "--seats and --alliance go with --dhondt"),
    (("--region", "nordjylland", "--dhondt"), "--dhondt needs --seats N"),
])
def test_usage_mistakes_exit_2(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    # given a misuse of the options; when running; then exit 2 with the reason
    result = seats(tmp_path, *args)
    assert result.exit_code == 2 and expected in result.stderr


def test_floors_beyond_the_cap_are_refused_by_rule(tmp_path: Path) -> None:
    # given 1 municipality (cap 2) and three parties over 2 %
    votes, mayors = "party,votes\nA,40\nB,30\nC,30\n", "party,mayors\nA,1\n"
    # when computing
    result = seats(tmp_path, "--municipalities", "1", votes=votes, mayors=mayors)
    # then the rule refuses with exit 1
    assert result.exit_code == 1 and result.stderr.startswith("Error: [B1.1] the floors")
