"""Database URLs as a user gives them: checked, completed, and never shown with a password."""

from __future__ import annotations

import re

from ledger.errors import BadInput

_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_PASSWORD_PARAMETER = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)
CONNECT_TIMEOUT_SECONDS = 10


def hide_password(text: str) -> str:
    return _PASSWORD_PARAMETER.sub(r"\1***", _PASSWORD.sub(r"\1***@", text))


def normalise_url(url: str) -> str:
    """`sqlite:///FILE` or `postgresql+psycopg://…` (`postgresql://` is taken to mean it)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not (url.startswith("sqlite://") or url.startswith("postgresql+psycopg://")):
        raise BadInput(f"--db: unsupported database URL {hide_password(url)!r}; use "
                       "sqlite:///FILE or postgresql+psycopg://USER@HOST/DB")
    return _with_connect_timeout(url)


def _with_connect_timeout(url: str) -> str:
    """The URL, checked; PostgreSQL gets a connect timeout so a silent host fails, not hangs."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
        _port = parsed.port  # a malformed port shows only when read
    except (ArgumentError, ValueError) as error:
        raise BadInput(f"--db: not a database URL ({first_line(error)})") from None
    if parsed.drivername.startswith("sqlite"):
        if parsed.username or parsed.password or parsed.host or parsed.port:
            raise BadInput(f"--db: a SQLite URL names a file, not a server: {url!r}; use "
                           "sqlite:///FILE")
        return url
    if "connect_timeout" in parsed.query:
        return url
    timeout = {"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)}
    return parsed.update_query_dict(timeout).render_as_string(hide_password=False)


def first_line(error: BaseException) -> str:
    """An error's first line, without a password a URL in it may carry."""
    from ledger.store.failures import first_line as plain_first_line

    return hide_password(plain_first_line(error))
