"""Prepared changes of a large unit of work wait on disk, chunk by chunk, until projected."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from ledger.prepared import PreparedChanges
from ledger.term import FactChanges
from ledger.timeline import Interval

MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


def changes_of(stream: UUID, version: int) -> FactChanges:
    interval = Interval("member", "mayor:aalborg", f"p{version}", date(2022, 1, 20))
    return FactChanges("nordjylland/2022", stream, version, MOMENT, {interval.key: interval},
                       frozenset({interval.key}))


def test_changes_added_in_chunks_come_back_by_stream_and_version_in_any_order() -> None:
    # given three chunks of two streams' changes
    first, second = uuid4(), uuid4()
    prepared = PreparedChanges()
    prepared.add([changes_of(first, v) for v in (1, 2, 3)] + [changes_of(second, 1)])
    prepared.add([changes_of(first, v) for v in (4, 5)])
    prepared.add([changes_of(second, v) for v in (2, 3)])
    # when they are asked for backwards, then forwards
    found = [prepared.get(s, v) for s, v in [(second, 3), (first, 1), (first, 5), (second, 1)]]
    # then each is the one added, and what was never added is not found
    assert [(c.stream, c.version) for c in found if c] == [(second, 3), (first, 1), (first, 5),
                                                           (second, 1)]
    assert prepared.get(first, 6) is None and prepared.get(uuid4(), 1) is None
    assert len(prepared) == 8
    prepared.close()


def test_earlier_chunks_go_to_a_file_that_is_removed_when_closed() -> None:
    # given two chunks (the first is written out when the second comes)
    stream = uuid4()
    prepared = PreparedChanges()
    prepared.add([changes_of(stream, 1)])
    assert not prepared._path  # one chunk stays in memory
    prepared.add([changes_of(stream, 2)])
    path = prepared._path
    assert os.path.exists(path)
    # when the prepared changes are closed
    prepared.close()
    # then the file is gone
    assert not os.path.exists(path)
