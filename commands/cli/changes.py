"""Writing commands for the changes during a term; each builds one batch line and applies it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from commands.cli.context import user_errors
from commands.cli.output import DATE
from commands.cli.recording import apply_lines, json_option, print_stored
from ledger import vocabulary

F = TypeVar("F", bound=Callable[..., Any])


def envelope_options(function: F) -> F:
    """TERM, --effective and the envelope every command carries."""
    return envelope_options_for("term")(function)


def envelope_options_for(subject: str) -> Callable[[F], F]:
    """SUBJECT (term, body, person_id), --effective and the envelope every command carries."""
    return lambda function: _with_envelope(function, subject)


def _with_envelope(function: F, subject: str) -> F:
    for option in reversed([
        click.argument(subject),
        click.option("--effective", required=True, type=DATE,
                     help="First day on which the change holds (YYYY-MM-DD)."),
        click.option("--source", default="", help="The source document, e.g. a letter's ref."),
        click.option("--command-id", default="",
                     help="Idempotency key: the same id is applied only once."),
        json_option,
    ]):
        function = option(function)
    return function


def person_options(prefix: str = "", required: bool = True,
                   council: str = "council") -> Callable[[F], F]:
    """--person-id/--name/--municipality/--party (or --substitute-… with a prefix); with
    `council` other than the default, --municipality is optional and defaults to it."""
    label = prefix.rstrip("-") or "person"
    optional = {"party"} if council == "council" else {"party", "municipality"}

    def decorate(function: F) -> F:
        for name, text in reversed([("id", "stable slug"), ("name", "full name"),
                                    ("municipality", council), ("party", "party or list")]):
            option_name = f"--{prefix}{'person-id' if name == 'id' and not prefix else name}"
            function = click.option(option_name, required=required and name not in optional,
                                    default="" if name == "party" else None,
                                    help=f"The {label}'s {text}.")(function)
        return function

    return decorate


def person_of(values: dict[str, Any], prefix: str = "",
              council: str | None = None) -> dict[str, Any] | None:
    """The person of the --person-… (or prefixed) options; `council` fills a missing
    municipality."""
    key = prefix.replace("-", "_")
    pid = values.pop(f"{key}person_id" if not key else f"{key}id")
    fields = {f: values.pop(f"{key}{f}") for f in ("name", "municipality", "party")}
    if pid is None:
        return None
    return {"person_id": pid, **fields, "municipality": fields["municipality"] or council}


def run_line(ctx: click.Context, command: str, values: dict[str, Any]) -> None:
    """Apply the command the options give; print the stored events' ids (JSON with --json)."""
    as_json = values.pop("as_json")
    line = {"command": command, **{k: _jsonable(v) for k, v in values.items()
                                   if v is not None and v != "" and v is not False}}
    result = apply_lines(ctx, [line])
    print_stored(result, as_json)
    done = "recorded" if result.applied else "already recorded (same command_id), nothing written:"
    where = values.get("term") or values.get("body")
    click.echo(f"{done} {command}" + (f" in {where}" if where else ""), err=True)


def _jsonable(value: Any) -> Any:
    return value.date().isoformat() if isinstance(value, datetime) else value


@click.group()
def leave() -> None:
    """Start or end a member's leave of at least 3 months (B1.6, B1.7).

    Example:


    \b
        kkr leave start nordjylland/2022 jens-hansen --effective 2023-03-01 \\
            --until 2023-09-01 --reason health
    """


@leave.command("start")
@envelope_options
@click.argument("person_id")
@click.option("--until", "expected_until", required=True, type=DATE,
              help="Expected end; at least 3 calendar months after --effective.")
@click.option("--reason", required=True, type=click.Choice(
    list(vocabulary.LEAVE_REASONS)),
    help="relieved_of_council_duties is B1.6; the others are B1.7.")
@click.option("--decided-on", type=DATE, help="Date of the KKR decision (B1.7).")
@click.pass_context
@user_errors
def leave_start(ctx: click.Context, /, **values: Any) -> None:
    """A member goes on leave; the personal substitute acts meanwhile.

    Example:


    \b
        kkr leave start nordjylland/2022 jens-hansen --effective 2023-03-01 \\
            --until 2023-09-01 --reason health
    """
    run_line(ctx, "start_leave", values)


@leave.command("end")
@envelope_options
@click.argument("person_id")
@click.pass_context
@user_errors
def leave_end(ctx: click.Context, /, **values: Any) -> None:
    """The member resumes; the acting substitute steps back (B1.7).

    Example:


    \b
        kkr leave end nordjylland/2022 jens-hansen --effective 2023-08-15
    """
    run_line(ctx, "end_leave", values)


@click.command("party-change")
@envelope_options
@click.argument("person_id")
@click.argument("party")
@click.option("--successor-declines", is_flag=True,
              help="The substitute declines to succeed (B1.13): the seat stays vacant.")
@click.pass_context
@user_errors
def party_change(ctx: click.Context, /, **values: Any) -> None:
    """PERSON_ID left the party: a party-elected member or substitute leaves (B1.9);
    a mayor stays (B1.10) and may open a B1.11 entitlement.

    Example:


    \b
        kkr party-change nordjylland/2022 jens-hansen V --effective 2023-05-01
    """
    run_line(ctx, "change_party", values)


@click.command("end-membership")
@envelope_options
@click.argument("person_id")
@click.option("--reason", required=True, type=click.Choice(
    list(vocabulary.END_REASONS)),
    help="Why the place ends.")
@click.option("--successor-declines", is_flag=True,
              help="The substitute declines to succeed (B1.13): the seat stays vacant.")
@click.pass_context
@user_errors
def end_membership(ctx: click.Context, /, **values: Any) -> None:
    """A member or substitute leaves the KKR; the substitute of a party-elected member
    succeeds (B1.13); a mayor seat stays with its substitute acting.

    Example:


    \b
        kkr end-membership nordjylland/2022 jens-hansen --effective 2023-06-01 --reason resigned
    """
    run_line(ctx, "end_membership", values)


@click.group()
def substitute() -> None:
    """Personal substitutes (stedfortrædere).

    Example:


    \b
        kkr substitute appoint nordjylland/2022 --for jens-hansen --person-id eva-lund \\
            --name "Eva Lund" --municipality Aalborg --party A --effective 2023-07-01
    """


@substitute.command("appoint")
@envelope_options
@click.option("--for", "for_member", required=True,
              help="The member (person_id) or seat (e.g. party:a:1) the substitute serves.")
@person_options()
@click.option("--basis", type=click.Choice(
    list(vocabulary.SUBSTITUTE_BASES)),
    help="Basis of the appointment (B1.2); required for a mayor's substitute.")
@click.pass_context
@user_errors
def substitute_appoint(ctx: click.Context, /, **values: Any) -> None:
    """Appoint the personal substitute of a member, replacing the current one (B1.14).

    Example:


    \b
        kkr substitute appoint nordjylland/2022 --for jens-hansen --person-id eva-lund \\
            --name "Eva Lund" --municipality Aalborg --party A --effective 2023-07-01
    """
    values["person"] = person_of(values)
    run_line(ctx, "appoint_substitute", values)


@click.group()
def member() -> None:
    """Members appointed in mid-term.

    Example:


    \b
        kkr member appoint nordjylland/2022 --basis vacancy --seat party:a:1 \\
            --person-id ole-berg --name "Ole Berg" --municipality Aalborg --party A \\
            --effective 2023-07-01
    """


@member.command("appoint")
@envelope_options
@click.option("--basis", required=True,
              type=click.Choice(list(vocabulary.APPOINT_BASES)),
              help="successor_declined and vacancy fill a seat (B1.13); sole_representative "
              "is B1.11.")
@click.option("--seat", help="The vacant seat, e.g. party:a:1 (needed when ambiguous).")
@person_options()
@person_options("substitute-", required=False)
@click.pass_context
@user_errors
def member_appoint(ctx: click.Context, /, **values: Any) -> None:
    """Appoint a member: to a vacant party seat, or a new seat by B1.11 (above the cap, B1.12).

    Example:


    \b
        kkr member appoint nordjylland/2022 --basis vacancy --seat party:a:1 \\
            --person-id ole-berg --name "Ole Berg" --municipality Aalborg --party A \\
            --effective 2023-07-01
    """
    values["person"] = person_of(values)
    values["substitute"] = person_of(values, "substitute-")
    run_line(ctx, "appoint_member", values)


@click.group()
def mayor() -> None:
    """Mayors changing in mid-term.

    Example:


    \b
        kkr mayor change nordjylland/2022 Aalborg --person-id lis-holm --name "Lis Holm" \\
            --party A --effective 2023-11-01
    """


MAYORS_COUNCIL = "council (default: MUNICIPALITY)"


@mayor.command("change")
@envelope_options
@click.argument("mayor_of", metavar="MUNICIPALITY")
@person_options(council=MAYORS_COUNCIL)
@person_options("substitute-", required=False, council=MAYORS_COUNCIL)
@click.pass_context
@user_errors
def mayor_change(ctx: click.Context, /, **values: Any) -> None:
    """Seat a new mayor of MUNICIPALITY; the old mayor's place ends, the substitute stays
    unless a new one (the new first vice mayor) is given.

    Example:


    \b
        kkr mayor change nordjylland/2022 Aalborg --person-id lis-holm --name "Lis Holm" \\
            --party A --effective 2023-11-01
    """
    council = values.pop("mayor_of")
    values["person"] = person_of(values, council=council)
    values["substitute"] = person_of(values, "substitute-", council=council)
    values["municipality"] = council
    run_line(ctx, "change_mayor", values)


@click.group()
def chair() -> None:
    """Chair (formand) and vice chair (næstformand).

    Example:


    \b
        kkr chair elect nordjylland/2022 chair jens-hansen --effective 2023-06-01
    """


@chair.command("elect")
@envelope_options
@click.argument("role", type=click.Choice(list(vocabulary.ROLES)))
@click.argument("person_id")
@click.option("--until", type=DATE, help="Temporary election until this date (B1.16).")
@click.option("--elected-by", default="", help="The group or alliance that elected.")
@click.pass_context
@user_errors
def chair_elect(ctx: click.Context, /, **values: Any) -> None:
    """Elect ROLE among the members; with --until a temporary holder (B1.16).

    Example:


    \b
        kkr chair elect nordjylland/2022 chair jens-hansen --effective 2023-06-01
    """
    run_line(ctx, "elect_chair", values)
