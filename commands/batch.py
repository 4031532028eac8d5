"""Read a JSONL batch into commands, naming the line of any error; apply it all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from commands.handlers import handle
from commands.models import COMMAND_ADAPTER, Command
from ledger.errors import BadInput, LedgerError
from ledger.events import TermEvent
from ledger.store.application import Ledger, UnitOfWork
from ledger.term import FactChanges

# The regexes of ledger.values and commands.models, in words.
FORMS = {
    r"^[a-z0-9][a-z0-9-]{0,79}$": "a person id (up to 80 of a-z, 0-9 and -, not starting "
    "with -)",
    r"^[0-9a-f-]{36}:[0-9]{1,12}$": "an event id (STREAM-UUID:VERSION, as kkr trail --wide "
    "shows it)",
}
MAX_LINE_CHARS = 1_000_000
MAX_PROBLEMS_SHOWN = 5
# Dates a command may carry: far from the calendar's ends, so that adding months or days
# to them (leave length, audits) cannot overflow. Synthetic load tests reach year 3600.
EARLIEST, LATEST = date(1900, 1, 1), date(8999, 12, 31)


@dataclass(frozen=True)
class NumberedCommand:
    line: int
    command: Command


def describe_validation(error: ValidationError, tag: object = None) -> str:
    """`field.path: message` for each problem, on one line (without the command's tag)."""
    parts = []
    problems = error.errors()
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        loc = problem["loc"][1:] if problem["loc"][:1] == (tag,) else problem["loc"]
        where = ".".join(str(p) for p in loc) or "line"
        parts.append(f"{where}: {_plain(problem)}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        parts.append(f"and {len(problems) - MAX_PROBLEMS_SHOWN} more problem(s)")
    return "; ".join(parts)


def _plain(problem: Any) -> str:
    """Pydantic's message in words: a form described instead of its regex, no 'Value error'."""
    if problem["type"] == "string_pattern_mismatch":
        form = FORMS.get(problem.get("ctx", {}).get("pattern", ""), "the expected form")
        return f"{str(problem['input'])[:80]!r} is not {form}"
    message = str(problem["msg"]).removeprefix("Value error, ")
    if problem["type"].startswith("date_") and isinstance(problem["input"], str):
        why = message.partition(", ")[2]
        return f"{problem['input'][:40]!r} is not a date (YYYY-MM-DD){': ' + why if why else ''}"
    return message


def json_problem(error: json.JSONDecodeError) -> str:
    """`line L, column C: what` from a JSON parse error, without the character offset."""
    return f"line {error.lineno}, column {error.colno}: {error.msg.lower()}"


def parse_line(text: str, line: int) -> Command:
    if len(text) > MAX_LINE_CHARS:
        raise BadInput(f"line {line}: longer than {MAX_LINE_CHARS} characters")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"line {line}: not a JSON object (column {error.colno}: "
                       f"{error.msg.lower()})") from None
    except ValueError as error:
        raise BadInput(f"line {line}: not a JSON object ({error})") from None
    except RecursionError:
        raise BadInput(f"line {line}: not a JSON object (nested too deeply)") from None
    if not isinstance(raw, dict):
        raise BadInput(f"line {line}: not a JSON object")
    try:
        command = COMMAND_ADAPTER.validate_python(raw)
    except ValidationError as error:
        raise BadInput(f"line {line}: {describe_validation(error, raw.get('command'))}") \
            from None
    outside = _date_outside(command.model_dump())
    if outside is not None:
        where, day = outside
        raise BadInput(f"line {line}: {where}: {day} is outside the dates the ledger accepts "
                       f"({EARLIEST}..{LATEST})")
    return command


def _date_outside(value: object) -> tuple[str, date] | None:
    """The first date of a dumped command outside EARLIEST..LATEST, with its field path."""
    if isinstance(value, date):
        return None if EARLIEST <= value <= LATEST else ("", value)
    items: Iterable[tuple[object, object]] = (
        value.items() if isinstance(value, dict)
        else enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        found = _date_outside(item)
        if found is not None:
            return (f"{key}.{found[0]}" if found[0] else str(key)), found[1]
    return None


def parse_lines(lines: Iterable[str]) -> list[NumberedCommand]:
    commands = []
    for number, text in enumerate(lines, start=1):
        if text.strip():
            commands.append(NumberedCommand(number, parse_line(text, number)))
    if not commands:
        raise BadInput("the batch holds no command")
    return commands


@dataclass(frozen=True)
class StoredEvent:
    event_id: str
    term: str
    type: str


@dataclass(frozen=True)
class BatchResult:
    applied: int
    skipped: list[str]  # command ids applied before: no-ops
    changes: list[FactChanges] = field(default_factory=list)  # when tracked
    events: list[StoredEvent] = field(default_factory=list)  # in the order they are stored


def apply_batch(ledger: Ledger, commands: list[NumberedCommand], recorded_by: str,
                track_changes: bool = False,
                done: Callable[[int], None] | None = None) -> BatchResult:
    """Apply every command or none; an error names the line it stopped at. With
    `track_changes`, the result carries what each fact changed, for the projector;
    `done(n)` hears how many commands have been handled (again from 0 on a retry)."""

    def work(unit: UnitOfWork) -> BatchResult:
        skipped = []
        for number, item in enumerate(commands, start=1):
            if done is not None:
                done(number - 1)
            try:
                if not handle(unit, item.command, recorded_by):
                    skipped.append(item.command.command_id)
            except LedgerError as error:
                error.message = f"line {item.line}: {error.message}"
                error.args = (error.message,)
                raise
        if done is not None:
            done(len(commands))
        return BatchResult(len(commands) - len(skipped), skipped, unit.tracked_changes(),
                           _pending(unit))

    return ledger.execute(work, track_changes)


def _pending(unit: UnitOfWork) -> list[StoredEvent]:
    """The events the unit of work will store when it commits, in that order."""
    return [StoredEvent(event.event_id, str(term.term_id), event.type_name)
            for term in unit.terms.values() if term is not None
            for event in term.pending_events if isinstance(event, TermEvent)]
