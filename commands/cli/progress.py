"""Progress bars on stderr for the long commands, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Bar]:
    """A bar labelled `label` while the block runs; at no terminal a bar that draws nothing
    (rich is imported only when drawn, so other commands start as fast as before)."""
    if not stderr_is_terminal():
        yield Bar(None, None)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(file=sys.stderr, force_terminal=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console) as shown:
        yield Bar(shown, shown.add_task(label, total=total))


class Bar:
    """One task of a rich Progress, or nothing."""

    def __init__(self, shown: Any, task: Any) -> None:
        self.shown, self.task = shown, task

    def advance(self, by: int = 1) -> None:
        if self.shown is not None:
            self.shown.advance(self.task, by)

    def update(self, completed: int, total: int) -> None:
        if self.shown is not None:
            self.shown.update(self.task, completed=completed, total=total)
