"""The `kkr` command group; subcommands load lazily so `kkr --help` stays fast."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from typing import Any

import click

from commands.cli.context import one_line
from commands.cli.output import parameter_name

# name -> (module:function, one-line help). Modules are imported only when the command runs.
COMMANDS: dict[str, tuple[str, str]] = {
    "apply": ("commands.cli.recording:apply", "Apply a JSONL batch of commands, all or nothing."),
    "constitute": ("commands.cli.recording:constitute", "Record the constitution of a term."),
    "demo": ("commands.cli.recording:demo", "Load the demo data (five KKR, invented people)."),
    "roster": ("commands.cli.asking:roster", "Who was a member of a KKR on a date."),
    "who": ("commands.cli.asking:who", "Every place a person has held, across terms."),
    "rebuild": ("commands.cli.integrity:rebuild", "Rebuild every projection from the events."),
    "seats": ("commands.cli.seats:seats", "Compute a KKR's composition from an election result."),
    "leave": ("commands.cli.changes:leave", "Start or end a member's leave (B1.6, B1.7)."),
    "party-change": ("commands.cli.changes:party_change",
                     "Record that a member or substitute changed party (B1.9-B1.11)."),
    "end-membership": ("commands.cli.changes:end_membership",
                       "A member or substitute leaves the KKR (B1.9, B1.13, B1.14)."),
    "substitute": ("commands.cli.changes:substitute", "Appoint a personal substitute (B1.14)."),
    "member": ("commands.cli.changes:member", "Appoint a member in mid-term (B1.11, B1.13)."),
    "mayor": ("commands.cli.changes:mayor", "Seat a new mayor in mid-term."),
    "chair": ("commands.cli.changes:chair", "Elect a chair or vice chair (B1.4, B1.15, B1.16)."),
    "trail": ("commands.cli.auditing:trail", "Every event in recording order, with corrections."),
    "explain": ("commands.cli.asking:explain", "Why a person holds a place on a date."),
    "diff": ("commands.cli.asking:diff", "What changed in a term between two dates."),
    "retract": ("commands.cli.correcting:retract", "Correct the ledger: an event did not happen."),
    "redate": ("commands.cli.correcting:redate", "Correct the ledger: an event happened on "
               "another date."),
    "verify": ("commands.cli.integrity:verify", "Check the hash chain of every stored event."),
    "digest": ("commands.cli.integrity:digest", "Print the stream heads to keep outside the "
               "database."),
    "audit": ("commands.cli.auditing:audit", "Audit substitutes, vacancies and roles of a term."),
    "replay": ("commands.cli.auditing:replay", "Replay a term day by day and check it."),
    "export": ("commands.cli.exporting:export", "Export memberships as JSON, CSV or Popolo."),
    "body": ("commands.cli.bodies:body", "Register bodies, define posts, designate (FO3.8)."),
    "end-council-membership": ("commands.cli.bodies:end_council_membership",
                               "A person leaves their council: KKR places and designations "
                               "end."),
    "mandates": ("commands.cli.publishing:mandates", "Who holds the KKR's seats in regional "
                 "bodies on a date."),
    "bluebook": ("commands.cli.publishing:bluebook", "The dated Blå Bog: members and "
                 "designated, as table, JSON, CSV, XLSX or HTML."),
}

# The commands that need a ledger to be there (they read it, or rebuild its projections): on
# a SQLite file that does not exist they refuse (exit 1) and create nothing.
NEEDS_EXISTING_LEDGER = {"roster", "who", "trail", "explain", "diff", "verify", "digest",
                         "audit", "replay", "export", "rebuild", "mandates", "bluebook"}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name][0].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return _with_db_option(command)

    def invoke(self, ctx: click.Context) -> Any:
        """As click's; a reader that stopped reading (`kkr trail | head -1`) ends it quietly."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(0)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """As click's, but a usage error is one line (DESIGN.md §3.2), like every error."""
        run = super().main
        if not standalone_mode:
            return run(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        try:
            result = run(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else _command_path(args, kwargs)
            message = f"{_usage_message(error)} (see '{where} --help')"
            click.echo(f"Error: {one_line(message)}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


DB_HELP = ("Database URL (env KKR_DATABASE_URL); default sqlite:///kkr.sqlite here. "
           "PostgreSQL: postgresql+psycopg://user@host/dbname.")


def _with_db_option(command: click.Command) -> click.Command:
    """`--db` also after the subcommand (`kkr roster nordjylland --db URL`), for every one."""
    subcommands = command.commands.values() if isinstance(command, click.Group) else ()
    for sub in subcommands:
        _with_db_option(sub)
    if not isinstance(command, click.Group) and not any(
            p.name == "late_db" for p in command.params):
        command.params.append(click.Option(["--db", "late_db"], metavar="URL", help=DB_HELP,
                                           expose_value=False, callback=_set_db))
    return command


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().obj["db_url"] = value


def _command_path(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """`kkr leave start` for the words of a command line (click leaves a usage error about a
    missing option value without its context)."""
    words = [str(w) for w in (kwargs.get("args") or (args[0] if args else []))]
    name = next((w for w in words if w in COMMANDS), None)
    if name is None:
        return "kkr"
    command = kkr.get_command(click.Context(kkr), name)
    rest = words[words.index(name) + 1:]
    if isinstance(command, click.Group):
        sub = next((w for w in rest if w in command.commands), None)
        return f"kkr {name} {sub}" if sub else f"kkr {name}"
    return f"kkr {name}"


def _usage_message(error: click.UsageError) -> str:
    """A bad value as `--format: 'xml' is not one of …`, like every other error line; a
    missing one as click says it (`Missing argument 'PERSON'.`): it has no message of its own."""
    param = getattr(error, "param", None)
    if (not isinstance(error, click.BadParameter) or isinstance(error, click.MissingParameter)
            or param is None or not error.message):
        return error.format_message()
    return f"{parameter_name(param)}: {error.message}"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", envvar="KKR_DATABASE_URL", metavar="URL", help=DB_HELP)
@click.version_option(package_name="kkr-ledger")
@click.pass_context
def kkr(ctx: click.Context, db_url: str | None) -> None:
    """KKR ledger: the members, substitutes and roles of the five Danish KKR.

    Every constitution and change is an immutable event; rosters and trails are
    rebuilt from them for any date.

    Example:


    \b
        kkr demo && kkr roster nordjylland --on 2023-06-01
    """
    ctx.obj = {"db_url": db_url or "sqlite:///kkr.sqlite",
               "reading": ctx.invoked_subcommand in NEEDS_EXISTING_LEDGER}


def main(argv: list[str] | None = None) -> Any:
    try:
        return kkr.main(args=argv if argv is not None else sys.argv[1:], prog_name="kkr")
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
