"""Electoral periods by their first year (2007, 2010, 2014, …): plain arithmetic, no models."""

from __future__ import annotations

from datetime import date

FIRST_PERIOD = 2007


def period_years_before(year: int) -> list[int]:
    """Earlier electoral periods, nearest first: 2007, then every fourth year from 2010."""
    years = list(range(year - 4, 2009, -4)) if year > 2010 else []
    return [*years, FIRST_PERIOD] if year > FIRST_PERIOD else []


def next_period_year(year: int) -> int:
    return 2010 if year == FIRST_PERIOD else year + 4


def constitution_deadline(year: int) -> date:
    """B1.3: the constituent meeting is held by 31 January of the period's first year."""
    return date(year, 1, 31)


def period_year_of(day: date) -> int:
    """The first year of the electoral period `day` falls in (councils sit 1 January to
    31 December four years on; the first period, 2007, lasted three years)."""
    return FIRST_PERIOD if day.year < 2010 else 2010 + (day.year - 2010) // 4 * 4


def council_period_end(day: date) -> date:
    """The day the councils of `day`'s period are succeeded by the next period's."""
    return date(next_period_year(period_year_of(day)), 1, 1)
