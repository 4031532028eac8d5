"""The interval projection: catch-up with tracking, rebuild equal to incremental, known-at."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from commands.batch import apply_batch, parse_lines
from ledger.events import LeaveEnded, LeaveStarted
from ledger.store.application import Ledger
from ledger.values import TermId
from projections.readmodel.catchup import Projector
from projections.readmodel.tables import intervals
from projections.views.roster import roster_of_region
from scripts.synthetic import synthetic_history
from tests.builders import constitution_line, envelope, places

EARLIER, LATER = TermId.parse("nordjylland/2018"), TermId.parse("nordjylland/2022")


def table(projector: Projector) -> list[tuple[Any, ...]]:
    c = intervals.c
    with projector.engine.connect() as conn:
        rows = conn.execute(select(c.term, c.kind, c.seat, c.person_id, c.role, c.valid_from,
                                   c.valid_to, c.recorded_from, c.recorded_to, c.data))
        return sorted((tuple(r) for r in rows), key=repr)


def constitute_both(store: Ledger) -> None:
    store.execute(lambda u: u.constitute(EARLIER, envelope("2018-01-18"), places()))
    store.execute(lambda u: u.constitute(LATER, envelope("2022-01-20"), places()))


def test_catch_up_projects_each_event_once_and_tracks_the_position(
    store: Ledger, projector: Projector
) -> None:
    constitute_both(store)
    assert projector.catch_up() == 3
    assert projector.catch_up() == 0
    assert projector.position() == 3


def test_rebuild_equals_the_incrementally_maintained_table(
    store: Ledger, projector: Projector
) -> None:
    store.execute(lambda u: u.constitute(EARLIER, envelope("2018-01-18"), places()))
    projector.catch_up()
    store.execute(lambda u: u.constitute(LATER, envelope("2022-01-20"), places()))
    projector.catch_up()
    incremental = table(projector)
    assert Projector(store).rebuild() == 3
    assert table(projector) == incremental


def test_a_fresh_projector_continues_where_the_last_one_stopped(
    store: Ledger, projector: Projector
) -> None:
    store.execute(lambda u: u.constitute(EARLIER, envelope("2018-01-18"), places()))
    projector.catch_up()
    store.execute(lambda u: u.constitute(LATER, envelope("2022-01-20"), places()))
    assert Projector(store).catch_up() == 2
    rebuilt = Projector(store)
    before = table(rebuilt)
    rebuilt.rebuild()
    assert table(rebuilt) == before


def test_known_at_before_the_successor_was_recorded_shows_the_old_term_open(
    store: Ledger, projector: Projector
) -> None:
    store.execute(lambda u: u.constitute(EARLIER, envelope("2018-01-18"), places()))
    between = datetime.now(UTC)
    store.execute(lambda u: u.constitute(LATER, envelope("2022-01-20"), places()))
    projector.catch_up()
    with projector.engine.connect() as conn:
        then = roster_of_region(conn, "nordjylland", date(2023, 1, 1), between)
        now = roster_of_region(conn, "nordjylland", date(2023, 1, 1), between + timedelta(days=1))
    assert (then["term"], now["term"]) == ("nordjylland/2018", "nordjylland/2022")


def test_a_projector_that_forgets_terms_writes_the_same_rows(
    store: Ledger, projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given two terms whose events interleave, and a projector that keeps one term at a time
    monkeypatch.setattr("projections.readmodel.catchup.TERMS_KEPT", 1)
    store.execute(lambda u: u.constitute(EARLIER, envelope("2018-01-18"), places()))
    store.execute(lambda u: u.constitute(LATER, envelope("2022-01-20"), places()))
    for day in ("2022-03-01", "2022-09-01"):
        store.execute(lambda u, d=day: u.term(LATER).record_fact(
            LeaveStarted if d < "2022-06" else LeaveEnded, envelope(d), person_id="member-0",
            **({"expected_until": date(2022, 8, 1), "reason": "health"} if d < "2022-06"
               else {})))
    # when it projects them, and again from zero with room for every term
    projector.catch_up()
    forgetful = table(projector)
    monkeypatch.setattr("projections.readmodel.catchup.TERMS_KEPT", 64)
    Projector(store).rebuild()
    # then the rows are the same
    assert table(projector) == forgetful


def test_rows_written_from_the_changes_of_the_apply_equal_a_rebuild(
    store: Ledger, projector: Projector
) -> None:
    # given two terms, a leave, and a back-dated start of another leave, applied with tracking
    lines = [constitution_line("nordjylland/2018", "2018-01-18"),
             constitution_line("nordjylland/2022", "2022-01-20"),
             leave_line("start_leave", "2023-03-01", "member-0", "2023-09-01"),
             leave_line("start_leave", "2022-05-01", "member-1", "2022-09-01"),
             leave_line("end_leave", "2022-08-01", "member-1")]
    result = apply_batch(store, parse_lines([json.dumps(line) for line in lines]), "test",
                         track_changes=True)
    # when the projector writes the rows from those changes
    assert projector.catch_up(result.changes) == 6
    prepared = table(projector)
    # then they are the rows a rebuild writes from the stored events
    Projector(store).rebuild()
    assert table(projector) == prepared


@pytest.mark.parametrize("workers", [0, 2])
def test_a_rebuild_term_by_term_in_one_or_more_processes_equals_the_incremental_table(
    store: Ledger, projector: Projector, workers: int
) -> None:
    # given six terms of synthetic history, applied and projected in small batches (so rows
    # of one term are closed by events of later batches)
    history = [json.dumps(line) for line in synthetic_history(terms=6, events_per_term=120)]
    for start in range(0, len(history), 97):
        result = apply_batch(store, parse_lines(history[start:start + 97]), "test",
                             track_changes=True)
        projector.catch_up(result.changes)
    incremental = table(projector)
    events = projector.position()
    # when the projection is rebuilt from zero, folding terms here or in worker processes
    assert Projector(store).rebuild(workers=workers) == events
    # then every row version is the same, and the position is where it was
    assert table(projector) == incremental
    assert projector.position() == events


def leave_line(command: str, day: str, person: str, until: str = "") -> dict[str, Any]:
    line = {"command": command, "term": "nordjylland/2022", "effective": day,
            "person_id": person}
    return line | ({"reason": "health", "expected_until": until} if until else {})


def test_an_interval_reopened_on_its_first_day_is_replaced_not_doubled(
    store: Ledger, projector: Projector
) -> None:
    # given a constitution and, on the same day, a party change of a mayor (the person's
    # interval opened that day is dropped and opened again with the new party)
    lines = [constitution_line("nordjylland/2022", "2022-01-20"),
             {"command": "change_party", "term": "nordjylland/2022", "effective": "2022-01-20",
              "person_id": "mayor-morsoe", "party": "Ø"}]
    for line in lines:  # two batches, so the first one's rows are in the table already
        result = apply_batch(store, parse_lines([json.dumps(line)]), "test", track_changes=True)
        projector.catch_up(result.changes)
    # when the table is compared with a rebuild, then they are equal
    prepared = table(projector)
    Projector(store).rebuild()
    assert table(projector) == prepared
