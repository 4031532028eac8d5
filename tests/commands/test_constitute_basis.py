"""A substitute's basis is accepted at member level and inside the substitute (DESIGN §3.1)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from commands.batch import parse_line
from commands.models import Constitute
from ledger.errors import BadInput
from tests.builders import constitution_line


def line_with_first_mayor(**place: Any) -> str:
    line = constitution_line("nordjylland/2022", "2022-01-20")
    first = line["members"][0]
    first.pop("basis", None)
    first.update(place.pop("member", {}))
    first["substitute"].update(place)
    return json.dumps(line)


def test_a_basis_inside_the_substitute_means_the_same_as_at_member_level() -> None:
    # given the first mayor's substitute basis written inside the substitute object
    text = line_with_first_mayor(basis="second_vice_mayor")
    # when the line is parsed
    command = parse_line(text, 1)
    # then the place carries that basis as if it were given at member level
    assert isinstance(command, Constitute)
    assert command.members[0].basis == "second_vice_mayor"
    assert command.members[0].substitute is not None


def test_the_same_basis_in_both_places_is_accepted() -> None:
    text = line_with_first_mayor(basis="first_vice_mayor", member={"basis": "first_vice_mayor"})
    command = parse_line(text, 1)
    assert isinstance(command, Constitute)
    assert command.members[0].basis == "first_vice_mayor"


def test_two_different_bases_for_one_substitute_are_bad_input() -> None:
    # given a basis at member level and another inside the substitute
    text = line_with_first_mayor(basis="council_elected", member={"basis": "first_vice_mayor"})
    # when the line is parsed, then it is refused as bad input naming both
    with pytest.raises(BadInput) as refused:
        parse_line(text, 3)
    assert refused.value.exit_code == 2
    assert "line 3: members: " in refused.value.message
    assert "'first_vice_mayor' at member level, 'council_elected' inside" in refused.value.message
