"""The Blå Bog as one standalone, printable HTML page (Jinja2, every value escaped)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from commands.bluebook.labels import SEAT_KINDS, STATUSES, Edition, danish_date, roles_in_danish


def moment_in_danish(value: str) -> str:
    """`2026-12-31T00:00:00+00:00` → "31. december 2026 kl. 00.00 UTC"."""
    moment = datetime.fromisoformat(value)
    offset, zone = moment.utcoffset(), ""
    if offset == timedelta(0):
        zone = " UTC"
    elif offset is not None:
        digits = moment.strftime("%z")
        zone = f" UTC{digits[:3]}:{digits[3:5]}"
    return f"{danish_date(moment.date())} kl. {moment:%H.%M}{zone}"


@cache
def environment() -> Environment:
    """Autoescaping on, and an unknown name in the template is an error, not an empty cell."""
    env = Environment(loader=PackageLoader("commands.bluebook"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(dato=danish_date, hverv=roles_in_danish,
                       status=lambda code: STATUSES.get(code, code),
                       pladstype=lambda kind: SEAT_KINDS.get(kind, kind))
    return env


def render_html(data: Edition) -> str:
    """The page: heading, members and substitutes, designations per person, bodies."""
    template = environment().get_template("bluebook.html")
    return template.render(e=data, known=moment_in_danish(str(data["known_at"])))
