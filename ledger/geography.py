"""The five regions and 98 municipalities (package data), with slugs and lookups."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ledger.errors import BadInput

REGION_NAMES = {
    "hovedstaden": "Hovedstaden",
    "sjaelland": "Sjælland",
    "syddanmark": "Syddanmark",
    "midtjylland": "Midtjylland",
    "nordjylland": "Nordjylland",
}

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


@lru_cache(maxsize=4096)  # the same few names (municipalities, regions) come again and again
def slugify(text: str) -> str:
    """`Lyngby-Taarbæk` -> `lyngby-taarbaek`; Danish letters spelled out, the rest ASCII."""
    folded = unicodedata.normalize("NFKD", text.translate(_DANISH))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def lookup_key(text: str) -> str:
    """What a look-up compares: the slug with `oe`/`ø` and `aa`/`å` folded to one letter, so
    `soren-holm`, `soeren-holm` and `Søren Holm` meet (`æ` is always `ae`)."""
    return slugify(text).replace("aa", "a").replace("oe", "o")


@dataclass(frozen=True)
class Municipality:
    code: int
    name: str
    region: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@cache
def municipalities() -> tuple[Municipality, ...]:
    text = resources.files("ledger.data").joinpath("municipalities.csv").read_text("utf-8")
    return tuple(
        Municipality(int(row["kommunekode"]), row["municipality"], slugify(row["region"]))
        for row in csv.DictReader(text.splitlines())
    )


@cache
def _municipality_index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in municipalities():
        index[m.slug] = m
        index[str(m.code)] = m
        index.setdefault(lookup_key(m.name), m)  # `Morso`, `Arhus`: no two names fold alike
    return index


def region_slug(text: str) -> str:
    """Accept `sjælland`, `Sjaelland`, `sjaelland`; refuse anything else naming the field."""
    slug = slugify(text)
    if slug not in REGION_NAMES:
        raise BadInput(f"region: unknown region {text!r}; one of {', '.join(REGION_NAMES)}")
    return slug


def municipality(text: str) -> Municipality:
    """Look a municipality up by name, slug or code."""
    index = _municipality_index()
    found = index.get(slugify(text.strip())) or index.get(lookup_key(text.strip()))
    if found is None:
        raise BadInput(f"municipality: unknown municipality {text!r}")
    return found


def municipalities_of(region: str) -> tuple[Municipality, ...]:
    return tuple(m for m in municipalities() if m.region == region)
