"""The kkr CLI end to end on a temporary database: write, read, rebuild, refuse."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from commands.cli.main import COMMANDS, kkr
from tests.builders import constitution_line


def run(db_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args], input=stdin)


def write_batch(tmp_path: Path, *lines: dict[str, Any] | str) -> str:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return str(path)


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    """Given Nordjylland 2018 and 2022 constituted through `kkr apply`."""
    batch = write_batch(tmp_path, constitution_line("nordjylland/2018", "2018-01-18"),
                        constitution_line("nordjylland/2022", "2022-01-20"))
    result = run(db_url, "apply", batch)
    assert result.exit_code == 0, result.output
    return db_url


def test_roster_json_follows_the_contract(loaded: str) -> None:
    result = run(loaded, "roster", "nordjylland", "--on", "2023-06-10", "--json")
    roster = json.loads(result.stdout)
    assert roster["term"] == "nordjylland/2022" and roster["max_size"] == 22
    assert roster["chair"] == {"person_id": "mayor-morsoe", "name": "Mayor Morsoe"}
    seat = roster["seats"][0]
    assert set(seat) >= {"seat", "kind", "municipality", "party", "member", "status", "acting",
                         "substitute", "roles"}
    assert seat["status"] == "active" and seat["roles"] == ["chair"]


def test_roster_answers_from_the_term_in_force_on_the_date(loaded: str) -> None:
    before = json.loads(run(loaded, "roster", "nordjylland", "--on", "2022-01-19",
                            "--json").stdout)
    after = json.loads(run(loaded, "roster", "nordjylland", "--on", "2022-01-20",
                           "--json").stdout)
    assert (before["term"], after["term"]) == ("nordjylland/2018", "nordjylland/2022")


def test_roster_table_is_readable(loaded: str) -> None:
    result = run(loaded, "roster", "nordjylland/2022", "--on", "2023-06-10")
    assert result.exit_code == 0
    assert "KKR Nordjylland — nordjylland/2022" in result.stdout
    assert "mayor:aalborg" in result.stdout and "formand Mayor Morsoe" in result.stdout


def test_roster_csv_has_one_row_per_seat(loaded: str) -> None:
    result = run(loaded, "roster", "nordjylland", "--on", "2023-06-10", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 16 and rows[0]["term"] == "nordjylland/2022"


def test_roster_all_lists_each_region_with_a_term_in_force(loaded: str) -> None:
    result = json.loads(run(loaded, "roster", "--all", "--on", "2023-06-10", "--json").stdout)
    assert [r["region"] for r in result["rosters"]] == ["nordjylland"]


def test_a_region_without_a_term_on_the_date_is_not_found(loaded: str) -> None:
    result = run(loaded, "roster", "sjaelland", "--on", "2023-06-10")
    assert result.exit_code == 1 and "no term of KKR Sjælland" in result.stderr


def test_who_lists_every_place_across_terms(loaded: str) -> None:
    result = json.loads(run(loaded, "who", "member-0", "--json").stdout)
    terms = [(p["term"], p["capacity"], p["from"], p["to"]) for p in result["places"]]
    assert terms == [("nordjylland/2018", "member", "2018-01-18", "2022-01-20"),
                     ("nordjylland/2022", "member", "2022-01-20", None)]
    assert result["places"][0]["end_reason"] == "term_ended"


def test_rebuild_gives_the_same_answers(loaded: str) -> None:
    before = run(loaded, "roster", "nordjylland", "--on", "2020-03-01", "--json").stdout
    assert run(loaded, "rebuild").exit_code == 0
    after = run(loaded, "roster", "nordjylland", "--on", "2020-03-01", "--json").stdout
    strip = [json.loads(x) | {"known_at": ""} for x in (before, after)]
    assert strip[0] == strip[1]


def test_a_batch_with_a_bad_line_writes_nothing(db_url: str, tmp_path: Path) -> None:
    northern = constitution_line("nordjylland/2022", "2022-01-20")
    bad = constitution_line("sjaelland/2022", "2022-01-20", members=northern["members"])
    batch = write_batch(tmp_path, constitution_line("nordjylland/2022", "2022-01-20"), bad)
    result = run(db_url, "apply", batch)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: line 2: [B1.0]")
    assert run(db_url, "roster", "nordjylland", "--on", "2023-01-01").exit_code == 1


def test_malformed_lines_exit_2_naming_line_and_field(db_url: str, tmp_path: Path) -> None:
    line = constitution_line("nordjylland/2022", "2022-13-01")
    result = run(db_url, "apply", write_batch(tmp_path, line))
    assert result.exit_code == 2 and "line 1: effective:" in result.stderr
    result = run(db_url, "apply", write_batch(tmp_path, "{not json"))
    assert result.exit_code == 2 and "line 1: not a JSON object" in result.stderr
    result = run(db_url, "apply", "-", stdin='{"command": "explode"}\n')
    assert result.exit_code == 2 and "line 1:" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_constitute_reads_a_yaml_file(db_url: str, tmp_path: Path) -> None:
    import yaml

    document = constitution_line("midtjylland/2022", "2022-01-25")
    document.update(constitution_line("nordjylland/2022", "2022-01-25"))
    del document["command"], document["term"]
    path = tmp_path / "constitution.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    result = run(db_url, "constitute", "nordjylland/2022", "--file", str(path))
    assert result.exit_code == 0, result.output
    assert run(db_url, "roster", "nordjylland", "--on", "2022-02-01").exit_code == 0


def test_an_unsupported_database_url_is_a_usage_error_without_the_password() -> None:
    result = CliRunner().invoke(kkr, ["--db", "mysql://kkr:s3cret@host/db", "roster", "--all"])
    assert result.exit_code == 2 and "s3cret" not in result.output


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name in COMMANDS:
        command = kkr.get_command(click.Context(kkr), name)
        assert command is not None, name
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


def test_every_command_has_help_with_an_example() -> None:
    for name, command in all_commands():
        assert command.help and "Example:" in command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"
