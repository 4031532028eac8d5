"""The ledger's words, each listed once: roles, leave and end reasons, appointment bases.

Events, commands, the CLI's choices and every output take their values and labels from these
tables. The `Literal` types must be spelled out for the type checker; `check_vocabulary`
(run on import) holds each one equal to its table, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, get_args

Role = Literal["chair", "vice_chair"]
LeaveReason = Literal["relieved_of_council_duties", "health", "public_office", "business", "other"]
EndReason = Literal[
    "left_council", "left_party", "municipality_left_kl", "deceased", "resigned", "other"
]
AppointBasis = Literal["successor_declined", "sole_representative", "vacancy"]
SubstituteBasis = Literal[
    "first_vice_mayor", "second_vice_mayor", "council_elected", "party_elected"
]
MayorBasis = Literal["first_vice_mayor", "second_vice_mayor", "council_elected"]
BodyKind = Literal["statutory", "local_agreement", "national"]
Eligibility = Literal["councillor_in_region", "open"]
DesignationEndReason = Literal[
    "term_end", "left_council", "deceased", "relieved", "replaced", "body_dissolved", "other"
]
CouncilEndReason = Literal["left_council", "deceased", "other"]


class RoleWords(NamedTuple):
    """A role's names: Danish, English, and its title in exports (Popolo `role`)."""

    danish: str
    english: str
    title: str

    @property
    def label(self) -> str:
        """`chair (formand)`: how refusals and audit findings name the role."""
        return f"{self.english} ({self.danish})"


class Word(NamedTuple):
    """A reason or basis: its English label and the rule id it invokes (None: no rule)."""

    label: str
    rule: str | None


ROLES: Mapping[Role, RoleWords] = {
    "chair": RoleWords("formand", "chair", "chair"),
    "vice_chair": RoleWords("næstformand", "vice chair", "vice chair"),
}
"""The roles a term elects (B1.4); a `TermConstituted` names a holder of each."""

ACTING_CHAIR = "acting_chair"
DERIVED_ROLES: Mapping[str, RoleWords] = {
    ACTING_CHAIR: RoleWords("fungerende formand", "acting chair", "acting chair"),
}
"""Roles the fold derives and no one is elected to (FO3.5: the vice chair acts as chair)."""

EVERY_ROLE: Mapping[str, RoleWords] = {**dict(ROLES.items()), **DERIVED_ROLES}

LEAVE_REASONS: Mapping[LeaveReason, Word] = {
    "relieved_of_council_duties": Word("relieved of council duties", "B1.6"),
    "health": Word("health", "B1.7"),
    "public_office": Word("public office", "B1.7"),
    "business": Word("business", "B1.7"),
    "other": Word("other", "B1.7"),
}

END_REASONS: Mapping[EndReason, Word] = {
    "left_council": Word("left council", "B1.9"),
    "left_party": Word("left party", "B1.9"),
    "municipality_left_kl": Word("municipality left kl", "B1.9"),
    "deceased": Word("deceased", None),
    "resigned": Word("resigned", None),
    "other": Word("other", None),
}

APPOINT_BASES: Mapping[AppointBasis, Word] = {
    "successor_declined": Word("successor declined", "B1.13"),
    "sole_representative": Word("sole representative", "B1.11"),
    "vacancy": Word("vacancy", "B1.13"),
}

SUBSTITUTE_BASES: Mapping[SubstituteBasis, Word] = {
    "first_vice_mayor": Word("first vice mayor", "B1.2"),
    "second_vice_mayor": Word("second vice mayor", "B1.2"),
    "council_elected": Word("council elected", "B1.2"),
    "party_elected": Word("party elected", "B1.2"),
}
MAYOR_BASES: tuple[MayorBasis, ...] = ("first_vice_mayor", "second_vice_mayor", "council_elected")
"""B1.2: the bases of a mayor's substitute, in the statute's order of precedence."""

BODY_KINDS: Mapping[BodyKind, Word] = {
    "statutory": Word("statutory", "FO2.2"),
    "local_agreement": Word("local agreement", "FO2.2"),
    "national": Word("national", "FO2.2"),
}

ELIGIBILITIES: Mapping[Eligibility, Word] = {
    "councillor_in_region": Word("council member in the region", "FO3.8c"),
    "open": Word("open (not only council members)", None),
}

DESIGNATION_END_REASONS: Mapping[DesignationEndReason, Word] = {
    "term_end": Word("end of the period", "END"),
    "left_council": Word("left council", "END"),
    "deceased": Word("deceased", "END"),
    "relieved": Word("relieved", "END"),
    "replaced": Word("replaced", "END"),
    "body_dissolved": Word("body dissolved", "END"),
    "other": Word("other", None),
}
DERIVED_DESIGNATION_ENDS: tuple[DesignationEndReason, ...] = ("term_end", "body_dissolved")
"""The ends the fold derives (the body's period, a dissolution); no command gives them."""

COUNCIL_END_REASONS: Mapping[CouncilEndReason, Word] = {
    "left_council": Word("left council", "END"),
    "deceased": Word("deceased", "END"),
    "other": Word("other", None),
}

VOCABULARIES: Mapping[str, tuple[Any, Mapping[Any, object] | tuple[str, ...]]] = {
    "Role": (Role, ROLES),
    "LeaveReason": (LeaveReason, LEAVE_REASONS),
    "EndReason": (EndReason, END_REASONS),
    "AppointBasis": (AppointBasis, APPOINT_BASES),
    "SubstituteBasis": (SubstituteBasis, SUBSTITUTE_BASES),
    "MayorBasis": (MayorBasis, MAYOR_BASES),
    "BodyKind": (BodyKind, BODY_KINDS),
    "Eligibility": (Eligibility, ELIGIBILITIES),
    "DesignationEndReason": (DesignationEndReason, DESIGNATION_END_REASONS),
    "CouncilEndReason": (CouncilEndReason, COUNCIL_END_REASONS),
}
"""Each Literal type with the table that lists its values."""


def check_vocabulary() -> None:
    """Each Literal lists exactly its table's values, in order; mayor bases are bases."""
    for name, (literal, table) in VOCABULARIES.items():
        if get_args(literal) != tuple(table):
            raise AssertionError(f"{name} {get_args(literal)} differs from its table "
                                 f"{tuple(table)}")
    if not set(MAYOR_BASES) < set(SUBSTITUTE_BASES):
        raise AssertionError("every mayor basis must be a substitute basis")
    if set(ROLES) & set(DERIVED_ROLES):
        raise AssertionError("a role is either elected or derived")


check_vocabulary()


SEVERITIES = ("error", "warning", "info")  # of an audit finding, the gravest first
