"""Mandates through `kkr` (design/mandates.md): `kkr body …`, `kkr end-council-membership`,
`kkr mandates`, `kkr who` and `kkr bluebook`; refusals and malformed input store nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from commands.cli.main import kkr
from tests.builders import constitution_line

TERM = "nordjylland/2022"
RAR = "rar-nordjylland"
ANNA = ["--person-id", "anna-holm", "--name", "Anna Holm", "--municipality", "Aalborg",
        "--party", "A"]
BO = ["--person-id", "bo-berg", "--name", "Bo Berg", "--municipality", "Hjørring",
      "--party", "V"]
MEMBER_1 = ["--person-id", "member-1", "--name", "Member 1", "--municipality", "Thisted",
            "--party", "V"]
DORTE_AS_SUBSTITUTE = ["--substitute-id", "dorte-eg", "--substitute-name", "Dorte Eg",
                       "--substitute-municipality", "Rebild", "--substitute-party", "A"]
CONTRACT_TOP = {"on", "known_at", "bodies"}
CONTRACT_BODY = {"body", "name", "region", "seats", "vacant", "designations"}
CONTRACT_DESIGNATION = {"person", "group", "substitute", "from", "to"}
CONTRACT_PERSON = {"person_id", "name", "municipality", "party"}


def run(db_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args], input=stdin)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def types(result: Result) -> list[str]:
    """The types of the events a write command stored (its --json output)."""
    return [e["type"] for e in json.loads(ok(result).stdout)["events"]]


def event_count(db_url: str) -> int:
    return len(json.loads(ok(run(db_url, "trail", "--json")).stdout)["events"])


def as_json(result: Result) -> Any:
    return json.loads(ok(result).stdout)


@pytest.fixture
def ledger(db_url: str) -> str:
    """Given Nordjylland 2022 constituted, and the RAR (3 seats, personal substitutes) with
    Anna (substitute Dorte) and member-1 (a KKR member) designated on 2022-03-01."""
    ok(run(db_url, "apply", "-", stdin=json.dumps(constitution_line(TERM, "2022-01-20"))))
    ok(run(db_url, "body", "register", RAR, "--name", "RAR Nordjylland", "--region",
           "nordjylland", "--effective", "2022-02-01"))
    ok(run(db_url, "body", "posts", RAR, "--seats", "3", "--substitutes",
           "--effective", "2022-02-01"))
    ok(run(db_url, "body", "designate", RAR, *ANNA, *DORTE_AS_SUBSTITUTE,
           "--effective", "2022-03-01"))
    ok(run(db_url, "body", "designate", RAR, *MEMBER_1, "--effective", "2022-03-01"))
    return db_url


# -- the write commands ---------------------------------------------------------------------

def test_each_body_command_stores_its_fact(db_url: str) -> None:
    ok(run(db_url, "apply", "-", stdin=json.dumps(constitution_line(TERM, "2022-01-20"))))
    calls = [
        (["register", "erhvervshus-nordjylland", "--name", "Erhvervshus Nordjylland",
          "--region", "Nordjylland", "--kind", "local_agreement", "--legal-basis", "LEF §12"],
         "BodyRegistered"),
        (["posts", "erhvervshus-nordjylland", "--seats", "2"], "PostsDefined"),
        (["allocate", "erhvervshus-nordjylland", "--group", "A=9", "--group", "V=5",
          "--group", "C=4", "--alliance", "V+C"], "PostsAllocated"),
        (["designate", "erhvervshus-nordjylland", *ANNA, "--decided-on", "2022-02-20"],
         "Designated"),
        (["end", "erhvervshus-nordjylland", "anna-holm", "--reason", "relieved"],
         "DesignationEnded"),
        (["dissolve", "erhvervshus-nordjylland"], "BodyDissolved"),
    ]
    for day, (args, kind) in zip(("2022-02-01", "2022-02-01", "2022-02-01", "2022-03-01",
                                  "2023-03-01", "2024-01-01"), calls, strict=True):
        assert types(run(db_url, "body", *args, "--effective", day, "--json")) == [kind]


def test_the_allocation_with_an_alliance_and_a_lot_is_recorded(ledger: str) -> None:
    # A 6, 3 | V+C 6, 3: two equal lists for three seats, the third seat by lot
    ok(run(ledger, "body", "allocate", RAR, "--group", "A=6", "--group", "V=4", "--group",
           "C=2", "--alliance", "V+C", "--lot", "A,V+C:A", "--effective", "2022-02-15"))
    trail = as_json(run(ledger, "trail", "body:" + RAR, "--json"))["events"]
    [allocated] = [e["summary"] for e in trail if e["type"] == "PostsAllocated"]
    assert allocated == "seats allocated by d'Hondt: A 2, V 1; lot won by A"


def test_end_council_membership_ends_the_kkr_place_and_the_designations(ledger: str) -> None:
    stored = types(run(ledger, "end-council-membership", "member-1", "--reason",
                       "left_council", "--effective", "2023-06-01", "--json"))
    assert sorted(stored) == ["CouncilMembershipEnded", "DesignationEnded", "MembershipEnded"]
    roster = as_json(run(ledger, "roster", TERM, "--on", "2023-06-01", "--json"))
    seat = next(s for s in roster["seats"] if s["seat"] == "party:v:1")
    assert seat["member"]["person_id"] == "sub-1"  # B1.13
    rar = as_json(run(ledger, "mandates", "--on", "2023-06-01", "--json"))["bodies"][0]
    assert [d["person"]["person_id"] for d in rar["designations"]] == ["anna-holm"]


def test_a_dissolved_bodys_successor_is_named_and_must_be_registered(ledger: str) -> None:
    refused = run(ledger, "body", "dissolve", RAR, "--successor", "rar-nord",
                  "--effective", "2024-01-01")
    assert refused.exit_code == 1 and "rar-nord is not registered" in refused.stderr
    ok(run(ledger, "body", "register", "rar-nord", "--name", "RAR Nord", "--region",
           "nordjylland", "--successor-of", RAR, "--effective", "2023-12-01"))
    ok(run(ledger, "body", "dissolve", RAR, "--successor", "rar-nord",
           "--effective", "2024-01-01"))


# -- kkr mandates -----------------------------------------------------------------------------

def test_mandates_json_holds_the_contracts_fields(ledger: str) -> None:
    found = as_json(run(ledger, "mandates", "nordjylland", "--on", "2022-06-01", "--json"))
    assert set(found) >= CONTRACT_TOP and found["on"] == "2022-06-01"
    [body] = found["bodies"]
    assert set(body) >= CONTRACT_BODY
    assert (body["body"], body["name"], body["region"], body["seats"], body["vacant"]) == (
        RAR, "RAR Nordjylland", "nordjylland", 3, 1)
    anna, member = body["designations"]
    assert set(anna) >= CONTRACT_DESIGNATION and set(anna["person"]) == CONTRACT_PERSON
    assert anna["person"] == {"person_id": "anna-holm", "name": "Anna Holm",
                              "municipality": "Aalborg", "party": "A"}
    assert (anna["group"], anna["from"], anna["to"]) == ("A", "2022-03-01", "2026-01-01")
    assert anna["substitute"] == {"person_id": "dorte-eg", "name": "Dorte Eg",
                                  "municipality": "Rebild", "party": "A"}
    assert (member["person"]["person_id"], member["substitute"]) == ("member-1", None)


def test_mandates_json_has_every_key_of_the_contract(ledger: str) -> None:
    # the contract's keys are all there (more are given: kind, legal basis, seat, decided_on)
    found = as_json(run(ledger, "mandates", "--on", "2022-06-01", "--json"))
    [body] = found["bodies"]
    assert set(found) >= CONTRACT_TOP and set(body) >= CONTRACT_BODY
    assert all(set(d) >= CONTRACT_DESIGNATION for d in body["designations"])


def test_mandates_shows_only_the_bodies_in_existence_on_the_date(ledger: str) -> None:
    ok(run(ledger, "body", "register", "eu-nordjylland", "--name", "EU-kontor", "--region",
           "nordjylland", "--effective", "2023-01-01"))
    ok(run(ledger, "body", "dissolve", RAR, "--effective", "2024-01-01"))

    def bodies(day: str, *region: str) -> list[str]:
        found = as_json(run(ledger, "mandates", *region, "--on", day, "--json"))
        return [b["body"] for b in found["bodies"]]

    assert bodies("2010-01-01") == []
    assert bodies("2022-06-01") == [RAR]
    assert bodies("2023-06-01") == ["eu-nordjylland", RAR]
    assert bodies("2024-01-01") == ["eu-nordjylland"]
    assert bodies("2023-06-01", "midtjylland") == []


def test_mandates_known_at_a_moment_before_a_designation_leaves_it_out(ledger: str) -> None:
    moment = datetime.now(UTC).isoformat()
    ok(run(ledger, "body", "designate", RAR, *BO, "--effective", "2022-03-01"))

    def people(*known_at: str) -> list[str]:
        found = as_json(run(ledger, "mandates", "--on", "2022-06-01", *known_at, "--json"))
        return [d["person"]["person_id"] for d in found["bodies"][0]["designations"]]

    assert people("--known-at", moment) == ["anna-holm", "member-1"]
    assert people() == ["anna-holm", "member-1", "bo-berg"]


def test_mandates_table_and_csv_list_every_seat(ledger: str) -> None:
    table = ok(run(ledger, "mandates", "--on", "2022-06-01")).stdout
    assert table.startswith("Mandates on 2022-06-01: 1 bodies, 2 designations, 1 vacant seats")
    assert "Anna Holm" in table and "Dorte Eg" in table and "vacant" in table
    rows = list(csv.DictReader(io.StringIO(
        ok(run(ledger, "mandates", "--on", "2022-06-01", "--format", "csv")).stdout)))
    assert [r["person_id"] for r in rows] == ["anna-holm", "member-1", ""]


# -- kkr who ----------------------------------------------------------------------------------

def test_who_lists_a_designation_among_the_places(ledger: str) -> None:
    places = as_json(run(ledger, "who", "member-1", "--json"))["places"]
    designated = [p for p in places if p["capacity"] == "designated"]
    assert [(p["body"], p["term"], p["from"], p["to"]) for p in designated] == [
        (RAR, None, "2022-03-01", "2026-01-01")]
    assert any(p["capacity"] == "member" and p["term"] == TERM for p in places)


def test_who_lists_a_personal_substitute_as_designated_substitute(ledger: str) -> None:
    places = as_json(run(ledger, "who", "dorte-eg", "--json"))["places"]
    assert [(p["capacity"], p["body"], p["term"], p["substitute_for"]) for p in places] == [
        ("designated_substitute", RAR, None, "anna-holm")]


# -- kkr bluebook -----------------------------------------------------------------------------

def bluebook(db_url: str, *args: str) -> Result:
    return ok(run(db_url, "bluebook", "nordjylland", "--on", "2022-06-01", *args))


def test_bluebook_json_has_the_roster_and_every_designated_person(ledger: str) -> None:
    found = as_json(bluebook(ledger, "--json"))
    assert (found["region"], found["on"], found["term"]) == ("nordjylland", "2022-06-01", TERM)
    assert len(found["members"]) == 16
    people = {p["person_id"]: p for p in found["people"]}
    assert set(people) == {"anna-holm", "dorte-eg", "member-1"}
    assert (people["member-1"]["kkr_member"], people["anna-holm"]["kkr_member"]) == (True, False)
    assert [post["body"] for post in people["anna-holm"]["posts"]] == [RAR]
    assert found["bodies"] == [{"body": RAR, "name": "RAR Nordjylland", "seats": 3, "vacant": 1}]


def test_bluebook_table_csv_and_html_name_every_designee(ledger: str) -> None:
    table = bluebook(ledger).stdout
    assert "Term: nordjylland/2022" in table and "Anna Holm (Aalborg, A)" in table
    rows = list(csv.DictReader(io.StringIO(bluebook(ledger, "--format", "csv").stdout)))
    posts = [(r["person_id"], r["body"]) for r in rows if r["section"] == "designation"]
    assert ("anna-holm", RAR) in posts and ("member-1", RAR) in posts
    html = bluebook(ledger, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "Anna Holm" in html and "@media print" in html


def test_bluebook_xlsx_has_two_sheets_with_typed_dates(ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "blaa-bog.xlsx"
    bluebook(ledger, "--format", "xlsx", "-o", str(path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Medlemmer", "Udpegede"]
    posts = book["Udpegede"]
    header = [cell.value for cell in posts[1]]
    start = posts.cell(row=2, column=header.index("Fra") + 1)
    assert start.data_type == "d" and start.value == datetime(2022, 3, 1)
    assert posts.max_row == 1 + 3  # Anna, Dorte (her substitute), member-1


def test_bluebook_tells_a_personal_substitute_from_a_designee(ledger: str) -> None:
    table = bluebook(ledger).stdout
    dorte = table.split("Dorte Eg (Rebild, A)")[1].splitlines()[1]
    assert "designated" not in dorte


def test_bluebook_of_a_region_without_a_term_in_force_is_empty_not_an_error(
    ledger: str
) -> None:
    found = as_json(run(ledger, "bluebook", "sjaelland", "--on", "2023-01-01", "--json"))
    assert (found["term"], found["members"], found["people"]) == (None, [], [])
    early = as_json(run(ledger, "bluebook", "nordjylland", "--on", "2021-06-01", "--json"))
    assert (early["term"], early["people"], early["bodies"]) == (None, [], [])


# -- refusals (exit 1) and malformed input (exit 2): nothing stored, never a traceback ---------

REFUSALS = [
    # (arguments, exit code, what stderr must name)
    (["body", "register", RAR, "--name", "X", "--region", "nordjylland", "--effective",
      "2023-01-01"], 1, ["FO2.2", RAR]),
    (["body", "designate", RAR, "--person-id", "ole-vig", "--name", "Ole Vig",
      "--municipality", "Odense", "--effective", "2022-04-01"], 1,
     ["FO3.8c", "Odense", "syddanmark", "nordjylland"]),
    (["body", "designate", RAR, *ANNA, "--effective", "2022-04-01"], 1,
     ["FO3.8", "Anna Holm"]),
    (["body", "posts", RAR, "--seats", "1", "--effective", "2022-04-01"], 1,
     ["FO3.8b", "Anna Holm", "Member 1"]),
    (["body", "allocate", RAR, "--group", "A=6", "--group", "V=6", "--effective",
      "2022-04-01"], 1, ["FO3.8b", "A, V"]),
    (["body", "end", RAR, "bo-berg", "--reason", "relieved", "--effective", "2022-04-01"], 1,
     ["END", "bo-berg"]),
    (["body", "dissolve", RAR, "--successor", RAR, "--effective", "2024-01-01"], 1,
     ["END", RAR]),
    (["body", "posts", "nope", "--seats", "2", "--effective", "2022-04-01"], 1, ["nope"]),
    (["body", "posts", RAR, "--seats", "0", "--effective", "2022-04-01"], 2, ["--seats"]),
    (["body", "register", "ok-body", "--name", "X", "--region", "atlantis", "--effective",
      "2022-04-01"], 2, ["region", "atlantis"]),
    (["body", "register", "Bad-Slug", "--name", "X", "--region", "nordjylland",
      "--effective", "2022-04-01"], 2, ["body", "Bad-Slug", "a body id"]),
    (["body", "designate", RAR, "--name", "X", "--municipality", "Aalborg", "--effective",
      "2022-04-01"], 2, ["person"]),
    (["body", "designate", RAR, "--person-id", "x", "--name", "X", "--municipality",
      "Nowhere", "--effective", "2022-04-01"], 2, ["municipality", "Nowhere"]),
    (["body", "allocate", RAR, "--group", "A=x", "--effective", "2022-04-01"], 2, ["--group"]),
    (["body", "allocate", RAR, "--group", "A=4", "--group", "V=2", "--lot", "A,V:C",
      "--effective", "2022-04-01"], 2, ["lots", "'C'"]),
    (["body", "allocate", RAR, "--group", "A=4", "--group", "V=2", "--alliance", "A+Z",
      "--effective", "2022-04-01"], 2, ["--alliance", "Z"]),
    (["body", "end", RAR, "anna-holm", "--reason", "term_end", "--effective", "2022-04-01"],
     2, ["--reason"]),
    (["end-council-membership", "Anna", "--reason", "left_council", "--effective",
      "2022-04-01"], 2, ["person_id", "Anna"]),
    (["end-council-membership", "anna-holm", "--reason", "resigned", "--effective",
      "2022-04-01"], 2, ["--reason"]),
    (["mandates", "atlantis"], 2, ["atlantis"]),
    (["bluebook", "atlantis"], 2, ["atlantis"]),
]


@pytest.mark.parametrize(("args", "code", "names"), REFUSALS,
                         ids=[" ".join(args[:3]) + f" ({n})" for n, (args, _, _)
                              in enumerate(REFUSALS)])
def test_bad_input_exits_with_its_code_names_what_is_wrong_and_stores_nothing(
    ledger: str, args: list[str], code: int, names: list[str]
) -> None:
    before = event_count(ledger)
    result = run(ledger, *args)
    assert result.exit_code == code, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for name in names:
        assert name in result.stderr, (name, result.stderr)
    assert event_count(ledger) == before


def test_a_batch_whose_last_line_is_refused_stores_nothing(ledger: str) -> None:
    lines = [{"command": "end_council_membership", "person_id": "member-1",
              "reason": "left_council", "effective": "2023-06-01"},
             {"command": "designate", "body": RAR, "effective": "2023-07-01",
              "person": {"person_id": "ole-vig", "name": "Ole Vig", "municipality": "Odense",
                         "party": "A"}}]
    before = event_count(ledger)
    result = run(ledger, "apply", "-", stdin="\n".join(json.dumps(line) for line in lines))
    assert result.exit_code == 1 and "line 2" in result.stderr and "FO3.8c" in result.stderr
    assert event_count(ledger) == before


def test_end_council_membership_twice_is_refused_naming_the_first_end(ledger: str) -> None:
    ok(run(ledger, "end-council-membership", "anna-holm", "--reason", "deceased",
           "--effective", "2023-06-01"))
    for day in ("2023-09-01", "2023-01-01"):
        again = run(ledger, "end-council-membership", "anna-holm", "--reason", "other",
                    "--effective", day)
        assert again.exit_code == 1 and "[END]" in again.stderr
        assert "already ended on 2023-06-01 (deceased)" in again.stderr


def test_verify_checks_the_chains_of_bodies_and_council_streams(ledger: str) -> None:
    # given a body's stream and a person's council stream beside the terms
    ok(run(ledger, "end-council-membership", "anna-holm", "--reason", "left_council",
           "--effective", "2023-06-01"))
    # when the chains are verified; then every stream begins genuinely and links up
    found = as_json(run(ledger, "verify", "--json"))
    assert found["ok"] is True and found["problems"] == []
