"""The trail as a table that fits the terminal: short event ids, summaries cut to the width."""

from __future__ import annotations

import json
import shutil
from typing import Any

import click

from commands.cli.output import print_table

WIDE_COLUMNS = ("event_id", "recorded_at", "term", "effective", "type", "summary", "source",
                "recorded_by", "late", "corrected_by")
NARROW_COLUMNS = ("event", "recorded", "term", "effective", "summary")
SHORTEST_ID = 8  # hex digits of the stream's uuid
NARROWEST, FALLBACK_WIDTH, LEAST_SUMMARY = 60, 100, 16


def short_ids(event_ids: list[str]) -> dict[str, str]:
    """Each `uuid:version` as the shortest uuid prefix (≥ 8 digits) that no other stream
    listed shares, with its version: `9a24100e:7`."""
    streams = sorted({e.split(":")[0] for e in event_ids})
    size = SHORTEST_ID
    while len({s[:size] for s in streams}) < len(streams):
        size += 1
    return {e: f"{e.split(':')[0][:size]}:{e.rsplit(':', 1)[-1]}" for e in event_ids}


def print_trail_table(rows: list[dict[str, Any]], wide: bool, one_term: bool) -> None:
    if wide:
        print_table(WIDE_COLUMNS, [[row.get(c) for c in WIDE_COLUMNS] for row in rows])
        return
    columns = [c for c in NARROW_COLUMNS if not (one_term and c == "term")]
    ids = short_ids([row["event_id"] for row in rows])
    cells = [_narrow(row, ids) for row in rows]
    widths = _widths(columns, cells)
    print_table(columns, [[cut(cell[c], widths[c]) if c in ("term", "summary") else cell[c]
                           for c in columns] for cell in cells])


def _widths(columns: list[str], cells: list[dict[str, str]]) -> dict[str, int]:
    """Each column's width; the summary takes the rest of the terminal, at least
    LEAST_SUMMARY, and a long stream label (`body:<slug>`) gives way to it first."""
    widths = {c: max([len(c)] + [len(str(cell[c])) for cell in cells]) for c in columns[:-1]}
    room = terminal_width() - sum(widths.values()) - 2 * (len(columns) - 1)
    if room < LEAST_SUMMARY and "term" in widths:
        cut_by = min(LEAST_SUMMARY - room, widths["term"] - len("term"))
        widths["term"] -= cut_by
        room += cut_by
    widths["summary"] = max(LEAST_SUMMARY, room)
    return widths


def _narrow(row: dict[str, Any], ids: dict[str, str]) -> dict[str, str]:
    mark = "(corrected) " if row["corrected_by"] else ""
    return {"event": ids[row["event_id"]], "recorded": row["recorded_at"][:10],
            "term": row["term"], "effective": row["effective"],
            "summary": mark + row["summary"]}


def cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[:room - 1] + "…"


def terminal_width() -> int:
    """The terminal's columns (COLUMNS when set), 100 when unknown, never under 60."""
    return max(NARROWEST, shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns)


def print_ndjson(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False, default=str))
