"""The Blå Bog as CSV: one row per KKR place and one per post, a `section` column says which."""

from __future__ import annotations

import csv
import io

from commands.bluebook.labels import Edition
from commands.bluebook.rows import COLUMNS, Row, place_rows, post_rows


def cell(value: object) -> str:
    """Flags as true/false (as in the JSON contract), nothing as an empty cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def render_csv(data: Edition) -> str:
    """Sections `member` and `substitute` (roster order), then `designation` (by person)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows: list[Row] = [*place_rows(data), *post_rows(data)]
    writer.writerows({column: cell(value) for column, value in row.items()} for row in rows)
    return buffer.getvalue()
