"""The Blå Bog as a workbook: sheet "Medlemmer" (KKR places) and "Udpegede" (one row a post)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from commands.bluebook.labels import STATUSES, Edition, as_date, danish_date, roles_in_danish
from commands.bluebook.rows import Row, place_rows, post_rows

Column = tuple[str, Callable[[Row], Any]]
SECTIONS = {"member": "medlem", "substitute": "stedfortræder"}
DATE_FORMAT = "yyyy-mm-dd"


def yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("ja" if flag else "nej")


def status(row: Row) -> str:
    return {**STATUSES, "acting": "fungerende"}.get(row["status"], row["status"])


MEMBERS: tuple[Column, ...] = (
    ("Plads", lambda r: r["seat"]), ("Rolle", lambda r: SECTIONS[r["section"]]),
    ("Navn", lambda r: r["name"]), ("Person-id", lambda r: r["person_id"]),
    ("Kommune", lambda r: r["municipality"]), ("Parti", lambda r: r["party"]),
    ("Status", status), ("Orlov fra", lambda r: as_date(r["leave_from"])),
    ("Orlov forventet til", lambda r: as_date(r["leave_until"])),
    ("Hverv", lambda r: roles_in_danish(filter(None, r["roles"].split(";")))),
    ("Stedfortræder", lambda r: r["substitute_name"]),
)
POSTS: tuple[Column, ...] = (
    ("Navn", lambda r: r["name"]), ("Person-id", lambda r: r["person_id"]),
    ("Kommune", lambda r: r["municipality"]), ("Parti", lambda r: r["party"]),
    ("KKR-medlem", lambda r: yes_no(r["kkr_member"])), ("Organ", lambda r: r["body_name"]),
    ("Organ-id", lambda r: r["body"]), ("Gruppe", lambda r: r["group"]),
    ("Indstillet", lambda r: yes_no(r["nominated"])), ("Fra", lambda r: as_date(r["from"])),
    ("Til", lambda r: as_date(r["to"])),
    ("Personlig stedfortræder", lambda r: r["substitute_name"]),
)


def fill(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Row]) -> None:
    """Header and rows; dates stay dates (real Excel date cells), shown as yyyy-mm-dd, and
    text stays text: a name typed as `=…` is not made a formula."""
    sheet.append([header for header, _ in columns])
    for row in rows:
        sheet.append([value(row) for _, value in columns])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif cell.data_type == "f":
                cell.data_type = "s"


def lay_out(sheet: Worksheet, title: str) -> None:
    """A bold, frozen, filterable header; columns as wide as their text; printed on A4."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, cells in enumerate(sheet.iter_cols(), start=1):
        width = max(len(DATE_FORMAT if isinstance(c.value, date) else str(c.value or ""))
                    for c in cells)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    sheet.print_title_rows = "1:1"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    if sheet.oddHeader is not None:
        sheet.oddHeader.center.text = title


def describe(book: Workbook, data: Edition, title: str) -> None:
    """The document's metadata: the title, and the region, the date and what was known when."""
    book.properties.title = title
    book.properties.subject = f"KKR {data['region_name']} ({data['region']}) {data['on']}"
    book.properties.description = (f"Medlemmer og udpegede pr. {data['on']}, som kendt "
                                   f"{data['known_at']}; periode {data.get('term') or 'ingen'}")
    book.properties.keywords = f"Blå Bog, KKR, {data['region']}, {data['on']}"
    book.properties.creator = "KKR ledger"


def render_xlsx(data: Edition) -> bytes:
    """The workbook's bytes: sheets Medlemmer and Udpegede, titled with the region and date."""
    title = f"KKR {data['region_name']} — Blå Bog pr. {danish_date(data['on'])}"
    book = Workbook()
    members = book.worksheets[0]
    members.title = "Medlemmer"
    posts = book.create_sheet("Udpegede")
    fill(members, MEMBERS, place_rows(data))
    fill(posts, POSTS, post_rows(data))
    for sheet in (members, posts):
        lay_out(sheet, title)
    describe(book, data, title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
