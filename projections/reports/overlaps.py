"""Terms of one region in force on the same day (B1.3): whatever caused it (a lost race, a
truncated stream), the audit says so; the statute allows one KKR a region at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from projections.reports.audit_view import Finding, dated
from projections.views.reads import Row


def overlapping_terms(terms: Iterable[Row], audited: set[str]) -> Iterator[Finding]:
    """An error for each two terms of a region in force together, when either is audited;
    it belongs to the later term, from its constitution on."""
    by_region: dict[str, list[Row]] = defaultdict(list)
    for row in terms:
        by_region[row.region].append(row)
    for rows in by_region.values():
        rows.sort(key=lambda r: r.valid_from)
        for index, earlier in enumerate(rows):
            for later in rows[index + 1:]:
                if {earlier.term, later.term} & audited and _together(earlier, later):
                    yield _finding(earlier, later)


def _together(earlier: Row, later: Row) -> bool:
    return later.valid_from < (earlier.valid_to or date.max)


def _finding(earlier: Row, later: Row) -> Finding:
    ends = [end for end in (earlier.valid_to, later.valid_to) if end is not None]
    where = (later.valid_from, min(ends) if ends else None)
    return Finding("B1.3", "error", "terms_overlap", later.term, where[0], where[1], (), (),
                   f"{earlier.term} and {later.term} are both in force {dated(where)}: the "
                   f"constitution of {later.term} did not end {earlier.term}")
