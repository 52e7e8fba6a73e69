"""compute_forecasts on planted reports in the database: the weekly counts per today's ward
(older reports placed by location), the stored series and weeks, the alert of a planted spike
(once), the command, and the weekly task in the worker's registry."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from common.local_time import local_midnight, local_today
from gis_core.models import Report
from layers.forecast_counts import weekly_counts
from layers.forecast_model import HORIZON
from layers.forecasts import compute_forecasts
from layers.models import ForecastAlert, ForecastSeries, ForecastWeek
from tests.layers.forecast_data import FOOD, WARD, WEEKS


def test_weekly_counts_place_older_reports_in_todays_wards(planted_city):
    end = planted_city["end"]
    first = end - dt.timedelta(weeks=WEEKS)
    counts = weekly_counts(first_week=first, end=end, today=local_today())
    assert counts.weeks == WEEKS
    # Before July 2025 these reports hold a ward of the 2024 version; they count in 06709.
    assert Report.objects.exclude(ward__code=WARD).filter(category__code=FOOD).exists()
    assert list(counts.series[(WARD, FOOD)]) == planted_city["food"]  # rejected left out
    assert list(counts.series[("06757", "moi_truong")]) == planted_city["other"]


def test_compute_forecasts_stores_series_weeks_and_the_spike_alert(planted_city):
    run = compute_forecasts()
    keys = set(ForecastSeries.objects.values_list("ward_code", "category_code"))
    assert {(WARD, FOOD), (WARD, ""), ("", FOOD), ("", ""), ("06757", "moi_truong")} <= keys
    assert run.series == len(keys) and run.weeks == WEEKS
    series = ForecastSeries.objects.get(ward_code=WARD, category_code=FOOD)
    assert series.history == planted_city["food"]
    assert series.history_start == planted_city["end"] - dt.timedelta(weeks=WEEKS)
    assert series.baseline_mae is not None and series.backtest_origins == 12
    weeks = list(series.weeks.values_list("week_start", "expected", "lower", "upper"))
    assert [w[0] for w in weeks] == [planted_city["end"] + dt.timedelta(weeks=i) for i in range(8)]
    assert all(lo <= e <= up for _w, e, lo, up in weeks)
    assert ForecastWeek.objects.count() == HORIZON * len(keys)
    # The spike fires for the food-safety series (its ward, and the city's), not for the other.
    alerts = set(ForecastAlert.objects.values_list("ward_code", "category_code", "count"))
    assert (WARD, FOOD, 30) in alerts and ("", FOOD, 30) in alerts
    assert not any(code == "moi_truong" for _w, code, _n in alerts)
    assert not any(category == "" for _w, category, _n in alerts)  # per category only
    assert run.alerts == len(alerts)
    # A second run replaces the forecasts and keeps the alerts once.
    again = compute_forecasts()
    assert again.alerts == 0 and ForecastAlert.objects.count() == len(alerts)
    assert ForecastSeries.objects.count() == len(keys)


def test_no_reports_no_forecasts(mong_cai_wards):
    ForecastSeries.objects.create(
        ward_code=WARD, category_code=FOOD, method="naive", baseline_method="naive",
        history_start=dt.date(2026, 1, 5), computed_at=local_midnight(dt.date(2026, 1, 5)),
    )  # fmt: skip
    run = compute_forecasts()
    assert run.series == 0 and not ForecastSeries.objects.exists()


def test_the_command_and_the_weekly_task(planted_city):
    out = StringIO()
    call_command("compute_forecasts", stdout=out)
    assert "series forecast" in out.getvalue()
    assert ForecastSeries.objects.filter(ward_code=WARD, category_code=FOOD).exists()
    from procrastinate.contrib.django import app

    from layers import tasks

    assert tasks.compute_forecasts.name == "layers.compute_forecasts"
    periodic = {p.periodic_id: p for p in app.periodic_registry.periodic_tasks.values()}
    assert periodic["compute_forecasts"].cron == "30 19 * * 0"  # Monday 02:30 in Vietnam
