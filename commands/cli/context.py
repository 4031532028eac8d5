"""The CLI's way into the service (a session per command), and user errors as one line and
an exit code."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from commands.service.session import LedgerMissing, database_failure
from commands.service.urls import hide_password
from ledger.errors import LedgerError

if TYPE_CHECKING:
    from commands.service.session import Session

F = TypeVar("F", bound=Callable[..., Any])

MESSAGE_CHARS = 1000
# Control, format (e.g. right-to-left override), line/paragraph separators, lone surrogates.
_UNPRINTED = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_BREAKS = re.compile(r"[\n\r\t\v\f\x85\u2028\u2029]+")
# The same as a repr() writes them into a message ('nord\njylland'); not an escaped backslash.
_ESCAPED_BREAKS = re.compile(r"(?<!\\)((?:\\\\)*)\\[nrt]")


def one_line(text: str) -> str:
    """`text` as one printable line: line breaks and tabs (also as repr() escapes them) as
    spaces, other invisible controls escaped, long cut."""
    text = _BREAKS.sub(" ", _ESCAPED_BREAKS.sub(r"\1 ", text))
    flat = "".join(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   if unicodedata.category(ch) in _UNPRINTED else ch for ch in text)
    return flat if len(flat) <= MESSAGE_CHARS else flat[:MESSAGE_CHARS] + "…"


class UserError(click.ClickException):
    """A refused or malformed request: one line on stderr, a chosen exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(one_line(hide_password(message)))
        self.exit_code = exit_code  # type: ignore[misc]


def user_errors(function: F) -> F:
    """Translate the library's user errors narrowly; anything else is a bug and may crash."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except LedgerMissing as error:
            raise UserError(f"{error.message} (give --db URL or set KKR_DATABASE_URL)",
                            error.exit_code) from None
        except LedgerError as error:
            raise UserError(error.message, error.exit_code) from None
        except click.ClickException:
            raise
        except OverflowError as error:
            if "date" not in str(error):
                raise
            # e.g. --known-at 0001-01-01T00:00+01:00, which has no UTC equivalent
            raise UserError(f"a date or time is out of range ({error})", 2) from None
        except Exception as error:
            failure = database_failure(error)
            if failure is None:
                raise
            raise UserError(failure.message, failure.exit_code) from None

    return cast(F, wrapper)


def session(ctx: click.Context) -> Session:
    """The ledger at `--db` for this command (reading or writing, as `main` says); closed on
    exit, when the warnings it collected for the reader go to stderr."""
    from commands.service.session import Session

    opened = Session(ctx.obj["db_url"], reading=bool(ctx.obj.get("reading")))

    def close() -> None:
        for warning in opened.warnings:
            click.echo(f"warning: {warning}", err=True)
        opened.close()

    ctx.call_on_close(close)
    return opened


def recorded_by() -> str:
    return os.environ.get("KKR_USER") or os.environ.get("USER") or "cli"
