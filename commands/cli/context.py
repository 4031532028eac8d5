"""Opening the ledger from `--db`, and turning user errors into one line and an exit code."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ledger.errors import LedgerError

if TYPE_CHECKING:
    from projections.readmodel.catchup import Projector
    from projections.readmodel.plain import Reader

F = TypeVar("F", bound=Callable[..., Any])

_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_PASSWORD_PARAMETER = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)
MESSAGE_CHARS = 1000
CONNECT_TIMEOUT_SECONDS = 10
# Control, format (e.g. right-to-left override), line/paragraph separators, lone surrogates.
_UNPRINTED = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_BREAKS = re.compile(r"[\n\r\t\v\f\x85\u2028\u2029]+")
# The same as a repr() writes them into a message ('nord\njylland'); not an escaped backslash.
_ESCAPED_BREAKS = re.compile(r"(?<!\\)((?:\\\\)*)\\[nrt]")


def hide_password(text: str) -> str:
    return _PASSWORD_PARAMETER.sub(r"\1***", _PASSWORD.sub(r"\1***@", text))


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


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not (url.startswith("sqlite://") or url.startswith("postgresql+psycopg://")):
        raise UserError(f"--db: unsupported database URL {hide_password(url)!r}; use "
                        "sqlite:///FILE or postgresql+psycopg://USER@HOST/DB", 2)
    return _with_connect_timeout(url)


def _with_connect_timeout(url: str) -> str:
    """The URL, checked; PostgreSQL gets a connect timeout so a silent host fails, not hangs."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
        _port = parsed.port  # a malformed port shows only when read
    except (ArgumentError, ValueError) as error:
        raise UserError(f"--db: not a database URL ({_first_line(error)})", 2) from None
    if parsed.drivername.startswith("sqlite"):
        if parsed.username or parsed.password or parsed.host or parsed.port:
            raise UserError(f"--db: a SQLite URL names a file, not a server: {url!r}; use "
                            "sqlite:///FILE", 2)
        return url
    if "connect_timeout" in parsed.query:
        return url
    timeout = {"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)}
    return parsed.update_query_dict(timeout).render_as_string(hide_password=False)


def user_errors(function: F) -> F:
    """Translate the library's user errors narrowly; anything else is a bug and may crash."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
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
            failure = _database_failure(error)
            if failure is None:
                raise
            raise UserError(failure.message, failure.exit_code) from None

    return cast(F, wrapper)


def _database_failure(error: Exception) -> LedgerError | None:
    from ledger.store.failures import as_ledger_error

    return as_ledger_error(error)


def _first_line(error: Exception) -> str:
    return hide_password(str(error).strip().splitlines()[0] if str(error).strip() else repr(error))


def open_ledger(ctx: click.Context) -> Projector:
    """The projector over the ledger at `--db` (`.ledger` is the application); closed on exit."""
    from ledger.store.application import Ledger
    from projections.readmodel.catchup import Projector

    if ctx.obj.get("reading"):
        ensure_ledger_exists(ctx.obj["db_url"])
    url = normalise_url(ctx.obj["db_url"])
    try:
        ledger = Ledger(url)
    except Exception as error:
        raise _unusable(error) from None
    ctx.call_on_close(ledger.close)
    try:
        return Projector(ledger)
    except Exception as error:
        raise _unusable(error) from None


def _unusable(error: Exception) -> Exception:
    """Opening failed: a database failure there means the database cannot be used (exit 2)."""
    failure = _database_failure(error)
    if failure is not None:
        return UserError(f"database not reachable: {_first_line(error)}", 2)
    return error


def open_reader(ctx: click.Context) -> Projector:
    """The projector, caught up first; when it cannot be (read-only database access, or a
    rebuild holding the projection) it answers from the projection as last committed and
    says how far behind that is."""
    projector = open_ledger(ctx)
    lag = projector.catch_up_for_reading()
    if lag.events:
        click.echo(f"warning: {lag.reason}; the projection lacks the {lag.events} latest "
                   "event(s) until a writer catches it up", err=True)
    return projector


@contextmanager
def projection(ctx: click.Context) -> Iterator[Reader]:
    """The projection to read: straight from its tables when it holds every stored event (no
    application, no catch-up: ADR 0006), else through `open_reader`, caught up first."""
    from projections.readmodel.direct import current_reader, sqlite_file
    from projections.readmodel.plain import Reader

    url = ctx.obj["db_url"]
    ensure_ledger_exists(url)
    with current_reader(url if sqlite_file(url) else normalise_url(url)) as reader:
        if reader is not None:
            yield reader
            return
    with open_reader(ctx).engine.connect() as conn:
        yield Reader.of(conn)


def ensure_ledger_exists(url: str) -> None:
    """Reading a SQLite file that is not there is a mistake: say so, and create nothing."""
    from projections.readmodel.direct import sqlite_file

    path = sqlite_file(url)
    if path is not None and not os.path.exists(path):
        raise UserError(f"no ledger at {path} (give --db URL or set KKR_DATABASE_URL)", 1)


def recorded_by() -> str:
    return os.environ.get("KKR_USER") or os.environ.get("USER") or "cli"
