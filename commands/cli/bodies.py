"""Writing commands of mandates (design/mandates.md): `kkr body …` and
`kkr end-council-membership`; each builds one batch line and applies it."""

from __future__ import annotations

from typing import Any

import click

from commands.cli.changes import envelope_options_for, person_of, person_options, run_line
from commands.cli.context import UserError, user_errors
from commands.cli.output import DATE
from ledger import vocabulary

GIVEN_END_REASONS = [r for r in vocabulary.DESIGNATION_END_REASONS
                     if r not in vocabulary.DERIVED_DESIGNATION_ENDS]


@click.group()
def body() -> None:
    """Bodies the KKR designates to, their posts and the designations (FO2.2, FO3.8).

    Example:


    \b
        kkr body register rar-nordjylland --name "RAR Nordjylland" \\
            --region nordjylland --effective 2022-02-01
        kkr body posts rar-nordjylland --seats 3 --substitutes --effective 2022-02-01
        kkr body designate rar-nordjylland --person-id anna-holm --name "Anna Holm" \\
            --municipality Aalborg --party A --effective 2022-03-01
    """


@body.command("register")
@envelope_options_for("body")
@click.option("--name", required=True, help="The body's name.")
@click.option("--region", required=True, help="The KKR region that designates to it.")
@click.option("--kind", type=click.Choice(list(vocabulary.BODY_KINDS)), default="statutory",
              show_default=True, help="statutory, local_agreement or national.")
@click.option("--legal-basis", default="", help="The act or agreement, as free text.")
@click.option("--successor-of", help="The body (id) this one succeeds.")
@click.pass_context
@user_errors
def register(ctx: click.Context, /, **values: Any) -> None:
    """Register a regional body (BODY: a slug such as erhvervshus-nordjylland).

    Example:


    \b
        kkr body register rar-nordjylland --name "RAR Nordjylland" \\
            --region nordjylland --effective 2022-02-01
    """
    run_line(ctx, "register_body", values)


@body.command("posts")
@envelope_options_for("body")
@click.option("--seats", "kkr_seats", required=True, type=click.IntRange(1, 500),
              help="How many seats this KKR fills.")
@click.option("--nominated", is_flag=True, help="KKR nominates; another authority appoints.")
@click.option("--substitutes", is_flag=True, help="Each designee has a personal substitute.")
@click.option("--eligibility", type=click.Choice(list(vocabulary.ELIGIBILITIES)),
              default="councillor_in_region", show_default=True,
              help="Who may sit: council members of the region (FO3.8c), or open.")
@click.option("--until", type=DATE, help="End of the body's period, when it is not the "
              "councils' period.")
@click.pass_context
@user_errors
def posts(ctx: click.Context, /, **values: Any) -> None:
    """Define the KKR's posts in a body from --effective (FO3.8a: one seat by majority,
    FO3.8b: several by d'Hondt).

    Example:


    \b
        kkr body posts rar-nordjylland --seats 3 --substitutes --effective 2022-02-01
    """
    run_line(ctx, "define_posts", values)


@body.command("allocate")
@envelope_options_for("body")
@click.option("--group", "groups", multiple=True, required=True, metavar="GROUP=MEMBERS",
              help="A group and its members in the KKR, e.g. A=9; repeat for each group.")
@click.option("--alliance", "alliances", multiple=True, metavar="A+B",
              help="Groups that pool their members, e.g. C+V.")
@click.option("--lot", "lots", multiple=True, metavar="A,B:WINNER",
              help="A lot drawn between tied groups, e.g. C,V:V (KRVL §81).")
@click.pass_context
@user_errors
def allocate(ctx: click.Context, /, **values: Any) -> None:
    """Allocate a body's KKR seats among the groups by d'Hondt (FO3.8b); ties need a lot.

    Example:


    \b
        kkr body allocate rar-nordjylland --group A=9 --group V=4 --group C=4 \\
            --lot C,V:V --effective 2022-02-15
    """
    allied = {g: a for a in values.pop("alliances") for g in a.split("+")}
    values["groups"] = [_group(text, allied) for text in values["groups"]]
    unknown = sorted(set(allied) - {g["group"] for g in values["groups"]})
    if unknown:
        raise UserError(f"--alliance: {', '.join(unknown)} is not a --group", 2)
    values["lots"] = [_lot(text) for text in values.pop("lots")] or None
    run_line(ctx, "allocate_posts", values)


def _group(text: str, allied: dict[str, str]) -> dict[str, Any]:
    name, _, members = text.partition("=")
    if not name or not members.strip().isdigit():
        raise UserError(f"--group: {text!r} is not GROUP=MEMBERS, e.g. A=9", 2)
    found: dict[str, Any] = {"group": name.strip(), "members": int(members)}
    if name.strip() in allied:
        found["alliance"] = allied[name.strip()]
    return found


def _lot(text: str) -> dict[str, Any]:
    between, _, winner = text.partition(":")
    groups = [g.strip() for g in between.split(",") if g.strip()]
    if len(groups) < 2 or not winner.strip():
        raise UserError(f"--lot: {text!r} is not A,B:WINNER, e.g. C,V:V", 2)
    return {"between": groups, "winner": winner.strip()}


@body.command("designate")
@envelope_options_for("body")
@person_options()
@person_options("substitute-", required=False)
@click.option("--group", help="The group that designated the person (default: the party).")
@click.option("--decided-on", type=DATE, help="Date of the KKR decision.")
@click.pass_context
@user_errors
def designate(ctx: click.Context, /, **values: Any) -> None:
    """Designate a council member of the region to a seat (FO3.8, FO3.8c).

    Example:


    \b
        kkr body designate rar-nordjylland --person-id anna-holm --name "Anna Holm" \\
            --municipality Aalborg --party A --effective 2022-03-01
    """
    values["person"] = person_of(values)
    values["substitute"] = person_of(values, "substitute-")
    run_line(ctx, "designate", values)


@body.command("end")
@envelope_options_for("body")
@click.argument("person_id")
@click.option("--reason", required=True, type=click.Choice(GIVEN_END_REASONS),
              help="Why the designation ends (END).")
@click.pass_context
@user_errors
def end(ctx: click.Context, /, **values: Any) -> None:
    """A designee (or a personal substitute) leaves the body; the seat falls vacant and is
    refilled by the same group (KSL28).

    Example:


    \b
        kkr body end rar-nordjylland anna-holm --reason relieved --effective 2023-05-01
    """
    run_line(ctx, "end_designation", values)


@body.command("dissolve")
@envelope_options_for("body")
@click.option("--successor", help="The registered body that takes over.")
@click.pass_context
@user_errors
def dissolve(ctx: click.Context, /, **values: Any) -> None:
    """The body ceases: every designation ends (body_dissolved).

    Example:


    \b
        kkr body dissolve ssu-nordjylland --effective 2027-01-01
    """
    run_line(ctx, "dissolve_body", values)


@click.command("end-council-membership")
@envelope_options_for("person_id")
@click.option("--reason", required=True, type=click.Choice(list(vocabulary.COUNCIL_END_REASONS)),
              help="Why the council membership ends.")
@click.pass_context
@user_errors
def end_council_membership(ctx: click.Context, /, **values: Any) -> None:
    """A person leaves their municipal council: their KKR places and every designation that
    requires council membership end the same day, in one transaction.

    Example:


    \b
        kkr end-council-membership anna-holm --reason left_council --effective 2023-05-01
    """
    run_line(ctx, "end_council_membership", values)
