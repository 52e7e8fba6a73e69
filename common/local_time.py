"""The city's local time: the zone every local date (filters, months, deadlines) is read in.

One constant for Python, SQL (`AT TIME ZONE %s`) and settings.TIME_ZONE, so a report made at
23:30 falls on the same local day in a filter, a tile's month and a league table.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

LOCAL_TIME_ZONE = "Asia/Ho_Chi_Minh"


def local_today() -> dt.date:
    """Today in the city (settings.TIME_ZONE is LOCAL_TIME_ZONE)."""
    return timezone.localdate()


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a local day, aware: how date filters bound timestamps."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
