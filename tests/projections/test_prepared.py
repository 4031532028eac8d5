"""Prepared changes of a large unit of work wait on disk, chunk by chunk, until projected."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from ledger.aggregate import FactChanges
from ledger.fold.book import Interval
from ledger.store.prepared import PreparedChanges
from projections.readmodel.rows import packed_changes

MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


def changes_of(stream: UUID, version: int) -> FactChanges:
    opened = Interval("member", "mayor:aalborg", f"p{version}", date(2022, 1, 20))
    closed = Interval("role", "", "p0", date(2022, 1, 20), date(2023, 5, 1),
                      {"role": "chair", "share": 0.125, "cause": None, "end_reason": "æøå"})
    removed = ("acting", "mayor:aalborg", "p0", "", date(2022, 3, 1))
    return FactChanges("nordjylland/2022", "nordjylland", stream, version, MOMENT,
                       {opened.key: opened, closed.key: closed, removed: None},
                       frozenset({opened.key}))


def test_changes_added_in_chunks_come_back_by_stream_and_version_in_any_order() -> None:
    # given three chunks of two streams' changes
    first, second = uuid4(), uuid4()
    prepared = PreparedChanges(packed_changes)
    prepared.add([changes_of(first, v) for v in (1, 2, 3)] + [changes_of(second, 1)])
    prepared.add([changes_of(first, v) for v in (4, 5)])
    prepared.add([changes_of(second, v) for v in (2, 3)])
    # when they are asked for backwards, then forwards
    asked = [(second, 3), (first, 1), (first, 5), (second, 1)]
    found = [prepared.get(stream, version) for stream, version in asked]
    # then each is the one added, and what was never added is not found
    assert found == [packed_changes(changes_of(stream, version)) for stream, version in asked]
    assert prepared.get(first, 6) is None and prepared.get(uuid4(), 1) is None
    assert len(prepared) == 8
    prepared.close()


def test_earlier_chunks_go_to_a_file_without_a_name_closed_with_the_changes() -> None:
    # given two chunks (the first is written out when the second comes)
    stream = uuid4()
    prepared = PreparedChanges(packed_changes)
    prepared.add([changes_of(stream, 1)])
    assert prepared._fd < 0  # one chunk stays in memory
    prepared.add([changes_of(stream, 2)])
    fd = prepared._fd
    # then the file has no name left (a killed process leaves nothing behind)
    assert os.fstat(fd).st_nlink == 0 and os.fstat(fd).st_size > 0
    # and when the prepared changes are closed, so is the file
    prepared.close()
    with pytest.raises(OSError):
        os.fstat(fd)
