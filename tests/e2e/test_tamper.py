"""Tampering with stored events directly in the table is detected by `kkr verify` (exit 4)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from commands.cli.main import kkr
from ledger.values import TermId
from tests.builders import constitution_line

TERM = TermId.parse("nordjylland/2022")


def run(db_url: str, *args: str) -> Result:
    return CliRunner().invoke(kkr, ["--db", db_url, *args])


def given_a_term_with_four_events(db_url: str, tmp_path: Path) -> str:
    def leave(command: str, day: str, **extra: str) -> dict[str, str]:
        return {"command": command, "term": str(TERM), "effective": day,
                "person_id": "member-0", **extra}

    lines = [constitution_line(str(TERM), "2022-01-20"),
             leave("start_leave", "2022-03-01", reason="health", expected_until="2022-08-01"),
             leave("end_leave", "2022-09-01"),
             leave("start_leave", "2023-02-01", reason="health", expected_until="2023-06-01")]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    assert run(db_url, "apply", str(batch)).exit_code == 0
    return f"{TERM.uuid}"


def tamper(db_url: str, statement: str, **params: object) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    engine.dispose()


def problems(db_url: str, *extra: str) -> tuple[int, list[dict[str, str]]]:
    result = run(db_url, "verify", "--json", *extra)
    return result.exit_code, json.loads(result.stdout)["problems"]


def stream_param(db_url: str, stream: str) -> object:
    from uuid import UUID

    uid = UUID(stream)
    return uid.bytes if db_url.startswith("sqlite") else uid


def test_an_untouched_ledger_verifies(db_url: str, tmp_path: Path) -> None:
    given_a_term_with_four_events(db_url, tmp_path)
    code, found = problems(db_url)
    assert (code, found) == (0, [])


def test_an_edited_payload_is_detected_naming_the_event(db_url: str, tmp_path: Path) -> None:
    stream = given_a_term_with_four_events(db_url, tmp_path)
    tamper(db_url, "UPDATE kkr_events SET state = :s WHERE originator_id = :o AND "
           "originator_version = 2", o=stream_param(db_url, stream),
           s=b'{"effective":"2022-03-02","person_id":"member-0"}')
    code, found = problems(db_url)
    assert code == 4
    assert any(f"{stream}:2" in p["problem"] for p in found)


def test_a_deleted_event_is_detected_naming_it(db_url: str, tmp_path: Path) -> None:
    stream = given_a_term_with_four_events(db_url, tmp_path)
    tamper(db_url, "DELETE FROM kkr_events WHERE originator_id = :o AND originator_version = 3",
           o=stream_param(db_url, stream))
    code, found = problems(db_url)
    assert code == 4 and any(f"{stream}:3" in p["problem"] and "missing" in p["problem"]
                             for p in found)


def test_an_inserted_event_is_detected(db_url: str, tmp_path: Path) -> None:
    stream = given_a_term_with_four_events(db_url, tmp_path)
    forged = json.dumps({"effective": "2023-05-01", "person_id": "member-1", "timestamp":
                         "2023-05-01T00:00:00+00:00", "previous_hash": "f" * 64}).encode()
    tamper(db_url, "INSERT INTO kkr_events (originator_id, originator_version, topic, state) "
           "VALUES (:o, 5, 'ledger.events:LeaveEnded', :s)", o=stream_param(db_url, stream),
           s=forged)
    code, found = problems(db_url)
    assert code == 4 and [p["event_id"] for p in found] == [f"{stream}:5"]


def test_reordered_events_are_detected(db_url: str, tmp_path: Path) -> None:
    stream = given_a_term_with_four_events(db_url, tmp_path)
    o = stream_param(db_url, stream)
    for old, new in ((2, 99), (3, 2), (99, 3)):
        tamper(db_url, "UPDATE kkr_events SET originator_version = :n WHERE originator_id = :o "
               "AND originator_version = :v", o=o, n=new, v=old)
    code, found = problems(db_url)
    assert code == 4 and found


def test_a_truncated_stream_is_detected_only_with_a_kept_digest(
    db_url: str, tmp_path: Path
) -> None:
    stream = given_a_term_with_four_events(db_url, tmp_path)
    digest = tmp_path / "heads.json"
    digest.write_text(run(db_url, "digest").stdout)
    tamper(db_url, "DELETE FROM kkr_events WHERE originator_id = :o AND originator_version = 4",
           o=stream_param(db_url, stream))
    assert problems(db_url)[0] == 0
    code, found = problems(db_url, "--digest", str(digest))
    assert code == 4 and found[0]["event_id"] == f"{stream}:4"
    assert "truncated" in found[0]["problem"]


def test_a_rewritten_last_event_differs_from_the_digest(db_url: str, tmp_path: Path) -> None:
    stream = given_a_term_with_four_events(db_url, tmp_path)
    digest = tmp_path / "heads.json"
    digest.write_text(run(db_url, "digest").stdout)
    tamper(db_url, "UPDATE kkr_events SET state = :s WHERE originator_id = :o AND "
           "originator_version = 4", o=stream_param(db_url, stream), s=b'{"x": 1}')
    code, found = problems(db_url, "--digest", str(digest))
    assert code == 4 and any(p["event_id"] == f"{stream}:4" for p in found)
