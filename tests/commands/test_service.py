"""The service answers each reading question with the data the CLI prints as JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from commands.service import questions
from commands.service.session import LedgerMissing, Session
from tests.e2e.test_cli import run

MOMENT = datetime(2100, 1, 1, tzinfo=UTC)
KNOWN = ["--known-at", MOMENT.isoformat()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('service') / 'demo.sqlite'}"
    assert run(url, "demo").exit_code == 0
    return url


@pytest.fixture
def session(demo: str) -> Iterator[Session]:
    opened = Session(demo, reading=True)
    yield opened
    opened.close()


def cli_json(url: str, *args: str) -> object:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def as_printed(data: object) -> object:
    return json.loads(json.dumps(data, default=str))


def test_a_roster_is_the_data_the_cli_prints(demo: str, session: Session) -> None:
    target = questions.Target.parse("nordjylland")
    answer = questions.roster(session, target, date(2023, 6, 1), MOMENT)
    assert as_printed(answer) == cli_json(demo, "roster", "nordjylland", "--on", "2023-06-01",
                                          *KNOWN)


def test_who_explain_trail_and_diff_are_the_data_the_cli_prints(demo: str,
                                                                 session: Session) -> None:
    person = "maria-storm-johansen"
    assert as_printed(questions.who(session, person, MOMENT)) == cli_json(
        demo, "who", person, *KNOWN)
    assert as_printed(questions.explain(session, person, date(2023, 1, 1), MOMENT)) == \
        cli_json(demo, "explain", person, "--on", "2023-01-01", *KNOWN)
    assert as_printed(questions.trail(session, "syddanmark/2022", MOMENT)) == cli_json(
        demo, "trail", "syddanmark/2022", *KNOWN)
    assert as_printed(questions.diff(session, "nordjylland/2022", date(2022, 2, 1),
                                     date(2025, 1, 1), MOMENT)) == cli_json(
        demo, "diff", "nordjylland/2022", "--from", "2022-02-01", "--to", "2025-01-01", *KNOWN)


def test_an_audit_is_the_data_the_cli_prints(demo: str, session: Session) -> None:
    answer = questions.audit(session, questions.Target(), date(2023, 6, 1), MOMENT,
                             on=date(2023, 6, 1))
    assert as_printed(answer) == cli_json(demo, "audit", "--on", "2023-06-01", *KNOWN)


def test_a_reading_session_refuses_a_missing_file_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    with pytest.raises(LedgerMissing):
        questions.who(Session(f"sqlite:///{missing}", reading=True), "x", MOMENT)
    assert not missing.exists()


def test_a_stored_batch_whose_projection_cannot_be_caught_up_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a catch-up that finds the database held by another writer
    from commands.batch import parse_lines
    from commands.service import writes
    from projections.readmodel.catchup import Projector
    from tests.builders import constitution_line

    def busy(*_args: object, **_kwargs: object) -> None:
        holder = sqlite3.connect(tmp_path / "held.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        sqlite3.connect(tmp_path / "held.db", timeout=0).execute("BEGIN IMMEDIATE")

    monkeypatch.setattr(Projector, "catch_up", busy)
    session = Session(f"sqlite:///{tmp_path / 'kkr.sqlite'}", reading=False)
    line = json.dumps(constitution_line("nordjylland/2022", "2022-01-20"))
    # when a batch is applied
    result = writes.apply_commands(session, parse_lines([line]), "test")
    # then it is stored and reported, and the result says why it is not projected
    assert result.applied == 1 and result.events
    assert result.unprojected is not None and "held by another writer" in result.unprojected
    session.close()
