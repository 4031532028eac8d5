"""Reads straight from a current projection answer as the full path does, and import little."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner, Result

from commands.batch import apply_batch, parse_lines
from commands.cli.main import kkr
from ledger.store.application import Ledger
from projections.readmodel.plain import EVENTS_TABLE
from tests.builders import constitution_line

ROSTERS = [
    ("nordjylland", "--on", "2023-06-01"),
    ("sjælland", "--on", "2024-01-01"),
    ("nordjylland/2018", "--on", "2019-03-01"),
    ("--all", "--on", "2023-06-01"),
]
FORMATS = [("--json",), ("--format", "table"), ("--format", "csv")]


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args])


@pytest.fixture
def demo(db_url: str) -> str:
    """Given the demo data loaded, its projection caught up."""
    assert run(db_url, "demo").exit_code == 0
    return db_url


@contextmanager
def no_reader() -> Iterator[None]:
    yield None


def full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("projections.readmodel.direct.current_reader", lambda url: no_reader())


def no_full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("the full path was taken")

    monkeypatch.setattr(Ledger, "__init__", refuse)


@pytest.mark.parametrize("known_now", [True, False], ids=["known now", "known before"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("target", ROSTERS)
def test_a_roster_from_a_current_projection_is_the_full_paths_byte_for_byte(
    demo: str, target: tuple[str, ...], fmt: tuple[str, ...], known_now: bool,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo ledger, asked as known in the future (now) or at a past moment
    moment = "2100-01-01T00:00:00" if known_now else datetime.now(UTC).isoformat()
    args = ("roster", *target, *fmt, "--known-at", moment)
    # when the same roster is read fast and through the application
    with monkeypatch.context() as patch:
        no_full_path(patch)
        fast = run(demo, *args)
    full_path(monkeypatch)
    full = run(demo, *args)
    # then both answer, alike to the byte
    assert fast.exit_code == full.exit_code == 0, fast.output + full.output
    assert fast.stdout == full.stdout and fast.stdout


@pytest.mark.parametrize("known_now", [True, False], ids=["known now", "known before"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("person", ["emil-clausen", "lone-eriksen"])
def test_a_persons_places_from_a_current_projection_are_the_full_paths_byte_for_byte(
    demo: str, person: str, fmt: tuple[str, ...], known_now: bool,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo ledger; when one person's places are read fast and through the application
    moment = "2100-01-01T00:00:00" if known_now else datetime.now(UTC).isoformat()
    with monkeypatch.context() as patch:
        no_full_path(patch)
        fast = run(demo, "who", person, *fmt, "--known-at", moment)
    full_path(monkeypatch)
    full = run(demo, "who", person, *fmt, "--known-at", moment)
    # then both answer, alike to the byte
    assert fast.exit_code == full.exit_code == 0, fast.output + full.output
    assert fast.stdout == full.stdout and fast.stdout


def test_a_missing_region_is_not_found_on_the_fast_path_too(
    demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_full_path(monkeypatch)
    result = run(demo, "roster", "nordjylland", "--on", "2000-01-01")
    assert result.exit_code == 1
    assert result.stderr == "Error: no term of KKR Nordjylland was in force on 2000-01-01\n"


def test_a_projection_behind_the_store_is_caught_up_before_the_roster_is_read(demo: str) -> None:
    # given a term stored by another process that did not project it
    ledger = Ledger(demo)
    apply_batch(ledger, parse_lines([json.dumps(constitution_line("nordjylland/2026",
                                                                  "2026-01-20"))]), "test")
    ledger.close()
    # when the roster of a day in that term is read
    result = run(demo, "roster", "nordjylland", "--on", "2026-06-01", "--json")
    # then it shows that term: the reader caught the projection up first
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["term"] == "nordjylland/2026"


def test_the_fast_path_names_the_event_store_that_the_ledger_uses() -> None:
    assert f"{Ledger.name}_events" == EVENTS_TABLE


def loaded_modules(*args: str) -> set[str]:
    """The heavy libraries a fresh process imported to run `kkr ARGS`."""
    code = ("import json, sys\nfrom commands.cli.main import main\ntry:\n"
            "    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True)
    names: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return set(names) & {"sqlalchemy", "eventsourcing", "eventsourcing_sqlalchemy", "pydantic",
                         "psycopg"}


def test_help_imports_no_storage_and_no_models() -> None:
    assert loaded_modules("--help") == set()


def test_a_roster_on_a_current_sqlite_projection_imports_no_storage_and_no_models(
    demo: str
) -> None:
    # given a current projection; when a region's roster is read in a fresh process
    heavy = loaded_modules("--db", demo, "roster", "nordjylland", "--on", "2023-06-01")
    # then SQLite is read without SQLAlchemy, the application or pydantic; PostgreSQL through
    # a bare SQLAlchemy engine
    if demo.startswith("sqlite"):
        assert heavy == set()
    else:
        assert heavy == {"sqlalchemy", "psycopg"}
