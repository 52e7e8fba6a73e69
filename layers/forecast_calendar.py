"""Vietnam's calendar for the weekly forecasts: the weeks of Tết and of the other public holidays.

Tết moves with the lunar calendar (late January to mid February), so a yearly Fourier term
cannot hold it: it is a regressor of its own. The dates come from the `holidays` package
(Vietnam: Tết's days off, the 29th/30th of the last lunar month to the 4th/5th of the first),
computed, not a list typed in here, so any year the package knows works.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# The holiday names the package gives Tết's days in its English localisation ("Lunar New
# Year", "Lunar New Year's Eve", "Second Day of Lunar New Year", "29 of Lunar New Year"...).
TET_MARK = "Lunar New Year"


@lru_cache(maxsize=64)
def _days(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(Tết's days off, the other public holidays) of one year."""
    calendar = holidays.country_holidays("VN", years=year, language="en_US")
    tet = frozenset(day for day, name in calendar.items() if TET_MARK in name)
    other = frozenset(day for day in calendar if day not in tet)
    return tet, other


def tet_days(year: int) -> frozenset[dt.date]:
    """The days off of the Tết that falls in `year` (Gregorian)."""
    return _days(year)[0]


def holiday_days(year: int) -> frozenset[dt.date]:
    """The public holidays of `year` other than Tết (New Year, Hùng Kings, 30/4, 1/5, 2/9...)."""
    return _days(year)[1]


def week_flags(week_start: dt.date) -> tuple[bool, bool, bool, bool]:
    """(the week before Tết, a Tết week, the week after Tết, a week with another holiday) for
    the Monday-to-Sunday week starting on `week_start`. A Tết week holds at least one of Tết's
    days off; "before" and "after" are the weeks next to the first and the last of them."""
    days = [week_start + dt.timedelta(days=i) for i in range(7)]

    def holds_tet(monday: dt.date) -> bool:
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        return any(d in tet_days(d.year) for d in week)

    tet = holds_tet(week_start)
    before = not tet and holds_tet(week_start + dt.timedelta(days=7))
    after = not tet and holds_tet(week_start - dt.timedelta(days=7))
    other = any(d in holiday_days(d.year) for d in days)
    return before, tet, after, other
