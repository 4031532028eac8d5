"""Time travel from the CLI: idempotency, corrections with known-at, trail, explain, diff."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from commands.cli.main import kkr
from tests.builders import constitution_line

TERM = "nordjylland/2022"


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args])


def apply(db_url: str, tmp_path: Path, *lines: dict[str, Any]) -> Result:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return run(db_url, "apply", str(path))


def resignation(**extra: Any) -> dict[str, Any]:
    return {"command": "end_membership", "term": TERM, "effective": "2023-03-01",
            "person_id": "member-0", "reason": "resigned", "source": "letter 12",
            "command_id": "resign-member-0", **extra}


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    """Given Nordjylland 2022 and the resignation of member-0 on 2023-03-01 (B1.13)."""
    assert apply(db_url, tmp_path, constitution_line(TERM, "2022-01-20")).exit_code == 0
    assert apply(db_url, tmp_path, resignation()).exit_code == 0
    return db_url


def members(db_url: str, *args: str) -> list[str]:
    roster = json.loads(run(db_url, "roster", TERM, "--on", "2023-06-01", "--json",
                            *args).stdout)
    return [s["member"]["person_id"] for s in roster["seats"] if s["member"]]


def test_the_same_command_id_twice_is_a_no_op_that_says_so(loaded: str, tmp_path: Path) -> None:
    result = apply(loaded, tmp_path, resignation())
    assert result.exit_code == 0 and "already applied" in result.stderr
    trail = json.loads(run(loaded, "trail", TERM, "--json").stdout)
    assert len(trail["events"]) == 2


def test_the_same_command_id_with_other_content_is_refused(loaded: str, tmp_path: Path) -> None:
    result = apply(loaded, tmp_path, resignation(reason="deceased"))
    assert result.exit_code == 1 and "[idempotency]" in result.stderr


def test_the_substitute_succeeds_and_explain_names_b1_13(loaded: str) -> None:
    assert "sub-0" in members(loaded) and "member-0" not in members(loaded)
    explained = json.loads(run(loaded, "explain", "sub-0", "--on", "2023-06-01",
                               "--json").stdout)
    assert explained["status"] == "member"
    assert any("B1.13" in e["rules"] and "succeeded" in e["text"]
               for e in explained["explanation"])


def test_a_retraction_restores_the_member_but_known_at_shows_the_old_view(loaded: str) -> None:
    trail = json.loads(run(loaded, "trail", TERM, "--json").stdout)["events"]
    before = datetime.now(UTC).isoformat()
    result = run(loaded, "retract", trail[1]["event_id"], "--reason", "letter withdrawn")
    assert result.exit_code == 0, result.output
    assert "member-0" in members(loaded)
    assert "member-0" not in members(loaded, "--known-at", before)
    trail = json.loads(run(loaded, "trail", TERM, "--json").stdout)["events"]
    assert trail[1]["corrected_by"] == trail[2]["event_id"]


def test_the_trail_marks_entries_recorded_long_after_their_date(loaded: str) -> None:
    rows = json.loads(run(loaded, "trail", "--json").stdout)["events"]
    assert set(rows[0]) >= {"event_id", "term", "type", "effective", "recorded_at",
                            "recorded_by", "source", "command_id", "summary", "corrected_by"}
    assert rows[1]["retroactive_days"] > 30 and rows[1]["source"] == "letter 12"
    assert rows[1]["summary"] == "Member 0 left (resigned)"


def test_diff_lists_who_left_and_who_joined_with_the_cause(loaded: str) -> None:
    result = json.loads(run(loaded, "diff", TERM, "--from", "2023-01-01", "--to", "2023-12-31",
                            "--json").stdout)
    changes = {(c["person_id"], c["change"]) for c in result["changes"]}
    assert {("member-0", "left"), ("sub-0", "joined")} <= changes


def test_redate_moves_the_change(loaded: str) -> None:
    trail = json.loads(run(loaded, "trail", TERM, "--json").stdout)["events"]
    result = run(loaded, "redate", trail[1]["event_id"], "--effective", "2023-09-01",
                 "--reason", "date in the letter")
    assert result.exit_code == 0, result.output
    assert "member-0" in members(loaded)


def test_verify_and_digest_on_a_healthy_ledger(loaded: str, tmp_path: Path) -> None:
    digest = tmp_path / "heads.json"
    digest.write_text(run(loaded, "digest").stdout)
    result = run(loaded, "verify", "--digest", str(digest))
    assert result.exit_code == 0 and "checked 2 events: ok" in result.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert run(loaded, "verify", "--digest", str(bad)).exit_code == 2


def test_the_trail_of_a_term_never_constituted_is_not_found(loaded: str) -> None:
    result = run(loaded, "trail", "nordjylland/2010")
    assert result.exit_code == 1 and "no term nordjylland/2010 in the ledger" in result.stderr


def test_the_trail_of_a_term_known_at_a_moment_before_it_was_recorded_is_not_found(
    loaded: str,
) -> None:
    result = run(loaded, "trail", "nordjylland/2022", "--known-at", "2000-01-01")
    assert result.exit_code == 1 and "was not yet recorded at 2000-01-01" in result.stderr
