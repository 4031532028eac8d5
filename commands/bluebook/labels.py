"""The words and values every Blå Bog format shares: Danish role and status words, dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

Edition = Mapping[str, Any]
"""The edition's data as the query returns it (a JSON-able dict; see docs on `kkr bluebook`)."""

ROLES = {"chair": "formand", "vice_chair": "næstformand"}
STATUSES = {"active": "aktiv", "on_leave": "orlov"}
SEAT_KINDS = {"mayor": "borgmester", "party": "partivalgt"}
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


def text(value: Any) -> str:
    """A value as a cell's text: nothing for None."""
    return "" if value is None else str(value)


def name_of(person: Mapping[str, Any] | None) -> str:
    return "" if person is None else text(person.get("name"))


def roles_in_danish(roles: Iterable[str]) -> str:
    """`["chair"]` → "formand"; an unknown role is shown by its code."""
    return ", ".join(ROLES.get(role, role) for role in roles)


def as_date(value: Any) -> date | None:
    """An ISO date (or a date) as a date; None for nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def danish_date(value: Any) -> str:
    """`2023-06-01` → "1. juni 2023"."""
    day = as_date(value)
    return "" if day is None else f"{day.day}. {MONTHS[day.month - 1]} {day.year}"

