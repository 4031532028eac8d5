"""Writing commands: apply a batch, record a constitution, load the demo."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from commands.cli.context import UserError, open_ledger, recorded_by, user_errors
from ledger.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from commands.batch import BatchResult, NumberedCommand

DEMO_FILES = ("01-constitutions.jsonl", "02-changes-2022.jsonl")


@click.command()
@click.argument("file", type=click.File("rb"))
@click.pass_context
@user_errors
def apply(ctx: click.Context, file: Any) -> None:
    """Apply a JSONL batch (one command per line, DESIGN.md §3.1), all or nothing.

    An error names the line, the rule and the reason, and nothing is written.
    FILE may be - for standard input. Lines are read and stored as they come, in one
    transaction, so a file of any length fits in memory.

    Example:


    \b
        kkr apply changes.jsonl
    """
    from commands.batch_file import BatchFile

    batch = BatchFile(file)
    try:
        _report(_apply_commands(ctx, batch))
    finally:
        batch.close()


@click.command()
@click.argument("term")
@click.option("--file", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The constitution as YAML or JSON: effective, members, chair, vice_chair, ...")
@click.pass_context
@user_errors
def constitute(ctx: click.Context, term: str, path: str) -> None:
    """Record the constitution of TERM (e.g. nordjylland/2022) from a YAML or JSON file.

    The file holds the fields of the batch `constitute` command without `command` and
    `term`. The previous term of the region ends on the meeting date (B1.3).

    Example:


    \b
        kkr constitute nordjylland/2022 --file constitution.yaml
    """
    document = _load_document(Path(path))
    document.update({"command": "constitute", "term": term})
    _report(apply_lines(ctx, [document]))


@click.command()
@click.pass_context
@user_errors
def demo(ctx: click.Context) -> None:
    """Load the demo data: all five KKR for 2022–2025 and Nordjylland 2018–2021.

    Regions, municipalities and party letters are real; the people and events are
    invented. Loading twice is refused (the terms already exist).

    Example:


    \b
        kkr demo && kkr roster --all --on 2023-06-01
    """
    folder = resources.files("commands.data").joinpath("demo")
    lines: list[str] = []
    for name in sorted(p.name for p in folder.iterdir() if p.name in DEMO_FILES):
        lines.extend(folder.joinpath(name).read_text("utf-8").splitlines())
    _report(_apply_text(ctx, lines))


def apply_lines(ctx: click.Context, lines: list[dict[str, Any]]) -> BatchResult:
    """Apply commands given as dicts (from CLI options or a file) through the batch path.

    Errors name fields, not line numbers: the user typed options, not a file.
    """
    try:
        return _apply_text(ctx, [json.dumps(line, default=str) for line in lines])
    except LedgerError as error:
        error.message = error.message.removeprefix("line 1: ")
        raise


def _apply_text(ctx: click.Context, lines: list[str]) -> BatchResult:
    from commands.batch import parse_lines

    return _apply_commands(ctx, parse_lines(lines))


def _apply_commands(ctx: click.Context, commands: Iterable[NumberedCommand]) -> BatchResult:
    """Store the commands (one transaction), then project them from their prepared changes."""
    from commands.batch import apply_batch

    projector = open_ledger(ctx)
    result = apply_batch(projector.ledger, commands, recorded_by(), track_changes=True)
    try:
        projector.catch_up(result.changes)
    finally:
        if result.changes is not None:
            result.changes.close()
    return result


def _report(result: BatchResult) -> None:
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
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UserError(f"--file: cannot read {path.name}: {first}", 2) from None
    if not isinstance(document, dict):
        raise UserError(f"--file: {path.name} does not hold a mapping of fields", 2)
    return document
