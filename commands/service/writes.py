"""Writing: a batch of commands stored all or nothing and projected, and the rebuild."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from commands.service.session import Session, database_failure

if TYPE_CHECKING:
    from commands.batch import BatchResult, NumberedCommand


def apply_commands(session: Session, commands: Iterable[NumberedCommand], recorded_by: str,
                   done: Callable[[int], None] | None = None,
                   events_listed: int | None = None) -> BatchResult:
    """Store the commands (one transaction), then project them from their prepared changes;
    `done(n)` hears how many commands have been handled; `events_listed`: how many of the
    stored events the result lists (all when None). Once stored, the batch is done: when the
    projection cannot be caught up now (the database busy or gone, no right to write it),
    `result.unprojected` says why, and the next command that may write catches it up."""
    from commands.batch import apply_batch

    projector = session.projector
    projector.ensure_not_ahead()  # before writing: new events must reach the projection
    projector.ensure_writable()
    result = apply_batch(projector.ledger, commands, recorded_by, track_changes=True, done=done,
                         events_listed=events_listed)
    try:
        projector.catch_up(result.changes)
    except Exception as error:
        failure = database_failure(error)
        if failure is None:
            raise
        result.unprojected = failure.message
    finally:
        if result.changes is not None:
            result.changes.close()
    return result


def rebuild(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every projection from the events; how many events were folded."""
    return session.projector.rebuild(progress=progress)
