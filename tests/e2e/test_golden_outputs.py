"""Every reading command answers the release-0.1 demo database exactly as recorded here.

The outputs are pinned byte for byte (tests/data/golden/release-0.1.json): a change of any
output must be meant. To record a meant change, run
`KKR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/e2e/test_golden_outputs.py` and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.e2e.test_cli import run
from tests.e2e.test_old_release_database import MOMENT, old_database  # noqa: F401 (fixture)

GOLDEN = Path(__file__).parent.parent / "data" / "golden" / "release-0.1.json"
KNOWN = ["--known-at", MOMENT]
CALLS = [
    ["roster", "--all", "--on", "2023-06-01", *KNOWN],
    ["roster", "nordjylland", "--on", "2019-06-01", *KNOWN],
    ["roster", "nordjylland", "--on", "2023-06-01", *KNOWN, "--format", "csv"],
    ["roster", "nordjylland", "--on", "2026-06-01", *KNOWN, "--json"],
    ["who", "rasmus-vestergaard-poulsen", *KNOWN, "--json"],
    ["who", "maria-storm-johansen", *KNOWN],
    ["explain", "maria-storm-johansen", "--on", "2023-01-01", *KNOWN, "--json"],
    ["diff", "nordjylland/2022", "--from", "2022-02-01", "--to", "2025-01-01", *KNOWN, "--json"],
    ["audit", "--on", "2023-06-01", *KNOWN, "--json"],
    ["audit", "nordjylland/2022", "--on", "2026-06-01", *KNOWN],
    ["audit", "--from", "2022-01-01", "--to", "2024-01-01", *KNOWN, "--format", "csv"],
    ["replay", "nordjylland/2022", "--until", "2025-12-31", *KNOWN, "--json"],
    ["replay", "syddanmark/2022", "--until", "2025-12-31", *KNOWN],
    ["export", "nordjylland/2022", "--period", "--format", "popolo", *KNOWN],
    ["export", "syddanmark", "--on", "2023-06-01", "--format", "csv", *KNOWN],
    ["trail", *KNOWN, "--json"],
    ["trail", "nordjylland/2022", *KNOWN, "--wide"],
    ["verify", "--json"],
    ["digest"],
]


def answers(url: str) -> dict[str, dict[str, object]]:
    found = {}
    for call in CALLS:
        result = run(url, *call)
        found[" ".join(call)] = {"exit": result.exit_code, "stdout": result.stdout,
                                 "stderr": result.stderr}
    return found


def test_every_reading_command_answers_as_recorded(old_database: str,  # noqa: F811
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")  # the trail's table fits the terminal
    found = answers(old_database)
    if os.environ.get("KKR_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
    recorded = json.loads(GOLDEN.read_text())
    for call, answer in found.items():
        assert answer == recorded.get(call), call
