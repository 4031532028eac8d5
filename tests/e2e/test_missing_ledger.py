"""Reading a SQLite file that does not exist is refused; writing creates it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli.main import NEEDS_EXISTING_LEDGER, kkr

READS = [
    ("roster", "nordjylland"), ("roster", "--all"), ("who", "anne-hansen"), ("trail",),
    ("explain", "anne-hansen", "--on", "2023-01-01"),
    ("diff", "nordjylland/2022", "--from", "2023-01-01", "--to", "2024-01-01"), ("verify",),
    ("digest",), ("audit",), ("replay", "nordjylland/2022"), ("export",), ("rebuild",),
    ("mandates", "nordjylland"), ("bluebook", "nordjylland", "--on", "2023-01-01"),
]


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", f"sqlite:///{path}", *args])


def test_every_reading_command_is_checked_for_a_missing_ledger() -> None:
    assert {args[0] for args in READS} == NEEDS_EXISTING_LEDGER


@pytest.mark.parametrize("args", READS, ids=lambda args: " ".join(args))
def test_a_reading_command_on_a_missing_file_says_so_and_creates_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    # given no database file; when a reading command is run on it
    path = tmp_path / "kkr.sqlite"
    result = run(path, *args)
    # then it refuses in one line naming the file, and leaves the folder empty
    assert result.exit_code == 1
    assert result.stderr == f"Error: no ledger at {path} (give --db URL or set KKR_DATABASE_URL)\n"
    assert list(tmp_path.iterdir()) == []


def test_the_default_file_is_named_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KKR_DATABASE_URL", raising=False)
    result = CliRunner().invoke(kkr, ["roster", "nordjylland"])
    assert result.exit_code == 1 and "no ledger at kkr.sqlite" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_of_a_reading_command_needs_no_ledger(tmp_path: Path) -> None:
    result = run(tmp_path / "kkr.sqlite", "roster", "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_folder_given_as_the_ledger_is_one_line_as_before(tmp_path: Path) -> None:
    result = run(tmp_path, "roster", "nordjylland")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: database not reachable: ")
    assert result.stderr.count("\n") == 1


def test_a_writing_command_creates_the_file(tmp_path: Path) -> None:
    # given no database file; when the demo data is loaded into it
    path = tmp_path / "kkr.sqlite"
    result = run(path, "demo")
    # then the file holds the ledger and reads answer from it
    assert result.exit_code == 0, result.output
    assert path.exists()
    assert run(path, "roster", "nordjylland", "--on", "2023-06-01").exit_code == 0
