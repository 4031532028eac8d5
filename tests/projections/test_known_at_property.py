"""Bitemporal property: the roster known at T equals the fold of only the events recorded by T."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.events import LeaveEnded, LeaveStarted, MembershipEnded, SubstituteAppointed
from ledger.fold import fold
from ledger.store.application import Ledger, UnitOfWork
from ledger.values import TermId
from projections.readmodel.catchup import Projector
from projections.views.reads import Row
from projections.views.roster import compose_roster, roster_of_term
from tests.builders import envelope, person, places
from tests.conftest import fresh_db_url

TERM = TermId.parse("nordjylland/2022")
START = date(2022, 1, 20)
PROBE_DAYS = [START + timedelta(days=d) for d in (0, 100, 250, 400, 700, 1000, 1300)]

operation = st.tuples(
    st.sampled_from(["start_leave", "end_leave", "end_membership", "appoint_substitute",
                     "retract"]),
    st.integers(0, 4), st.integers(1, 1400), st.integers(90, 400),
)


def attempt(ledger: Ledger, op: tuple[str, int, int, int], serial: int) -> None:
    kind, n, offset, length = op
    day = START + timedelta(days=offset)

    def work(unit: UnitOfWork) -> None:
        term = unit.term(TERM)
        if kind == "start_leave":
            term.record_fact(LeaveStarted, envelope(str(day)), person_id=f"member-{n}",
                             expected_until=day + timedelta(days=length), reason="health")
        elif kind == "end_leave":
            term.record_fact(LeaveEnded, envelope(str(day)), person_id=f"member-{n}")
        elif kind == "end_membership":
            term.record_fact(MembershipEnded, envelope(str(day)), person_id=f"member-{n}",
                             reason="resigned")
        elif kind == "appoint_substitute":
            term.record_fact(SubstituteAppointed, envelope(str(day)), for_member="party:a:1",
                             person=person(f"new-sub-{serial}", "Aalborg", "A"))
        else:
            target = term.facts[min(len(term.facts) - 1, 1 + n)]
            term.retract(envelope(str(day)), target.event_id, "test")

    with contextlib.suppress(LedgerError):  # a refused command leaves the history as it was
        ledger.execute(work)


def rows_from_fold(ledger: Ledger, moment: datetime, day: date) -> list[Row]:
    events = [e for e in ledger.stream(TERM.uuid) if e.timestamp <= moment]
    timeline = fold(str(TERM), events)
    return [Row(str(TERM), TERM.region, i.kind, i.seat, i.person_id, i.data.get("role", ""),
                i.valid_from, i.valid_to, json.loads(json.dumps(i.data, default=str)))
            for i in timeline.intervals if i.holds_on(day)]


def seats(roster: dict[str, Any]) -> Any:
    return roster["seats"], roster["chair"], roster["vice_chair"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=8))
def test_the_roster_known_at_t_is_the_fold_of_the_events_recorded_by_t(
    store_folder: Path, ops: list[tuple[str, int, int, int]]
) -> None:
    ledger = Ledger(fresh_db_url(store_folder))
    try:
        ledger.execute(lambda u: u.constitute(TERM, envelope(str(START)), places()))
        for serial, op in enumerate(ops):
            attempt(ledger, op, serial)
        projector = Projector(ledger)
        projector.catch_up()
        moments = sorted({e.timestamp for e in ledger.stream(TERM.uuid)})
        with projector.engine.connect() as conn:
            for moment in moments:
                for day in PROBE_DAYS:
                    from_table = roster_of_term(conn, str(TERM), day, moment)
                    expected = compose_roster(str(TERM), day, moment,
                                              rows_from_fold(ledger, moment, day))
                    assert seats(from_table) == seats(expected), (moment, day)
    finally:
        ledger.close()
