"""Read a JSONL batch into commands, naming the line of any error; apply it all or nothing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from commands.handlers import handle
from commands.lines import COMMAND_ADAPTER, Command
from ledger.errors import BadInput, LedgerError
from ledger.events import Fact
from ledger.store.application import Ledger, UnitOfWork
from ledger.store.prepared import PreparedChanges
from projections.readmodel.rows import packed_changes

# The regexes of ledger.values, ledger.mandate_events and commands.models, in words.
FORMS = {
    r"^[a-z0-9][a-z0-9-]{0,79}$": "a person id (up to 80 of a-z, 0-9 and -, not starting "
    "with -)",
    r"^[a-z0-9][a-z0-9-]{0,33}$": "a body id (up to 34 of a-z, 0-9 and -, not starting with "
    "-)",
    r"^[0-9a-f-]{36}:[0-9]{1,12}$": "an event id (STREAM-UUID:VERSION, as kkr trail --wide "
    "shows it)",
}
MAX_LINE_CHARS = 1_000_000
MAX_PROBLEMS_SHOWN = 5
FLUSH_EVERY = 1000  # commands between two stores of the pending events (one transaction)
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


def numbered_commands(lines: Iterable[str]) -> Iterator[NumberedCommand]:
    """Each non-blank line as a command, validated when it is reached (lazily)."""
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield NumberedCommand(number, parse_line(text, number))


def parse_lines(lines: Iterable[str]) -> list[NumberedCommand]:
    commands = list(numbered_commands(lines))
    if not commands:
        raise BadInput("the batch holds no command")
    return commands


@dataclass(frozen=True)
class StoredEvent:
    event_id: str
    term: str
    type: str


@dataclass
class Stored:
    """The events a batch stored: how many, of which types and terms, the first and last, and
    the first `kept` of them listed (all when None: memory then grows with the batch)."""

    kept: int | None = None
    events: list[StoredEvent] = field(default_factory=list)  # in the order they are stored
    count: int = 0
    types: Counter[str] = field(default_factory=Counter)
    terms: set[str] = field(default_factory=set)
    last: StoredEvent | None = None

    def add(self, events: Iterable[StoredEvent]) -> None:
        for event in events:
            if self.kept is None or len(self.events) < self.kept:
                self.events.append(event)
            self.count += 1
            self.types[event.type] += 1
            self.terms.add(event.term)
            self.last = event


@dataclass
class BatchResult:
    applied: int = 0
    skipped_ids: list[str] = field(default_factory=list)  # commands applied before: no-ops
    changes: PreparedChanges | None = None  # what each fact changed, when tracked
    stored: Stored = field(default_factory=Stored)
    unprojected: str | None = None  # stored, but the projection could not be caught up: why

    @property
    def events(self) -> list[StoredEvent]:
        return self.stored.events

    @property
    def skipped(self) -> int:
        return len(self.skipped_ids)

    @property
    def handled(self) -> int:
        return self.applied + self.skipped


def apply_batch(ledger: Ledger, commands: Iterable[NumberedCommand], recorded_by: str,
                track_changes: bool = False, done: Callable[[int], None] | None = None,
                events_listed: int | None = None) -> BatchResult:
    """Apply every command or none; an error names the line it stopped at. `commands` is
    read once per attempt (a retry after a write conflict reads it again) and may be lazy:
    the unit of work stores its events every FLUSH_EVERY commands inside the one
    transaction, so memory does not grow with the batch. With `track_changes`, the result
    carries what each fact changed, for the projector; `done(n)` hears how many commands
    have been handled (again from 0 on a retry); `events_listed`: how many stored events
    the result lists (all when None; the others are counted)."""

    def work(unit: UnitOfWork) -> BatchResult:
        result = BatchResult(changes=unit.prepared if track_changes else None,
                             stored=Stored(events_listed))
        for item in commands:
            _apply_one(unit, item, recorded_by, result)
            if done is not None:
                done(result.handled)
            if result.handled % FLUSH_EVERY == 0:
                result.stored.add(_pending(unit))
                unit.flush()
        if result.handled == 0:
            raise BadInput("the batch holds no command")
        result.stored.add(_pending(unit))  # the unit of work stores them as it commits
        return result

    return ledger.execute(work, packed_changes if track_changes else None)


def _apply_one(unit: UnitOfWork, item: NumberedCommand, recorded_by: str,
               result: BatchResult) -> None:
    try:
        applied = handle(unit, item.command, recorded_by)
    except LedgerError as error:
        error.message = f"line {item.line}: {error.message}"
        error.args = (error.message,)
        raise
    if applied:
        result.applied += 1
    else:
        result.skipped_ids.append(item.command.command_id)


def _pending(unit: UnitOfWork) -> list[StoredEvent]:
    """The events the unit of work will store at its next flush, in that order."""
    return [StoredEvent(event.event_id, aggregate.label, event.type_name)
            for aggregate in unit.aggregates.values() if aggregate is not None
            for event in aggregate.pending_events if isinstance(event, Fact)]
