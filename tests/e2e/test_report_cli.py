"""kkr audit, replay and export end to end, on the demo data and on a tampered projection."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, update

from commands.cli.main import kkr
from projections.readmodel.tables import intervals
from tests.builders import constitution_line

DEMO_TERMS = ("nordjylland/2018", "nordjylland/2022", "midtjylland/2022", "sjaelland/2022",
              "hovedstaden/2022", "syddanmark/2022")
FINDING_KEYS = {"rule", "severity", "term", "from", "to", "persons", "events", "message"}


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Given the demo data loaded once into a SQLite file for this module (read only)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'kkr.sqlite'}"
    assert run(url, "demo").exit_code == 0
    return url


def audit_json(db_url: str, *args: str) -> dict[str, Any]:
    result = run(db_url, "audit", *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# -- audit ----------------------------------------------------------------------------------------


def test_audit_json_follows_the_contract(demo: str) -> None:
    data = audit_json(demo, "--on", "2023-06-01")
    assert data["terms"] == ["hovedstaden/2022", "sjaelland/2022", "syddanmark/2022",
                             "midtjylland/2022", "nordjylland/2022"]
    assert data["findings"] and all(set(f) >= FINDING_KEYS for f in data["findings"])
    assert {f["severity"] for f in data["findings"]} <= {"error", "warning", "info"}


def test_audit_of_the_demo_finds_its_deliberate_gaps(demo: str) -> None:
    findings = audit_json(demo, "syddanmark/2022")["findings"]
    checks = {(f["rule"], f["check"]) for f in findings}
    assert {("B1.3", "flag"), ("B1.2", "member_without_substitute"),
            ("B1.15", "role_vacant")} <= checks
    [chair] = [f for f in findings if f["check"] == "role_vacant"]
    assert (chair["from"], chair["to"], chair["days"]) == ("2023-05-01", "2023-06-08", 38)


def test_audit_on_one_day_and_by_severity_narrows_the_findings(demo: str) -> None:
    everything = audit_json(demo, "syddanmark/2022")["findings"]
    one_day = audit_json(demo, "syddanmark/2022", "--on", "2023-05-10")["findings"]
    warnings = audit_json(demo, "syddanmark/2022", "--severity", "warning")["findings"]
    assert 0 < len(one_day) < len(everything)
    assert all(f["severity"] in ("error", "warning") for f in warnings)
    assert len(warnings) < len(everything)


def test_audit_prints_a_table_and_csv_with_a_summary_on_stderr(demo: str) -> None:
    table = run(demo, "audit", "nordjylland")
    assert table.exit_code == 0 and "B1.13" in table.stdout and "finding(s)" in table.stderr
    rows = list(csv.DictReader(io.StringIO(run(demo, "audit", "nordjylland", "--format",
                                               "csv").stdout)))
    assert rows and set(rows[0]) >= FINDING_KEYS


def test_audit_of_a_term_not_in_the_ledger_is_not_found_and_a_bad_name_is_bad_input(
        demo: str) -> None:
    missing = run(demo, "audit", "sjaelland/2018")
    assert missing.exit_code == 1 and "sjaelland/2018" in missing.stderr
    bad = run(demo, "audit", "sjaelland/2019")
    assert bad.exit_code == 2 and "does not start an electoral period" in bad.stderr


def test_audit_known_at_a_moment_leaves_out_what_was_recorded_later(db_url: str,
                                                                    tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2022", "2022-01-20")) + "\n")
    assert run(db_url, "apply", str(batch)).exit_code == 0
    before = datetime.now(UTC).isoformat()
    batch.write_text(json.dumps({"command": "end_membership", "term": "nordjylland/2022",
                                 "effective": "2023-06-01", "person_id": "sub-1",
                                 "reason": "resigned"}) + "\n")
    assert run(db_url, "apply", str(batch)).exit_code == 0
    now = audit_json(db_url, "nordjylland/2022")["findings"]
    then = audit_json(db_url, "nordjylland/2022", "--known-at", before)["findings"]
    # (and, on today's date, the 2026 constitution is overdue in both views: B1.3)
    assert [f["rule"] for f in now] == ["B1.14", "B1.3"]
    assert [f["rule"] for f in then] == ["B1.3"]


# -- replay ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", DEMO_TERMS)
def test_the_replay_of_every_demo_term_matches_the_ledger(demo: str, term: str) -> None:
    result = run(demo, "replay", term, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"term", "events", "violations", "digest", "matches_ledger"}
    assert data["matches_ledger"] is True and data["violations"] == []
    assert data["events"][0]["type"] == "TermConstituted"
    assert set(data["events"][0]) >= {"event_id", "type", "effective", "consequences"}


def test_the_replay_table_tells_each_change_and_the_verdict(demo: str) -> None:
    result = run(demo, "replay", "nordjylland/2022", "--until", "2024-12-31")
    assert result.exit_code == 0 and result.stderr == ""
    assert "Malene Krogh Thomsen (malene-krogh-thomsen) becomes member of party:o:1" in \
        result.stdout
    assert "matches ledger: yes" in result.stdout and "checked 1077 day(s)" in result.stdout


def test_the_replay_csv_has_one_row_per_consequence(demo: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run(demo, "replay", "midtjylland/2022",
                                               "--format", "csv").stdout)))
    assert {"effective", "event_id", "change", "text"} <= set(rows[0])
    assert any(r["type"] == "LeaveStarted" and r["kind"] == "acting" for r in rows)


def test_a_tampered_projection_row_fails_the_replay_with_exit_4(db_url: str,
                                                                tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2022", "2022-01-20")) + "\n")
    assert run(db_url, "apply", str(batch)).exit_code == 0
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(update(intervals).where(intervals.c.person_id == "member-1",
                                             intervals.c.kind == "member")
                     .values(seat="party:v:9"))
    engine.dispose()
    result = run(db_url, "replay", "nordjylland/2022", "--json")
    assert result.exit_code == 4 and "matches ledger: NO" in result.stderr
    assert json.loads(result.stdout)["matches_ledger"] is False


# -- export ----------------------------------------------------------------------------------------


def test_export_popolo_of_a_term_on_a_date(demo: str) -> None:
    result = run(demo, "export", "nordjylland/2022", "--on", "2023-09-15", "--format",
                 "popolo")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    kkr_posts = [p for p in doc["posts"] if p["organization_id"] == "kkr/nordjylland/2022"]
    assert len(kkr_posts) == 20 and doc["organizations"][0]["classification"] == "kkr"
    # the bodies KKR Nordjylland designates to, with their seats (design/mandates.md)
    assert any(o["classification"] == "regional_body" for o in doc["organizations"])
    assert any(m["role"] == "substitute" and m.get("substitute_for_id")
               for m in doc["memberships"])


def test_export_csv_and_json_of_a_whole_period_carry_the_same_rows(demo: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run(demo, "export", "hovedstaden/2022", "--period",
                                               "--format", "csv").stdout)))
    data = json.loads(run(demo, "export", "hovedstaden/2022", "--period", "--json").stdout)
    assert len(rows) == len(data["memberships"]) and data["period"] is True
    assert any(r["end_reason"] == "resigned" for r in rows)


def test_export_without_a_term_covers_every_kkr_in_force(demo: str) -> None:
    data = json.loads(run(demo, "export", "--on", "2023-06-01").stdout)
    assert len(data["terms"]) == 5


def test_export_refuses_on_together_with_period_and_a_term_out_of_force(demo: str) -> None:
    both = run(demo, "export", "nordjylland/2022", "--on", "2023-01-01", "--period")
    assert both.exit_code == 2 and "either --on DATE or --period" in both.stderr
    ended = run(demo, "export", "nordjylland/2018", "--on", "2023-01-01")
    assert ended.exit_code == 1 and "was not in force on 2023-01-01" in ended.stderr


@pytest.mark.parametrize("form", [["--format", "json"], ["--format", "csv"],
                                  ["--format", "popolo"]])
def test_the_same_facts_export_the_same_bytes_whatever_the_database(
    db_url: str, tmp_path: Path, form: list[str]
) -> None:
    # given the demo loaded into two databases by processes that iterate sets in another
    # order (the rows get ids in the order each catch-up wrote them)
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    for url, seed in ((db_url, "1"), (other, "2")):
        loaded = subprocess.run([sys.executable, "-c", "from commands.cli.main import main; "
                                 "main()", "--db", url, "demo"], capture_output=True,
                                env={**os.environ, "PYTHONHASHSEED": seed}, check=False)
        assert loaded.returncode == 0, loaded.stderr
    # when each exports the same term
    export = ["export", "--on", "2023-06-01", "--known-at", "2100-01-01T00:00:00+00:00", *form]
    # then the exports are byte for byte the same
    assert run(db_url, *export).stdout == run(other, *export).stdout
