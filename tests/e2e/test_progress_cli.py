"""Progress bars on apply, rebuild, demo and replay: drawn at a terminal, silent elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli import progress
from commands.cli.main import kkr
from tests.builders import constitution_line

LONG_COMMANDS = [["demo"], ["rebuild"], ["replay", "nordjylland/2022"]]


def run(db_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args], input=stdin)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given stderr taken for a terminal."""
    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: True)


def stderr_of_long_commands(tmp_path: Path) -> list[str]:
    url = f"sqlite:///{tmp_path / 'kkr.sqlite'}"
    results = [run(url, *args) for args in LONG_COMMANDS]
    line = json.dumps(constitution_line("nordjylland/2026", "2026-01-20"))
    results.append(run(url, "apply", "-", stdin=line))
    assert [r.exit_code for r in results] == [0, 0, 0, 0], [r.output for r in results]
    return [r.stderr for r in results]


def test_without_a_terminal_the_long_commands_print_only_their_messages(
        tmp_path: Path) -> None:
    # when demo, rebuild, replay and apply run with stderr not a terminal (as here)
    stderr = stderr_of_long_commands(tmp_path)
    # then stderr holds their one-line messages and nothing of a progress bar
    assert stderr[0] == "applied 314 commands\n"
    assert stderr[1].startswith("rebuilt the projections from ") and stderr[1].count("\n") == 1
    assert stderr[2] == "" and stderr[3] == "applied 1 command\n"


def test_at_a_terminal_the_long_commands_draw_a_progress_bar(terminal: None,
                                                             tmp_path: Path) -> None:
    # when demo, rebuild, replay and apply run with stderr a terminal
    stderr = stderr_of_long_commands(tmp_path)
    # then each draws its bar, finished, before its message
    assert "applying" in stderr[0] and "314/314" in stderr[0]
    assert "rebuilding" in stderr[1] and "replaying" in stderr[2]
    assert "applying" in stderr[3] and "1/1" in stderr[3]
    assert stderr[0].rstrip().endswith("applied 314 commands")


@pytest.mark.parametrize("question", [["roster", "--all", "--on", "2023-06-01"],
                                      ["trail", "nordjylland/2022"],
                                      ["audit", "--on", "2023-06-01"]])
def test_the_progress_library_is_not_loaded_by_a_reading_command(
    tmp_path: Path, question: list[str]
) -> None:
    import subprocess
    import sys

    # given the demo data
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert CliRunner().invoke(kkr, ["--db", url, "demo"]).exit_code == 0
    # when a reading command answers in a fresh interpreter
    code = ("import sys; from commands.cli.main import main\n"
            f"try: main({['--db', url, *question]!r})\nexcept SystemExit as done:\n"
            "    print('exit', done.code)\n"
            "print('rich' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=60)
    # then it answered, and rich was never imported
    assert "exit 0" in done.stdout or "exit None" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().endswith("False"), done.stdout + done.stderr
