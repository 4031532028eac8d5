"""Opening the ledger from `--db`, and turning user errors into one line and an exit code."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ledger.errors import LedgerError

if TYPE_CHECKING:
    from projections.catchup import Projector

F = TypeVar("F", bound=Callable[..., Any])

_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]*@")


def hide_password(text: str) -> str:
    return _PASSWORD.sub(r"\1***@", text)


class UserError(click.ClickException):
    """A refused or malformed request: one line on stderr, a chosen exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(hide_password(message))
        self.exit_code = exit_code  # type: ignore[misc]


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if not (url.startswith("sqlite://") or url.startswith("postgresql+psycopg://")):
        raise UserError(f"--db: unsupported database URL {hide_password(url)!r}; use "
                        "sqlite:///FILE or postgresql+psycopg://USER@HOST/DB", 2)
    return url


def user_errors(function: F) -> F:
    """Translate the library's user errors narrowly; anything else is a bug and may crash."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except LedgerError as error:
            raise UserError(error.message, error.exit_code) from None
        except Exception as error:
            if _is_database_unreachable(error):
                raise UserError(f"database not reachable: {_first_line(error)}", 2) from None
            if "permission denied" in str(error).lower():
                raise UserError(f"the database refused: {_first_line(error)} (a read-only "
                                "role cannot write)", 1) from None
            raise

    return cast(F, wrapper)


def _is_database_unreachable(error: Exception) -> bool:
    names = {type(e).__name__ for e in _chain(error)}
    return bool(names & {"OperationalError", "InterfaceError"}) and "connect" in str(error).lower()


def _chain(error: BaseException | None) -> list[BaseException]:
    found: list[BaseException] = []
    while error is not None and len(found) < 10:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def _first_line(error: Exception) -> str:
    return hide_password(str(error).strip().splitlines()[0] if str(error).strip() else repr(error))


def open_ledger(ctx: click.Context) -> Projector:
    """The projector over the ledger at `--db` (`.ledger` is the application); closed on exit."""
    from ledger.application import Ledger
    from projections.catchup import Projector

    url = normalise_url(ctx.obj["db_url"])
    ledger = Ledger(url)
    ctx.call_on_close(ledger.close)
    return Projector(ledger)


def open_reader(ctx: click.Context) -> Projector:
    """The projector, caught up first; with read-only database access it answers from the
    projection as it stands and says how far behind that is."""
    projector = open_ledger(ctx)
    behind = projector.catch_up_for_reading()
    if behind:
        click.echo(f"warning: read-only access; the projection lacks the {behind} latest "
                   "event(s) until a writer catches it up", err=True)
    return projector


def recorded_by() -> str:
    return os.environ.get("KKR_USER") or os.environ.get("USER") or "cli"
