"""Writing: a batch of commands stored all or nothing and projected, and the rebuild."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from commands.service.session import Session

if TYPE_CHECKING:
    from commands.batch import BatchResult, NumberedCommand


def apply_commands(session: Session, commands: Iterable[NumberedCommand], recorded_by: str,
                   done: Callable[[int], None] | None = None) -> BatchResult:
    """Store the commands (one transaction), then project them from their prepared changes;
    `done(n)` hears how many commands have been handled."""
    from commands.batch import apply_batch

    projector = session.projector
    result = apply_batch(projector.ledger, commands, recorded_by, track_changes=True, done=done)
    try:
        projector.catch_up(result.changes)
    finally:
        if result.changes is not None:
            result.changes.close()
    return result


def rebuild(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every projection from the events; how many events were folded."""
    return session.projector.rebuild(progress=progress)
