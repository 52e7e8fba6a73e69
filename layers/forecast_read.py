"""Reads of the stored forecasts: one series for the planner's chart, the rows of the export,
the week's alerts for the operations board and the digest.

Only counts, codes and names: no report and nothing about a reporter ever reaches these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.local_time import local_today
from common.localized import localized
from gis_core.models import Category
from layers.forecast_counts import monday
from layers.models import ForecastAlert, ForecastSeries, ForecastWeek
from ward_boundaries.models import BoundaryVersion, Ward

# The history the chart shows: two years, enough to see last year's season.
CHART_HISTORY_WEEKS = 104
# The board and the digest show the alerts of the last complete week and the one before.
ALERT_WEEKS = 2
MAX_ALERTS = 20
# A day at most: alerts change weekly, and compute_forecasts forgets the cached version.
ALERTS_VERSION_SECONDS = 86400


def ward_names() -> dict[str, str]:
    """Today's wards, code → name."""
    versions = BoundaryVersion.objects.valid_on(local_today())
    return dict(Ward.objects.filter(version__in=versions).values_list("code", "name"))


def category_names() -> dict[str, str]:
    """Category code → name in the reader's language."""
    return {
        row["code"]: localized(row, "name")
        for row in Category.objects.values("code", "name_vi", "name_en", "name_zh")
    }


def series_label(ward_code: str, category_code: str, wards: dict, categories: dict) -> str:
    ward = wards.get(ward_code, ward_code) if ward_code else _("Toàn thành phố")
    category = categories.get(category_code, category_code) if category_code else _("Tất cả")
    return f"{ward} · {category}"


def _mae(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def series_json(ward_code: str, category_code: str) -> dict[str, Any] | None:
    """The chart's data: history (weekly counts, the last CHART_HISTORY_WEEKS), forecast weeks
    with their interval, the served method and the backtest's errors; None when not stored."""
    series = ForecastSeries.objects.filter(ward_code=ward_code, category_code=category_code).first()
    if series is None:
        return None
    history = list(series.history)[-CHART_HISTORY_WEEKS:]
    skipped = len(series.history) - len(history)
    first = series.history_start + dt.timedelta(weeks=skipped)
    weeks = ForecastWeek.objects.filter(series=series).order_by("week_start")
    alerts = ForecastAlert.objects.filter(ward_code=ward_code, category_code=category_code)
    return {
        "ward": ward_code,
        "category": category_code,
        "method": series.method,
        "method_label": series.get_method_display(),
        "baseline_method": series.baseline_method,
        "baseline_label": series.get_baseline_method_display(),
        "model_mae": _mae(series.model_mae),
        "baseline_mae": _mae(series.baseline_mae),
        "backtest_origins": series.backtest_origins,
        "computed_at": timezone.localtime(series.computed_at).isoformat(),
        "history": [
            {"week": (first + dt.timedelta(weeks=i)).isoformat(), "count": count}
            for i, count in enumerate(history)
        ],
        "forecast": [
            {
                "week": w.week_start.isoformat(),
                "expected": round(w.expected, 2),
                "lower": w.lower,
                "upper": w.upper,
            }
            for w in weeks
        ],
        "alerts": [
            {"week": a.week_start.isoformat(), "count": a.count, "upper": a.upper}
            for a in alerts.order_by("-week_start")[:10]
        ],
    }


EXPORT_HEADER = (
    "ward_code",
    "ward_name",
    "category_code",
    "category_name",
    "week_start",
    "expected",
    "lower",
    "upper",
    "method",
    "model_mae",
    "baseline_mae",
    "computed_at",
)


def export_rows(ward_code: str | None, category_code: str | None) -> Iterator[list[Any]]:
    """The forecast weeks as rows of EXPORT_HEADER, every series or the one asked for
    (None: any)."""
    wards, categories = ward_names(), category_names()
    weeks: QuerySet[ForecastWeek] = ForecastWeek.objects.select_related("series")
    if ward_code is not None:
        weeks = weeks.filter(series__ward_code=ward_code)
    if category_code is not None:
        weeks = weeks.filter(series__category_code=category_code)
    order = ("series__ward_code", "series__category_code", "week_start")
    for w in weeks.order_by(*order).iterator(chunk_size=2000):
        s = w.series
        yield [
            s.ward_code,
            wards.get(s.ward_code, "") if s.ward_code else _("Toàn thành phố"),
            s.category_code,
            categories.get(s.category_code, "") if s.category_code else _("Tất cả"),
            w.week_start.isoformat(),
            round(w.expected, 2),
            w.lower,
            w.upper,
            s.method,
            _mae(s.model_mae),
            _mae(s.baseline_mae),
            timezone.localtime(s.computed_at).isoformat(timespec="minutes"),
        ]


@dataclass(frozen=True)
class AlertRow:
    id: int
    ward_code: str
    ward_name: str
    category_code: str
    category_name: str
    week_start: dt.date
    count: int
    expected: float
    upper: float


def recent_alerts(
    *, since: dt.datetime | None = None, ward_codes: set[str] | None = None
) -> list[AlertRow]:
    """The alerts of the last ALERT_WEEKS complete weeks (or those recorded after `since`),
    the largest rise over the interval first; only these wards' when `ward_codes` is given."""
    alerts = ForecastAlert.objects.all()
    if since is not None:
        alerts = alerts.filter(created_at__gt=since)
    else:
        first = monday(local_today()) - dt.timedelta(weeks=ALERT_WEEKS)
        alerts = alerts.filter(week_start__gte=first)
    if ward_codes is not None:
        alerts = alerts.filter(ward_code__in=ward_codes)
    wards, categories = ward_names(), category_names()
    rows = [
        AlertRow(
            id=a.pk,
            ward_code=a.ward_code,
            ward_name=wards.get(a.ward_code, a.ward_code) if a.ward_code else _("Toàn thành phố"),
            category_code=a.category_code,
            category_name=categories.get(a.category_code, a.category_code),
            week_start=a.week_start,
            count=a.count,
            expected=a.expected,
            upper=a.upper,
        )
        for a in alerts.order_by("-week_start", "id")[: MAX_ALERTS * 5]
    ]
    rows.sort(key=lambda r: (-r.week_start.toordinal(), -(r.count - r.upper), r.id))
    return rows[:MAX_ALERTS]


def _alerts_cache_key() -> str:
    # The week in the key: on Monday the window of recent_alerts() moves by itself.
    return f"forecasts:alerts:v1:{monday(local_today()).isoformat()}"


def alerts_version() -> str:
    """What the board's version needs of the alerts: the newest alert id and how many there
    are in the window, cached until compute_forecasts writes (forget_alerts_version), so an
    unchanged poll reads the cache, not the table."""
    key = _alerts_cache_key()
    version = cache.get(key)
    if version is None:
        first = monday(local_today()) - dt.timedelta(weeks=ALERT_WEEKS)
        found = ForecastAlert.objects.filter(week_start__gte=first).aggregate(
            last=Max("id"), n=Count("id")
        )
        version = f"{found['last'] or 0}:{found['n']}"
        cache.set(key, version, ALERTS_VERSION_SECONDS)
    return version


def forget_alerts_version() -> None:
    cache.delete(_alerts_cache_key())
