"""A read-only PostgreSQL role can query: answers come from the projection as it stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from commands.cli.main import kkr
from tests.builders import constitution_line
from tests.conftest import PG_URL
from tests.pg_database import EVENTS_ONLY_ROLE, READER_ROLE

READER = READER_ROLE


def grant_role(url: str, role: str, *grants: str) -> str:
    """A login role of the test's run (made once) with USAGE on the schema and `grants`
    (each `PRIVILEGES ON OBJECTS`); returns the URL that logs in as it."""
    engine = create_engine(url)
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if not exists.first():
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        for grant in ("USAGE ON SCHEMA public", *grants):
            conn.execute(text(f'GRANT {grant} TO "{role}"'))
    engine.dispose()
    return url.replace("postgres@", f"{role}@", 1)


def grant_reader(url: str) -> str:
    """The README's read-only role, made for the test; returns its URL."""
    return grant_role(url, READER, "SELECT ON kkr_events, kkr_intervals, "
                      "kkr_projection_tracking")


@pytest.mark.skipif(not PG_URL, reason="a PostgreSQL role; runs in the PostgreSQL pass")
def test_a_read_only_role_answers_and_says_how_far_behind_it_is(
    db_url: str, tmp_path: Path
) -> None:
    # given a term written and projected by the owner, then one more event not yet projected
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2022", "2022-01-20")) + "\n")
    assert CliRunner().invoke(kkr, ["--db", db_url, "apply", str(batch)]).exit_code == 0
    reader = grant_reader(db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE kkr_projection_tracking SET position = position - 1"))
    engine.dispose()
    # when the reader asks for the roster
    result = CliRunner().invoke(kkr, ["--db", reader, "roster", "nordjylland", "--on",
                                      "2023-01-01", "--json"])
    # then it gets an answer and a warning, and nothing was written
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["term"] == "nordjylland/2022"
    assert "read-only access" in result.stderr
    leave = tmp_path / "leave.jsonl"
    leave.write_text(json.dumps({"command": "start_leave", "term": "nordjylland/2022",
                                 "effective": "2023-01-01", "person_id": "member-0",
                                 "reason": "health", "expected_until": "2023-06-01"}) + "\n")
    writing = CliRunner().invoke(kkr, ["--db", reader, "apply", str(leave)])
    assert writing.exit_code == 6 and "read-only role cannot write" in writing.stderr


@pytest.mark.skipif(not PG_URL, reason="a PostgreSQL role; runs in the PostgreSQL pass")
def test_a_role_that_may_store_events_but_not_project_them_is_refused_before_storing(
    db_url: str, tmp_path: Path
) -> None:
    # given a term, and a role that may insert events but only read the projection
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(constitution_line("nordjylland/2022", "2022-01-20")) + "\n")
    assert CliRunner().invoke(kkr, ["--db", db_url, "apply", str(batch)]).exit_code == 0
    writer = grant_role(db_url, EVENTS_ONLY_ROLE, "SELECT, INSERT ON kkr_events",
                        "USAGE ON ALL SEQUENCES IN SCHEMA public",
                        "SELECT ON kkr_intervals, kkr_projection_tracking")
    # when it applies a change
    leave = tmp_path / "leave.jsonl"
    leave.write_text(json.dumps({"command": "start_leave", "term": "nordjylland/2022",
                                 "effective": "2023-01-01", "person_id": "member-0",
                                 "reason": "health", "expected_until": "2023-06-01"}) + "\n")
    result = CliRunner().invoke(kkr, ["--db", writer, "apply", str(leave)])
    # then it is refused before anything is stored (exit 6), and the trail has one event
    assert result.exit_code == 6 and "may not update the projection" in result.stderr
    trail = CliRunner().invoke(kkr, ["--db", db_url, "trail", "--json"])
    assert len(json.loads(trail.stdout)["events"]) == 1
