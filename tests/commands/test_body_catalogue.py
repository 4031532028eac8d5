"""The catalogue of regional bodies (scripts/data/bodies.csv) keeps the mandates contract.

Stdlib only on purpose: the file is checked as plain CSV against the mandates design (its
Body and Posts, `register_body` and `define_posts`), independently of the ledger's own models.
The seed quotes are checked where the seed documents are found. See scripts/data/README.md.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scripts" / "data" / "bodies.csv"
COLUMNS = ["region", "body", "name", "kind", "legal_basis", "kkr_seats", "nominated",
           "substitutes", "eligibility", "until", "source", "note"]
REGIONS = {"nordjylland", "midtjylland", "syddanmark", "hovedstaden", "sjaelland"}
NO_FOLDER = {"hovedstaden", "syddanmark"}  # no seed folder: real equivalents, public knowledge
KINDS = {"statutory", "local_agreement", "national"}
ELIGIBILITY = {"councillor_in_region", "open"}
BOOLEANS = {"true", "false"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 34
PUBLIC = "public knowledge, not in the seeds"
SEED_SOURCE = re.compile(r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt): »(?P<quote>[^«»]+)«$")
HEALTH_REFORM = "2027-01-01"
MAX_BODIES_PER_REGION = 12

Row = dict[str, str]


def read_rows() -> list[Row]:
    with CATALOGUE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = read_rows()


def by_region() -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {region: [] for region in REGIONS}
    for row in ROWS:
        grouped[row["region"]].append(row)
    return grouped


def seeds_dir() -> Path | None:
    configured = os.environ.get("KKR_SEEDS_DIR")
    folder = Path(configured) if configured else ROOT.parent / "shared" / "seeds"
    return folder if folder.is_dir() else None


def test_header_is_the_contract_and_the_file_is_utf8() -> None:
    raw = CATALOGUE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    text = raw.decode("utf-8")
    assert next(csv.reader(text.splitlines())) == COLUMNS
    assert ROWS, "the catalogue is empty"
    for row in ROWS:
        assert None not in row, f"{row.get('body')}: more fields than columns"
        assert all(value is not None for value in row.values()), f"{row['body']}: short row"


@pytest.mark.parametrize("row", ROWS, ids=[row["body"] for row in ROWS])
def test_row_types(row: Row) -> None:
    assert row["region"] in REGIONS
    assert row["name"].strip() == row["name"] and row["name"]
    assert row["kind"] in KINDS
    assert row["eligibility"] in ELIGIBILITY
    assert re.fullmatch(r"[1-9][0-9]*", row["kkr_seats"]), "kkr_seats: an int >= 1"
    assert row["nominated"] in BOOLEANS
    assert row["substitutes"] in BOOLEANS
    if row["until"]:
        assert date.fromisoformat(row["until"]).isoformat() == row["until"], "YYYY-MM-DD"
    for column in COLUMNS:
        assert row[column] == row[column].strip(), f"{column}: stray whitespace"
        assert "\n" not in row[column], f"{column}: one line per field"


def test_slugs_are_valid_and_unique() -> None:
    for row in ROWS:
        assert SLUG.fullmatch(row["body"]), row["body"]
        assert len(row["body"]) <= SLUG_MAX, row["body"]
    repeated = [body for body, count in Counter(row["body"] for row in ROWS).items()
                if count > 1]
    assert not repeated


def test_every_region_has_the_bodies_its_folder_names() -> None:
    for region, rows in by_region().items():
        bodies = {row["body"]: row for row in rows}
        assert any(body.startswith("erhvervshus-") for body in bodies), f"{region}: Erhvervshus"
        assert any(body.startswith("rar-") for body in bodies), f"{region}: RAR"
        health = [row for body, row in bodies.items() if body.startswith("ssu-")]
        assert [row["until"] for row in health] == [HEALTH_REFORM], f"{region}: health committee"
        seat = bodies.get(f"deb-{region}")
        assert seat is not None, f"{region}: Danmarks Erhvervsfremmebestyrelse seat"
        assert seat["name"].startswith("Danmarks Erhvervsfremmebestyrelse")
        assert (seat["kind"], seat["kkr_seats"]) == ("national", "1")
        assert len(rows) <= MAX_BODIES_PER_REGION, f"{region}: {len(rows)} bodies"


def test_two_labour_market_councils_in_midtjylland() -> None:
    midt = {row["body"] for row in by_region()["midtjylland"]}
    assert {"rar-oestjylland", "rar-vestjylland"} <= midt


def test_two_erhvervshus_boards_in_syddanmark() -> None:
    syd = {row["body"] for row in by_region()["syddanmark"]}
    assert {"erhvervshus-fyn", "erhvervshus-sydjylland"} <= syd


def test_every_region_has_a_proportional_post_and_personal_substitutes() -> None:
    for region, rows in by_region().items():
        assert any(int(row["kkr_seats"]) >= 3 for row in rows), f"{region}: FO3.8b"
        assert any(row["substitutes"] == "true" for row in rows), f"{region}: substitutes"


def test_every_row_has_a_source_and_says_where_its_seat_count_comes_from() -> None:
    for row in ROWS:
        assert row["source"] == PUBLIC or SEED_SOURCE.fullmatch(row["source"]), row["body"]
        if row["region"] in NO_FOLDER:
            assert row["source"] == PUBLIC, f"{row['body']}: its region has no seed folder"
        # No seed gives a seat count, so every note says where kkr_seats comes from.
        assert row["note"].startswith("Seats: "), row["body"]


def test_seed_quotes_are_in_their_seed_file() -> None:
    folder = seeds_dir()
    if folder is None:
        pytest.skip("the seed documents are not here (set KKR_SEEDS_DIR)")
    for row in ROWS:
        found = SEED_SOURCE.fullmatch(row["source"])
        if found is None:
            continue
        text = (folder / found["file"]).read_text(encoding="utf-8")
        assert found["quote"] in text, f"{row['body']}: quote not in {found['file']}"
