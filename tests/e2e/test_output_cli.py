"""What the CLI prints for people and programs (issue 12): ids, widths, windows, streams."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commands.cli.main import kkr


def run(db_url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args], env=env)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Given the demo data in a SQLite file of the module's own."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('demo')) / 'demo.sqlite'}"
    result = run(url, "demo")
    assert result.exit_code == 0, result.output
    return url


def test_roster_csv_names_every_person_by_person_id(demo: str) -> None:
    # when the roster is asked for as CSV
    result = run(demo, "roster", "nordjylland", "--on", "2023-06-01", "--format", "csv")
    # then member, acting and substitute each have a person_id column beside the name
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    first = rows[0]
    assert first["member_id"] == "per-munk-schmidt"
    assert first["substitute_id"] == "susanne-johansen" and first["acting_id"] == ""
    assert first["member"] == "Per Munk Schmidt (V)"


def test_roster_table_shows_the_person_id_after_each_name(demo: str) -> None:
    # when the roster is printed as a table
    result = run(demo, "roster", "nordjylland", "--on", "2023-06-01")
    # then each person shows the id to copy into `kkr who`
    assert "Per Munk Schmidt (V) per-munk-schmidt" in result.stdout
    assert "Susanne Johansen (V) susanne-johansen" in result.stdout


def test_roster_csv_has_the_acting_substitutes_person_id(demo: str) -> None:
    # given the roster JSON names someone acting on some day
    acting = _first_acting(demo)
    # when the same day is asked for as CSV
    result = run(demo, "roster", "--all", "--on", acting[0], "--format", "csv")
    # then the acting substitute's id is in the acting_id column
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert acting[1] in {r["acting_id"] for r in rows}


def _first_acting(demo: str) -> tuple[str, str]:
    for day in ("2022-06-01", "2023-01-01", "2023-06-01", "2024-01-01", "2024-06-01"):
        data = json.loads(run(demo, "roster", "--all", "--on", day, "--json").stdout)
        for roster in data["rosters"]:
            for seat in roster["seats"]:
                if seat["acting"]:
                    return day, seat["acting"]["person_id"]
    raise AssertionError("the demo data has nobody acting")


def audit_spans(demo: str, *args: str) -> list[tuple[str, str | None]]:
    result = run(demo, "audit", "nordjylland/2022", "--json", *args)
    assert result.exit_code == 0, result.output
    return [(f["from"], f["to"]) for f in json.loads(result.stdout)["findings"]]


def test_audit_window_keeps_the_findings_that_overlap_it(demo: str) -> None:
    # given the demo term has a finding 2023-09-01..2023-10-10 and one open since 2022
    assert ("2023-09-01", "2023-10-10") in audit_spans(demo)
    # when the audit is asked for a window that ends on the finding's first day
    spans = audit_spans(demo, "--from", "2023-01-01", "--to", "2023-09-01")
    # then both overlap it
    assert ("2023-09-01", "2023-10-10") in spans and len(spans) == 2


def test_audit_window_leaves_out_findings_outside_it(demo: str) -> None:
    # when the window lies after the finding's last day (2023-10-09)
    spans = audit_spans(demo, "--from", "2023-10-10", "--to", "2024-01-01")
    # then only the open finding is left
    assert spans == [("2022-01-20", None)]


def test_audit_window_without_a_term_audits_the_terms_in_force_then(demo: str) -> None:
    # when the whole ledger is audited for a window in 2019
    result = run(demo, "audit", "--from", "2019-01-01", "--to", "2019-02-01", "--json")
    # then only the Nordjylland 2018 term is audited
    assert json.loads(result.stdout)["terms"] == ["nordjylland/2018"]


def test_audit_window_beside_on_is_a_usage_error(demo: str) -> None:
    result = run(demo, "audit", "--on", "2023-01-01", "--from", "2023-01-01")
    assert result.exit_code == 2 and "not both" in result.stderr


def first_event_id(demo: str) -> str:
    event_id: str = json.loads(run(demo, "trail", "--limit", "1", "--json").stdout)[
        "events"][0]["event_id"]
    return event_id


def trail_lines(demo: str, columns: int, *args: str) -> list[str]:
    result = run(demo, "trail", *args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_trail_table_fits_the_terminal_with_the_event_id_first(demo: str, columns: int) -> None:
    # when the whole trail is printed at a terminal of that width
    lines = trail_lines(demo, columns)
    # then no line is wider, and each row starts with the event's short id
    assert max(len(line) for line in lines) <= columns
    stream, version = first_event_id(demo).split(":")
    assert lines[0].startswith("event") and lines[2].startswith(f"{stream[:8]}:{version} ")


def test_trail_short_ids_name_one_event_each(demo: str) -> None:
    # given the full ids of the trail
    events = json.loads(run(demo, "trail", "--json").stdout)["events"]
    # when the table shows them short
    shown = [line.split()[0] for line in trail_lines(demo, 80)[2:]]
    # then each short id is the full id's stream prefix and version, and no two are equal
    assert len(set(shown)) == len(shown) == len(events)
    for short, event in zip(shown, events, strict=True):
        stream, version = short.split(":")
        assert event["event_id"].startswith(stream) and event["event_id"].endswith(f":{version}")


def test_trail_wide_shows_every_column_and_full_ids(demo: str) -> None:
    # when the trail is printed --wide
    lines = trail_lines(demo, 80, "--wide", "--limit", "1")
    # then the full id comes first and the source, recorder and correction columns are there
    assert lines[0].split() == ["event_id", "recorded_at", "term", "effective", "type",
                                "summary", "source", "recorded_by", "late", "corrected_by"]
    assert lines[2].startswith(f"{first_event_id(demo)} ")


def test_trail_limit_keeps_the_first_n_events(demo: str) -> None:
    # when the trail is limited to 3 events
    limited = json.loads(run(demo, "trail", "--limit", "3", "--json").stdout)["events"]
    # then they are the first 3 of the whole trail
    everything = json.loads(run(demo, "trail", "--json").stdout)["events"]
    assert limited == everything[:3]


def test_trail_ndjson_is_one_event_object_per_line(demo: str) -> None:
    # when the trail of a term is printed as ndjson
    result = run(demo, "trail", "nordjylland/2022", "--format", "ndjson")
    # then each line is one of the JSON form's event objects
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects == json.loads(run(demo, "trail", "nordjylland/2022", "--json").stdout)["events"]


def test_export_of_a_region_for_the_period_holds_only_that_regions_terms(demo: str) -> None:
    # when Nordjylland is exported for the whole period
    result = run(demo, "export", "nordjylland", "--period", "--json")
    # then only its terms are in it
    assert json.loads(result.stdout)["terms"] == ["nordjylland/2018", "nordjylland/2022"]
