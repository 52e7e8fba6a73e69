"""Recomputes every weekly forecast and its backtest, and records the week's alerts.

Run weekly (layers.tasks.compute_forecasts, Monday early morning Vietnam time; the same as
`manage.py compute_forecasts`): the weekly counts come from one grouped query
(layers.forecast_counts), every series is forecast by layers.forecast_model, and the rows are
replaced in one transaction, so a reader sees the old run or the new one, never half of each.
Series: each of today's wards × each category, each ward over every category, the city per
category and the city over every category.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from common.local_time import local_today
from layers.forecast_counts import first_report_week, monday, weekly_counts
from layers.forecast_model import (
    HORIZON,
    MODEL,
    SeriesForecast,
    alert_due,
    design,
    forecast_series,
)
from layers.forecast_model import week_range as weeks_from
from layers.forecast_read import forget_alerts_version
from layers.models import ForecastAlert, ForecastSeries, ForecastWeek

# The history read: three years (each forecast needs at most one year of season and the
# trend of the last few; older weeks only slow the fit).
MAX_HISTORY_WEEKS = 156

SeriesKey = tuple[str, str]


@dataclass(frozen=True)
class ForecastRun:
    series: int  # forecast
    skipped: int  # too short or too sparse (layers.forecast_model.MIN_WEEKS, MIN_REPORTS)
    model_kept: int  # where the model beat seasonal-naive and is served
    alerts: int  # new alert rows
    weeks: int  # weeks of history read
    seconds: float


def all_series(counts: dict[SeriesKey, np.ndarray], weeks: int) -> dict[SeriesKey, np.ndarray]:
    """The counted (ward, category) series plus their sums: per ward over every category,
    the city per category and the whole city. Reports outside today's wards (ward "") count
    only in the city's sums."""
    result: dict[SeriesKey, np.ndarray] = {}

    def add(key: SeriesKey, y: np.ndarray) -> None:
        if key in result:
            result[key] = result[key] + y
        else:
            result[key] = y.copy()

    for (ward, category), y in counts.items():
        if ward:
            add((ward, category), y)
            add((ward, ""), y)
        add(("", category), y)
        add(("", ""), y)
    return result


def _seed(key: SeriesKey) -> int:
    """A fixed seed per series: the same data always gives the same interval."""
    return zlib.crc32(f"{key[0]}/{key[1]}".encode())


def compute_forecasts(*, today: dt.date | None = None) -> ForecastRun:
    """Forecasts every series from the complete weeks before today's; replaces the stored ones."""
    started = time.perf_counter()
    today = today or local_today()
    end = monday(today)
    first = first_report_week(end)
    if first is None:
        _store({}, {}, end)
        return ForecastRun(0, 0, 0, 0, 0, time.perf_counter() - started)
    first = max(first, end - dt.timedelta(weeks=MAX_HISTORY_WEEKS))
    counts = weekly_counts(first_week=first, end=end, today=today)
    series = all_series(counts.series, counts.weeks)
    x_all = design(weeks_from(first, counts.weeks + HORIZON), first) if counts.weeks else None
    results: dict[SeriesKey, SeriesForecast] = {}
    for key in sorted(series):
        result = forecast_series(series[key], first, seed=_seed(key), x_all=x_all)
        if result is not None:
            results[key] = result
    alerts = _store(results, series, end, first=first)
    return ForecastRun(
        series=len(results),
        skipped=len(series) - len(results),
        model_kept=sum(r.method == MODEL for r in results.values()),
        alerts=alerts,
        weeks=counts.weeks,
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def _store(
    results: dict[SeriesKey, SeriesForecast],
    series: dict[SeriesKey, np.ndarray],
    end: dt.date,
    *,
    first: dt.date | None = None,
) -> int:
    """Replaces every series row and its weeks; adds the alerts of the last complete week
    (an alert already recorded for that week stays as it was). Returns the alerts added."""
    now = timezone.now()
    ForecastSeries.objects.all().delete()
    keys = sorted(results)
    rows = ForecastSeries.objects.bulk_create(
        [
            ForecastSeries(
                ward_code=key[0],
                category_code=key[1],
                method=results[key].method,
                baseline_method=results[key].baseline_method,
                model_mae=results[key].model_mae,
                baseline_mae=results[key].baseline_mae,
                backtest_origins=results[key].origins,
                history_start=first or end,
                history=[int(v) for v in series[key]],
                computed_at=now,
            )
            for key in keys
        ]
    )
    weeks = weeks_from(end, HORIZON)
    ForecastWeek.objects.bulk_create(
        [
            ForecastWeek(
                series=row,
                week_start=week,
                expected=round(float(band.expected[i]), 3),
                lower=float(band.lower[i]),
                upper=float(band.upper[i]),
            )
            for row, key in zip(rows, keys, strict=True)
            for band in [results[key].forecast]
            for i, week in enumerate(weeks)
        ]
    )
    last_week = end - dt.timedelta(weeks=1)
    alerts = [
        ForecastAlert(
            ward_code=key[0],
            category_code=key[1],
            week_start=last_week,
            count=int(series[key][-1]),
            expected=round(float(results[key].check.expected[0]), 3),
            upper=float(results[key].check.upper[0]),
            method=results[key].method,
        )
        for key in keys
        if key[1] and alert_due(series[key], results[key])
    ]
    # Now, and again once committed: a poll between the two may have cached the old version.
    forget_alerts_version()
    transaction.on_commit(forget_alerts_version)
    before = ForecastAlert.objects.filter(week_start=last_week).count()
    ForecastAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    return ForecastAlert.objects.filter(week_start=last_week).count() - before
