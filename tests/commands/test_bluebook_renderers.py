"""The Blå Bog renderers: from one edition's data to a table, CSV, XLSX and an HTML page,
each naming every person and post, never a leave's reason, escaping what users typed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest

from commands.bluebook.as_csv import render_csv
from commands.bluebook.as_html import render_html
from commands.bluebook.as_table import render_table
from commands.bluebook.as_xlsx import render_xlsx


def person(person_id: str, name: str, municipality: str, party: str) -> dict[str, Any]:
    return {"person_id": person_id, "name": name, "municipality": municipality, "party": party}


HANS = person("hans", "Hans Hansen", "Morsø", "V")
SOFIE = person("sofie", "Sofie Sørensen", "Morsø", "V")
ANNA = person("anna", "Anna Andersen", "Aalborg", "A")
BO = person("bo", "Bo Berg", "Aalborg", "A")
CARL = person("carl", "Carl Christensen", "Hjørring", "A")
JENS = person("jens", "Jens Jensen", "Thisted", "C")
RAR = "Det Regionale Arbejdsmarkedsråd Nordjylland"
ERHVERVSHUS = "Erhvervshus Nordjylland"
SUNDHED = "Sundhedssamarbejdsudvalget Nordjylland"


def edition() -> dict[str, Any]:
    """Two members (Hans on leave, Sofie acting; Anna chair); Anna with two posts, one with a
    personal substitute and an end date; Jens designated without being a KKR member. The
    leave carries a reason, as if a query leaked one: no renderer may show it."""
    return {
        "region": "nordjylland", "region_name": "Nordjylland", "on": "2023-06-01",
        "known_at": "2026-12-31T00:00:00+00:00", "term": "nordjylland/2022",
        "members": [
            {"seat": "mayor:morsoe", "kind": "mayor", "municipality": "Morsø", "party": "V",
             "member": HANS, "status": "on_leave",
             "leave": {"from": "2023-02-01", "expected_until": "2023-08-01", "reason": "health"},
             "acting": SOFIE, "substitute": SOFIE, "roles": []},
            {"seat": "party:a-1", "kind": "party", "municipality": "Aalborg", "party": "A",
             "member": ANNA, "status": "active", "leave": None, "acting": None,
             "substitute": BO, "roles": ["chair"]},
        ],
        "people": [
            ANNA | {"kkr_member": True, "posts": [
                {"body": "rar-nordjylland", "body_name": RAR, "group": "A", "substitute": CARL,
                 "nominated": False, "from": "2022-03-01", "to": "2027-01-01"},
                {"body": "erhvervshus-nordjylland", "body_name": ERHVERVSHUS, "group": None,
                 "substitute": None, "nominated": False, "from": "2022-04-01", "to": None}]},
            JENS | {"kkr_member": False, "posts": [
                {"body": "sundhed-nordjylland", "body_name": SUNDHED, "group": "C",
                 "substitute": None, "nominated": True, "from": "2022-05-01", "to": None}]},
        ],
        "bodies": [{"body": "rar-nordjylland", "name": RAR, "seats": 3, "vacant": 0},
                   {"body": "erhvervshus-nordjylland", "name": ERHVERVSHUS, "seats": 1,
                    "vacant": 0},
                   {"body": "sundhed-nordjylland", "name": SUNDHED, "seats": 2, "vacant": 1}],
    }


def xlsx_texts(data: dict[str, Any]) -> str:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    return "\n".join(str(cell.value) for sheet in book.worksheets
                     for row in sheet.iter_rows() for cell in row)


EVERY_FORMAT: list[Callable[[dict[str, Any]], str]] = [render_table, render_csv, render_html,
                                                       xlsx_texts]


def test_the_table_names_every_person_and_post() -> None:
    # when the edition is rendered as a table
    table = render_table(edition())
    # then every member, substitute, designee and body is in it, and the heading says when
    for name in ("Hans Hansen", "Sofie Sørensen", "Anna Andersen", "Bo Berg",
                 "Carl Christensen", "Jens Jensen", RAR, ERHVERVSHUS, SUNDHED):
        assert name in table
    assert table.startswith("KKR Nordjylland — Blå Bog on 2023-06-01 "
                            "(as known at 2026-12-31T00:00:00+00:00)")


def test_the_table_shows_roles_in_danish_and_a_leave_by_its_dates() -> None:
    table = render_table(edition())
    assert "formand" in table and "chair" not in table
    assert "on leave 2023-02-01 → 2023-08-01" in table
    assert "Jens Jensen (Thisted, C) — not a KKR member" in table


def test_the_table_lists_each_post_on_its_own_line_under_its_person() -> None:
    lines = render_table(edition()).splitlines()
    anna = lines.index("Anna Andersen (Aalborg, A) — KKR member")
    assert RAR in lines[anna + 1] and "Carl Christensen" in lines[anna + 1]
    assert "2027-01-01" in lines[anna + 1]
    assert ERHVERVSHUS in lines[anna + 2]
    assert lines[anna + 3].startswith("Jens Jensen") and SUNDHED in lines[anna + 4]


@pytest.mark.parametrize("render", EVERY_FORMAT, ids=["table", "csv", "html", "xlsx"])
def test_no_format_shows_a_leave_reason(render: Callable[[dict[str, Any]], str]) -> None:
    assert "health" not in render(edition()).lower()


def test_the_csv_has_a_row_per_kkr_place_and_per_post() -> None:
    # when the edition is rendered as CSV and read back
    rows = list(csv.DictReader(io.StringIO(render_csv(edition()))))
    # then 2 members, 2 substitutes (Sofie both substitute and acting: once) and 3 posts
    assert [r["section"] for r in rows] == ["member", "substitute", "member", "substitute",
                                            "designation", "designation", "designation"]
    assert rows[0]["status"] == "on_leave" and rows[0]["leave_until"] == "2023-08-01"
    assert (rows[1]["name"], rows[1]["status"]) == ("Sofie Sørensen", "acting")
    assert rows[2]["roles"] == "chair" and rows[3]["status"] == ""
    rar = rows[4]
    assert (rar["body"], rar["group"], rar["from"], rar["to"]) == \
        ("rar-nordjylland", "A", "2022-03-01", "2027-01-01")
    assert rar["substitute_name"] == "Carl Christensen"
    assert (rows[6]["name"], rows[6]["kkr_member"], rows[6]["nominated"]) == \
        ("Jens Jensen", "false", "true")


def test_the_workbook_has_a_sheet_of_members_and_one_of_posts_with_frozen_bold_headers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(edition())))
    assert book.sheetnames == ["Medlemmer", "Udpegede"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.column_dimensions["A"].width > 8
    assert book["Medlemmer"].max_row == 1 + 4 and book["Udpegede"].max_row == 1 + 3
    assert "Nordjylland" in book.properties.title and "2023" in book.properties.title


def test_the_workbooks_dates_are_date_cells() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(edition())))
    posts = book["Udpegede"]
    header = [cell.value for cell in posts[1]]
    start, end = posts.cell(2, header.index("Fra") + 1), posts.cell(2, header.index("Til") + 1)
    assert start.is_date and start.value == datetime(2022, 3, 1)
    assert end.is_date and end.value == datetime(2027, 1, 1)
    assert start.number_format == "yyyy-mm-dd"
    assert posts.cell(3, header.index("Til") + 1).value is None
    members = book["Medlemmer"]
    leave = members.cell(2, [c.value for c in members[1]].index("Orlov fra") + 1)
    assert leave.is_date and leave.value == datetime(2023, 2, 1)


VOID_ELEMENTS = frozenset({"meta", "br", "hr", "img", "link", "input"})


class Page(HTMLParser):
    """Reads a page, checking that every element it opens is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "style":
            self.styles.append(data)


def read_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.open == []
    return page


def test_the_page_is_a_standalone_danish_document_with_a_print_stylesheet() -> None:
    html = render_html(edition())
    page = read_page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "da"}) in page.tags
    style = "".join(page.styles)
    assert "@media print" in style and "size: A4" in style and "break-before: page" in style
    assert not any(tag in ("script", "link", "img", "iframe") for tag, _ in page.tags)
    assert not any("http" in (attrs.get(k) or "") for _, attrs in page.tags
                   for k in ("src", "href"))


def test_the_pages_tables_have_captions_and_scoped_headers() -> None:
    page = read_page(render_html(edition()))
    tags = [tag for tag, _ in page.tags]
    assert tags.count("table") == tags.count("caption") == 3
    assert all(attrs.get("scope") in ("col", "row", "rowgroup")
               for tag, attrs in page.tags if tag == "th")


def test_the_page_names_every_person_post_and_role_in_danish() -> None:
    html = render_html(edition())
    for name in ("Hans Hansen", "Sofie Sørensen", "Anna Andersen", "Bo Berg",
                 "Carl Christensen", "Jens Jensen", RAR, ERHVERVSHUS, SUNDHED):
        assert name in html
    assert "formand" in html and "Orlov fra" in html and "1. august 2023" in html


def test_every_user_supplied_string_is_escaped_on_the_page() -> None:
    # given names, a body and a party that a user typed as markup
    data = edition()
    evil = "<script>alert(1)</script>"
    data["members"][1]["member"] = ANNA | {"name": evil}
    data["people"][1] |= {"name": evil, "party": evil}
    data["people"][0]["posts"][0] |= {"body_name": evil, "group": evil}
    data["region_name"] = evil
    # when the page is rendered, then it holds the text, escaped, and no script element
    html = render_html(data)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    read_page(html)


def test_a_vacant_seat_and_no_term_in_force_are_shown() -> None:
    # given an edition with no term in force and a seat without a member
    data = edition()
    data["term"] = None
    data["members"][1] |= {"member": None, "substitute": None, "roles": []}
    # when rendered, then each format says so plainly
    assert "Term: none in force" in render_table(data) and "(vacant)" in render_table(data)
    assert "ingen i kraft" in render_html(data) and "Ledig" in render_html(data)
    rows = list(csv.DictReader(io.StringIO(render_csv(data))))
    assert [r["name"] for r in rows if r["seat"] == "party:a-1"] == [""]


def test_a_name_typed_as_a_formula_stays_text_in_the_workbook() -> None:
    # given a designee whose name a user typed as a spreadsheet formula
    data = edition()
    data["people"][1] |= {"name": "=HYPERLINK(\"x\",\"y\")"}
    # when the workbook is written and read back, then the cell is that text, not a formula
    posts = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))["Udpegede"]
    cell = posts.cell(4, 1)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"x\",\"y\")", "s")
