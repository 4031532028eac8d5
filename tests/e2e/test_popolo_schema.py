"""Every Popolo export the CLI can produce validates against the official Popolo schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from commands.cli.main import kkr

SCHEMAS = Path(__file__).parent.parent / "data" / "popolo"
SCHEMA_OF = {"persons": "person", "organizations": "organization", "posts": "post",
             "memberships": "membership"}
EXPORTS = [
    ["nordjylland/2022", "--period"], ["nordjylland/2018", "--period"],
    ["nordjylland/2022", "--on", "2023-06-01"], ["nordjylland", "--on", "2020-06-01"],
    ["nordjylland", "--period"], ["--on", "2023-06-01"], ["--period"], [],
    ["--period", "--known-at", "2100-01-01T00:00:00"],
]


def validators() -> dict[str, Draft3Validator]:
    """A validator per Popolo class; `$ref`s resolve to the files here, never the network."""
    schemas = {p.stem: json.loads(p.read_text("utf-8")) for p in SCHEMAS.glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource.from_contents(schema, DRAFT3))
        for schema in schemas.values())
    return {key: Draft3Validator(schemas[name], registry=registry)
            for key, name in SCHEMA_OF.items()}


def violations(document: dict[str, Any]) -> list[str]:
    found = []
    for key, validator in validators().items():
        for index, item in enumerate(document[key]):
            found += [f"{key}[{index}].{'.'.join(map(str, e.path))}: {e.message}"
                      for e in validator.iter_errors(item)]
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Given the demo data."""
    url = f"sqlite:///{tmp_path_factory.mktemp('popolo') / 'demo.sqlite'}"
    assert CliRunner().invoke(kkr, ["--db", url, "demo"]).exit_code == 0
    return url


def test_the_schemas_catch_a_post_whose_area_is_null() -> None:
    # given a post as the export wrote it before issue 12
    post = {"id": "p", "area": None}
    # when it is validated, then the schema refuses it
    assert violations({"persons": [], "organizations": [], "posts": [post], "memberships": []})


@pytest.mark.parametrize("args", EXPORTS, ids=lambda a: " ".join(a) or "default")
def test_every_popolo_export_validates_against_the_schemas(demo: str, args: list[str]) -> None:
    # when the demo data is exported as Popolo with these options
    result = CliRunner().invoke(kkr, ["--db", demo, "export", *args, "--format", "popolo"])
    # then every person, organization, post and membership is valid Popolo
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["memberships"] and document["posts"]
    assert violations(document) == []
