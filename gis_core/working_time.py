"""Deadlines counted in working hours on the Vietnamese public-service calendar.

A deadline of N working hours runs only during settings.WORKING_HOURS on settings.WORKING_DAYS
that are not in settings.PUBLIC_HOLIDAYS, in local time (Asia/Ho_Chi_Minh). A report assigned
on Friday at 16:30 with 8 working hours left is due on Monday at 16:30.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def _sessions(day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The working sessions of `day` as aware local datetimes (none on weekends and holidays)."""
    if day.weekday() not in settings.WORKING_DAYS or day.isoformat() in settings.PUBLIC_HOLIDAYS:
        return []
    tz = timezone.get_default_timezone()
    sessions = []
    for start, end in settings.WORKING_HOURS:
        begin = dt.datetime.combine(day, dt.time.fromisoformat(start), tzinfo=tz)
        finish = dt.datetime.combine(day, dt.time.fromisoformat(end), tzinfo=tz)
        sessions.append((begin, finish))
    return sessions


def add_working_hours(start: dt.datetime, hours: float, *, max_days: int = 3660) -> dt.datetime:
    """The moment `hours` working hours after `start` (an aware datetime)."""
    remaining = dt.timedelta(hours=hours)
    current = timezone.localtime(start)
    day = current.date()
    for _ in range(max_days):
        for begin, finish in _sessions(day):
            if current >= finish:
                continue
            begin = max(begin, current)
            available = finish - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            current = finish
        day += dt.timedelta(days=1)
    raise ValueError(f"No working time found within {max_days} days: check WORKING_DAYS.")


def working_day_hours() -> float:
    """The length of one working day (the sum of settings.WORKING_HOURS), in hours."""
    day = dt.date(2000, 1, 1)
    return sum(
        (
            dt.datetime.combine(day, dt.time.fromisoformat(end))
            - dt.datetime.combine(day, dt.time.fromisoformat(start))
        )
        / dt.timedelta(hours=1)
        for start, end in settings.WORKING_HOURS
    )


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` full working days after `start`: a request on Friday at 16:30 with
    2 days is due on Tuesday at 16:30; one on Saturday, at Tuesday's close."""
    return add_working_hours(start, days * working_day_hours())
