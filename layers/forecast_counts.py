"""Weekly report counts per today's ward and category: the forecasts' input, summed in SQL.

A report keeps the ward of the boundary version in force when it was made, so after a merger
of wards the older reports point at wards that no longer exist. A planner forecasts today's
wards; so reports of an older version are placed in today's wards by their location (one
set-based spatial join over the ward polygons' index), those of today's version by their
ward key. Reports outside every ward of today (off the coastline) count for the city only.
Only (ward, category, week, count) rows reach Python: a few thousand, however many reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from common.local_time import LOCAL_TIME_ZONE, local_midnight
from gis_core.models import Category, Report
from ward_boundaries.models import BoundaryVersion, Ward


@dataclass(frozen=True)
class WeeklyCounts:
    """Counts per (ward code, category code), weeks from `first_week` (a Monday), the last
    one the week before `end` (the first incomplete week). Ward "" holds the reports outside
    today's wards; city totals are sums."""

    first_week: dt.date
    weeks: int
    series: dict[tuple[str, str], np.ndarray]


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_report_week(end: dt.date) -> dt.date | None:
    """The week of the oldest report before `end` (the platform's start; one index lookup)."""
    first = (
        Report.objects.filter(reported_at__lt=local_midnight(end))
        .order_by("reported_at")
        .values_list("reported_at", flat=True)
        .first()
    )
    if first is None:
        return None
    return monday(timezone.localtime(first).date())


# Raw because the week is the local date_trunc of reported_at, and the older reports are placed
# in today's wards by a spatial join, all in one grouped statement (one snapshot).
_COUNTS_SQL = """
    WITH today AS (
        SELECT id, code, geom FROM ward_boundaries_ward WHERE version_id = ANY(%(versions)s)
    ), counted AS (
        SELECT r.reported_at, r.category_id, r.location, r.ward_id
        FROM gis_core_report r
        WHERE r.reported_at >= %(since)s AND r.reported_at < %(until)s AND r.status <> 'rejected'
    ), placed AS (
        SELECT c.reported_at, c.category_id, t.code
        FROM counted c JOIN today t ON t.id = c.ward_id
        UNION ALL
        SELECT c.reported_at, c.category_id, coalesce(t.code, '')
        FROM counted c LEFT JOIN today t ON ST_Intersects(t.geom, c.location)
        WHERE c.ward_id IS NULL OR c.ward_id <> ALL(%(ward_ids)s)
    )
    SELECT code, category_id,
           date_trunc('week', reported_at AT TIME ZONE %(zone)s)::date AS week, count(*)
    FROM placed
    GROUP BY 1, 2, 3
"""


def weekly_counts(*, first_week: dt.date, end: dt.date, today: dt.date) -> WeeklyCounts:
    """Counts of the weeks first_week..end (exclusive; both Mondays), without rejected reports,
    in the wards in force on `today`."""
    versions = list(BoundaryVersion.objects.valid_on(today).values_list("id", flat=True))
    ward_ids = list(Ward.objects.filter(version__in=versions).values_list("id", flat=True))
    codes = dict(Category.objects.values_list("id", "code"))
    weeks = (end - first_week).days // 7
    params: dict[str, Any] = {
        "versions": versions,
        "ward_ids": ward_ids,
        "since": local_midnight(first_week),
        "until": local_midnight(end),
        "zone": LOCAL_TIME_ZONE,
    }
    series: dict[tuple[str, str], np.ndarray] = {}
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, params)
        rows = cursor.fetchall()
    for ward_code, category_id, week, count in rows:
        index = (week - first_week).days // 7
        if not 0 <= index < weeks:
            continue
        key = (ward_code, codes[category_id])
        if key not in series:
            series[key] = np.zeros(weeks, dtype=np.int64)
        series[key][index] += count
    return WeeklyCounts(first_week=first_week, weeks=weeks, series=series)
