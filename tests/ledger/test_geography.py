"""Look-ups of Danish names meet however ø, å and æ are spelled."""

from __future__ import annotations

import pytest

from ledger.geography import lookup_key, municipality


@pytest.mark.parametrize("spelling", ["søren-holm", "soeren-holm", "soren-holm", "Søren Holm"])
def test_every_spelling_of_o_slash_has_one_key(spelling: str) -> None:
    assert lookup_key(spelling) == "soren-holm"


@pytest.mark.parametrize(("spelling", "name"), [
    ("Morsø", "Morsø"), ("Morsoe", "Morsø"), ("morso", "Morsø"), ("Arhus", "Aarhus"),
    ("Århus", "Aarhus"), ("hoje-tastrup", "Høje-Taastrup"), ("Lyngby-Taarbæk", "Lyngby-Taarbæk"),
    ("147", "Frederiksberg"),
])
def test_a_municipality_is_found_by_any_spelling(spelling: str, name: str) -> None:
    assert municipality(spelling).name == name
