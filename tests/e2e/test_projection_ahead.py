"""A projection ahead of its event log (events restored from an older backup) is refused in
one line until it is rebuilt; it never silently stops taking new events."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import constitution_line
from tests.e2e.test_cli import run, write_batch
from tests.e2e.test_tamper import tamper


def test_a_projection_ahead_of_the_log_is_refused_until_rebuilt(db_url: str,
                                                                 tmp_path: Path) -> None:
    # given two terms projected, then the events of the second lost (an older backup)
    batch = write_batch(tmp_path, constitution_line("nordjylland/2018", "2018-01-18"),
                        constitution_line("nordjylland/2022", "2022-01-20"))
    assert run(db_url, "apply", batch).exit_code == 0
    tamper(db_url, "DELETE FROM kkr_events WHERE id > 1")
    # when the roster is asked for, or a new fact is applied
    roster = run(db_url, "roster", "nordjylland", "--on", "2023-06-01")
    new_term = write_batch(tmp_path, constitution_line("sjaelland/2022", "2022-01-20"))
    again = run(db_url, "apply", new_term)
    # then each is refused in one line naming the cure, and nothing was written
    for result in (roster, again):
        assert result.exit_code == 4, result.output
        assert "the projection has seen events up to id" in result.stderr
        assert "run `kkr rebuild`" in result.stderr
    assert len(json.loads(run(db_url, "trail", "--json").stdout)["events"]) == 1
    # and after a rebuild both work again
    assert run(db_url, "rebuild").exit_code == 0
    assert run(db_url, "apply", new_term).exit_code == 0
    answer = run(db_url, "roster", "sjaelland", "--on", "2023-06-01", "--json")
    assert json.loads(answer.stdout)["term"] == "sjaelland/2022"
