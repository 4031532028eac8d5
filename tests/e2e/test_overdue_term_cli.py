"""A term whose period is over and whose successor is not recorded is said to be so (B1.3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import constitution_line
from tests.e2e.test_cli import run, write_batch


@pytest.fixture
def only_2018(db_url: str, tmp_path: Path) -> str:
    """Given Nordjylland 2018 constituted and no 2022 constitution recorded."""
    batch = write_batch(tmp_path, constitution_line("nordjylland/2018", "2018-01-18"))
    assert run(db_url, "apply", batch).exit_code == 0
    return db_url


def test_a_roster_after_the_successors_deadline_warns_on_stderr(only_2018: str) -> None:
    # when the roster is asked for after 31 January 2022
    result = run(only_2018, "roster", "nordjylland", "--on", "2022-03-01", "--json")
    # then the 2018 term answers, and stderr says the 2022 constitution is overdue
    assert result.exit_code == 0
    assert json.loads(result.stdout)["term"] == "nordjylland/2018"
    assert ("warning: [B1.3] the constitution of nordjylland/2022 is not recorded: its "
            "constituent meeting was due by 2022-01-31") in result.stderr
    assert json.loads(result.stdout)["warnings"][0].startswith("[B1.3]")


def test_a_roster_before_the_deadline_does_not_warn(only_2018: str) -> None:
    result = run(only_2018, "roster", "nordjylland", "--on", "2022-01-31")
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_a_term_ended_by_its_successor_does_not_warn(db_url: str, tmp_path: Path) -> None:
    # given the 2022 constitution recorded late, on 15 February
    batch = write_batch(tmp_path, constitution_line("nordjylland/2018", "2018-01-18"),
                        constitution_line("nordjylland/2022", "2022-02-15"))
    assert run(db_url, "apply", batch).exit_code == 0
    # when the old term's roster is asked for between the deadline and the late meeting
    result = run(db_url, "roster", "nordjylland", "--on", "2022-02-10")
    # then it answers without the warning (the late meeting is the new term's own finding)
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_the_audit_reports_the_overdue_constitution(only_2018: str) -> None:
    result = run(only_2018, "audit", "nordjylland/2018", "--on", "2022-06-01", "--json")
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "B1.3"]
    assert [(f["severity"], f["from"], f["to"]) for f in findings] == [
        ("warning", "2022-02-01", None)]
    assert "nordjylland/2022 is not recorded" in findings[0]["message"]
    before = run(only_2018, "audit", "nordjylland/2018", "--on", "2021-06-01", "--json")
    assert not [f for f in json.loads(before.stdout)["findings"] if f["rule"] == "B1.3"]
