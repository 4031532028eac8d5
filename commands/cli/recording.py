"""Recording facts: a batch of commands, a constitution, the demo data; what they stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from commands.cli.context import UserError, recorded_by, session, user_errors
from commands.cli.output import print_json
from commands.cli.progress import progress
from ledger.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from commands.batch import BatchResult, NumberedCommand

F = TypeVar("F", bound=Callable[..., Any])

DEMO_FILES = ("01-constitutions.jsonl", "02-changes-2022.jsonl", "03-mandates.jsonl")
LISTED_EVENTS = 20  # more stored events are summed up on stdout; --json lists them all


def json_option(function: F) -> F:
    """--json: the stored events as JSON on stdout (`{"events": [...], ...}`)."""
    return click.option("--json", "as_json", is_flag=True,
                        help="Print the stored events as JSON: {\"events\": [{\"event_id\", "
                        "\"term\", \"type\"}], \"applied\", \"skipped\"}.")(function)


@click.command()
@click.argument("file", type=click.File("rb"))
@json_option
@click.pass_context
@user_errors
def apply(ctx: click.Context, file: Any, as_json: bool) -> None:
    """Apply a JSONL batch (one command per line, DESIGN.md §3.1), all or nothing.

    An error names the line, the rule and the reason, and nothing is written.
    FILE may be - for standard input. Lines are read and stored as they come, in one
    transaction, so a file of any length fits in memory. Prints the ids of the stored events.

    Example:


    \b
        kkr apply changes.jsonl
    """
    from commands.batch_file import BatchFile

    batch = BatchFile(file)
    try:
        _report(_apply_commands(ctx, batch, batch.count_lines(), _listed(as_json)), as_json)
    finally:
        batch.close()


@click.command()
@click.argument("term")
@click.option("--file", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The constitution as YAML or JSON: effective, members, chair, vice_chair, ...")
@json_option
@click.pass_context
@user_errors
def constitute(ctx: click.Context, term: str, path: str, as_json: bool) -> None:
    """Record the constitution of TERM (e.g. nordjylland/2022) from a YAML or JSON file.

    The file holds the fields of the batch `constitute` command without `command` and
    `term`. The previous term of the region ends on the meeting date (B1.3).

    Example:


    \b
        kkr constitute nordjylland/2022 --file constitution.yaml
    """
    document = _load_document(Path(path))
    document.update({"command": "constitute", "term": term})
    _report(apply_lines(ctx, [document]), as_json)


@click.command()
@json_option
@click.pass_context
@user_errors
def demo(ctx: click.Context, as_json: bool) -> None:
    """Load the demo data: all five KKR for 2022–2025 and Nordjylland 2018–2021.

    Also the regional bodies each KKR designates to, with their posts, allocations and
    designations from 2022 to the health committees' dissolution on 2027-01-01.
    Regions, municipalities, party letters and bodies are real; the people and events
    are invented. Loading it again changes nothing: every line carries a command_id, and a
    command already applied is skipped and reported.

    Example:


    \b
        kkr demo && kkr roster --all --on 2023-06-01
    """
    folder = resources.files("commands.data").joinpath("demo")
    lines: list[str] = []
    for name in sorted(p.name for p in folder.iterdir() if p.name in DEMO_FILES):
        lines.extend(folder.joinpath(name).read_text("utf-8").splitlines())
    _report(_apply_text(ctx, lines, _listed(as_json)), as_json)


def apply_lines(ctx: click.Context, lines: list[dict[str, Any]]) -> BatchResult:
    """Apply commands given as dicts (from CLI options or a file) through the batch path.

    Errors name fields, not line numbers: the user typed options, not a file.
    """
    try:
        return _apply_text(ctx, [json.dumps(line, default=str) for line in lines])
    except LedgerError as error:
        error.message = error.message.removeprefix("line 1: ")
        raise


def _apply_text(ctx: click.Context, lines: list[str],
                events_listed: int | None = None) -> BatchResult:
    from commands.batch import parse_lines

    commands = parse_lines(lines)
    return _apply_commands(ctx, commands, len(commands), events_listed)


def _apply_commands(ctx: click.Context, commands: Iterable[NumberedCommand], total: int,
                    events_listed: int | None = None) -> BatchResult:
    """Store the commands (one transaction) and project them, with a bar of `total`."""
    from commands.service import writes

    with progress("applying", total) as bar:
        return writes.apply_commands(session(ctx), commands, recorded_by(),
                                     done=lambda n: bar.update(n, max(n, total)),
                                     events_listed=events_listed)


def _listed(as_json: bool) -> int | None:
    """How many stored events to keep for the report: every one for JSON, else a screenful
    (a larger batch is summed up, and its memory does not grow with it)."""
    return None if as_json else LISTED_EVENTS + 1


STORED_NOT_PROJECTED = 5  # exit code: the batch is stored, its projection is not updated


def print_stored(result: BatchResult, as_json: bool) -> None:
    """The events stored, on stdout: each id (a count and summary when many), or JSON; then,
    when the projection could not be caught up, exit 5 saying so (nothing is to be redone)."""
    _print_events(result, as_json)
    if result.unprojected is not None:
        raise UserError(f"stored {result.stored.count} event(s); the projection was not "
                        f"updated: {result.unprojected}; the next command that may write it "
                        "catches it up (do not apply the batch again)", STORED_NOT_PROJECTED)


def _print_events(result: BatchResult, as_json: bool) -> None:
    stored = result.stored
    if as_json:
        print_json({"events": [vars(e) for e in stored.events], "applied": result.applied,
                    "skipped": result.skipped_ids})
    elif stored.count <= LISTED_EVENTS:
        for event in stored.events:
            click.echo(f"{event.event_id}  {event.term}  {event.type}")
    else:
        types = ", ".join(f"{n} {t}" for t, n in stored.types.most_common())
        last = stored.last.event_id if stored.last else ""
        click.echo(f"stored {stored.count} events in {len(stored.terms)} term(s): {types}; "
                   f"first {stored.events[0].event_id}, last {last} (every id with --json)")


def _report(result: BatchResult, as_json: bool) -> None:
    print_stored(result, as_json)
    plural = "s" if result.applied != 1 else ""
    message = f"applied {result.applied} command{plural}"
    if result.skipped:
        shown = result.skipped_ids[:5]
        message += (f"; {result.skipped} already applied, nothing written for them "
                    f"(command_id {', '.join(shown)}"
                    f"{', …' if result.skipped > len(shown) else ''})")
    click.echo(message, err=True)


def _load_document(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text("utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise UserError(f"--file: cannot read {path.name}: {_parse_problem(error)}", 2) \
            from None
    if not isinstance(document, dict):
        raise UserError(f"--file: {path.name} does not hold a mapping of fields", 2)
    return document


def _parse_problem(error: Exception) -> str:
    """Where and what: `line 3, column 16: mapping values are not allowed here`."""
    from commands.batch import json_problem

    if isinstance(error, json.JSONDecodeError):
        return json_problem(error)
    mark, problem = getattr(error, "problem_mark", None), getattr(error, "problem", None)
    if mark is not None and problem:
        context = getattr(error, "context", None)
        problem = problem.replace("'\\t'", "a tab")  # PyYAML quotes it escaped
        return (f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
                f"{f' ({context})' if context else ''}")
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
