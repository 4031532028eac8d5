"""Read a JSONL batch into commands, naming the line of any error; apply it all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from commands.handlers import handle
from commands.models import COMMAND_ADAPTER, Command
from ledger.application import Ledger, UnitOfWork
from ledger.errors import BadInput, LedgerError

MAX_LINE_CHARS = 1_000_000


@dataclass(frozen=True)
class NumberedCommand:
    line: int
    command: Command


def describe_validation(error: ValidationError, tag: object = None) -> str:
    """`field.path: message` for each problem, on one line (without the command's tag)."""
    parts = []
    for problem in error.errors():
        loc = problem["loc"][1:] if problem["loc"][:1] == (tag,) else problem["loc"]
        where = ".".join(str(p) for p in loc) or "line"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def parse_line(text: str, line: int) -> Command:
    if len(text) > MAX_LINE_CHARS:
        raise BadInput(f"line {line}: longer than {MAX_LINE_CHARS} characters")
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise BadInput(f"line {line}: not a JSON object ({error})") from None
    if not isinstance(raw, dict):
        raise BadInput(f"line {line}: not a JSON object")
    try:
        return COMMAND_ADAPTER.validate_python(raw)
    except ValidationError as error:
        raise BadInput(f"line {line}: {describe_validation(error, raw.get('command'))}") \
            from None


def parse_lines(lines: Iterable[str]) -> list[NumberedCommand]:
    commands = []
    for number, text in enumerate(lines, start=1):
        if text.strip():
            commands.append(NumberedCommand(number, parse_line(text, number)))
    if not commands:
        raise BadInput("the batch holds no command")
    return commands


@dataclass(frozen=True)
class BatchResult:
    applied: int
    skipped: list[str]  # command ids applied before: no-ops


def apply_batch(ledger: Ledger, commands: list[NumberedCommand], recorded_by: str) -> BatchResult:
    """Apply every command or none; an error names the line it stopped at."""

    def work(unit: UnitOfWork) -> BatchResult:
        skipped = []
        for item in commands:
            try:
                if not handle(unit, item.command, recorded_by):
                    skipped.append(item.command.command_id)
            except LedgerError as error:
                error.message = f"line {item.line}: {error.message}"
                error.args = (error.message,)
                raise
        return BatchResult(len(commands) - len(skipped), skipped)

    return ledger.execute(work)
