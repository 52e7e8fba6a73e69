"""The weekly forecast on planted series: the season and Tết found, the baseline beaten where it
should be, the alert on a planted spike and not on plain noise (layers.forecast_model)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from layers.forecast_calendar import tet_days, week_flags
from layers.forecast_model import (
    HORIZON,
    MIN_ALERT_COUNT,
    MIN_MODEL_WEEKS,
    MODEL,
    NAIVE,
    SEASONAL_NAIVE,
    alert_due,
    design,
    forecast_series,
    week_range,
)

FIRST = dt.date(2024, 1, 15)  # a Monday
# Tết 2027 falls on 6 February: its days off (4-10 Feb) lie in the weeks of 1 and 8 February.
TET_2027_WEEKS = {dt.date(2027, 2, 1), dt.date(2027, 2, 8)}


def planted_mean(week: dt.date, *, base: float, rain: float, tet: float) -> float:
    """A rain-season hump (peak in late July) and a Tết rise (the week before and Tết's weeks)."""
    middle = week + dt.timedelta(days=3)
    phase = (middle.timetuple().tm_yday - 121) / 184
    hump = math.sin(math.pi * phase) if 0 <= phase <= 1 else 0.0
    before, during, _after, _other = week_flags(week)
    return base * (1 + rain * hump) * (tet if before or during else 1.0)


def planted(
    weeks: int, *, base=6.0, rain=1.0, tet=2.5, seed=1, first=FIRST
) -> tuple[np.ndarray, np.ndarray]:
    """(Poisson counts of `weeks` weeks, the true means of those weeks and the horizon)."""
    means = np.array(
        [planted_mean(w, base=base, rain=rain, tet=tet) for w in week_range(first, weeks + HORIZON)]
    )
    return np.random.default_rng(seed).poisson(means[:weeks]), means


def test_the_calendar_moves_tet_with_the_lunar_year():
    assert dt.date(2025, 1, 29) in tet_days(2025)  # mùng 1 Tết Ất Tỵ
    assert dt.date(2026, 2, 17) in tet_days(2026)  # mùng 1 Tết Bính Ngọ
    assert dt.date(2027, 2, 6) in tet_days(2027)
    assert dt.date(2026, 1, 29) not in tet_days(2026)
    assert week_flags(dt.date(2026, 2, 16))[1]  # the week of 17 Feb 2026 is a Tết week
    assert week_flags(dt.date(2026, 2, 9))[0]  # the week before
    assert week_flags(dt.date(2026, 2, 23))[2]  # the week after
    assert not any(week_flags(dt.date(2026, 3, 9))[:3])
    assert week_flags(dt.date(2026, 4, 27))[3]  # 30/4 and 1/5
    x = design(week_range(FIRST, 3), FIRST)
    assert x.shape == (3, 12) and np.allclose(x[:, 0], 1)


def test_the_tet_peak_is_forecast_in_the_right_weeks_and_beats_seasonal_naive():
    # History up to mid January 2027, so the 8 weeks ahead hold Tết 2027 (a date the history
    # never saw: Tết fell on 10 Feb 2024, 29 Jan 2025 and 17 Feb 2026).
    weeks = (dt.date(2027, 1, 11) - FIRST).days // 7
    y, means = planted(weeks, rain=0.3, tet=3.0)
    result = forecast_series(y, FIRST)
    assert result is not None and result.method == MODEL
    assert result.model_mae < result.baseline_mae
    horizon = week_range(FIRST + dt.timedelta(weeks=weeks), HORIZON)
    expected = result.forecast.expected
    peak = horizon[int(np.argmax(expected))]
    assert peak in TET_2027_WEEKS | {dt.date(2027, 1, 25)}, peak
    # Tết's weeks forecast well above the weeks after it, within 35 % of the planted means.
    tet_idx = [i for i, w in enumerate(horizon) if w in TET_2027_WEEKS]
    late_idx = [i for i, w in enumerate(horizon) if w >= dt.date(2027, 2, 22)]
    assert min(expected[tet_idx]) > 1.8 * max(expected[late_idx])
    assert np.all(np.abs(expected - means[weeks:]) <= 0.35 * means[weeks:])
    # The interval holds the expected value and is a real band.
    band = result.forecast
    assert np.all(band.lower <= expected) and np.all(expected <= band.upper)
    assert np.all(band.upper > band.lower)


def test_the_rain_season_is_recovered():
    """Ten seeded series, history to the end of May 2026, the horizon climbing into the rain
    season: the model beats seasonal-naive on average and is served for most of them, and
    where served it follows the planted rise."""
    weeks = (dt.date(2026, 6, 1) - FIRST).days // 7
    served = 0
    model_mae, baseline_mae = [], []
    for seed in range(10):
        y, means = planted(weeks, base=6.0, rain=1.5, tet=1.0, seed=100 + seed)
        result = forecast_series(y, FIRST)
        assert result is not None and result.model_mae is not None
        model_mae.append(result.model_mae)
        baseline_mae.append(result.baseline_mae)
        if result.method != MODEL:
            continue
        served += 1
        expected, truth = result.forecast.expected, means[weeks:]
        assert expected[-1] > 1.2 * expected[0]  # rising with the season (truth: ×1.37)
        assert np.corrcoef(expected, truth)[0, 1] > 0.8
        assert np.mean(np.abs(expected - truth) / truth) < 0.25
    assert served >= 7
    assert np.mean(model_mae) < 0.9 * np.mean(baseline_mae)


def test_seasonal_naive_is_kept_where_the_model_does_not_beat_it():
    """A series that repeats last year's weeks exactly is the baseline's home ground: its
    error is zero and the model cannot beat it, so the baseline is served."""
    rng = np.random.default_rng(5)
    year = rng.poisson(6, 52)
    y = np.concatenate([year, year, year[:30]])
    result = forecast_series(y, FIRST)
    assert result is not None
    assert result.baseline_mae == 0.0 and result.model_mae is not None
    assert result.method == SEASONAL_NAIVE
    assert np.array_equal(result.forecast.expected, y[-52 : -52 + HORIZON])


def test_short_and_sparse_series():
    assert forecast_series(np.array([1, 0, 2]), FIRST) is None  # under MIN_WEEKS
    assert forecast_series(np.zeros(120, dtype=int), FIRST) is None  # no reports
    short, _ = planted(MIN_MODEL_WEEKS - 30)
    result = forecast_series(short, FIRST)
    assert result is not None and result.method == NAIVE and result.model_mae is None
    assert np.all(result.forecast.expected == short[-1])
    year_and_some, _ = planted(MIN_MODEL_WEEKS - 5)
    result = forecast_series(year_and_some, FIRST)
    assert result is not None and result.method == SEASONAL_NAIVE


def test_the_alert_fires_on_a_planted_spike_and_not_on_noise():
    """Over 120 seasonal series with Poisson noise (mean 2 to 20 a week, fixed seeds), the last
    week is an ordinary draw in one copy and three times the planted mean plus 5 in the other:
    the alert catches nearly every spike and almost no ordinary week."""
    weeks = 130
    rng = np.random.default_rng(20261202)
    false_alarms = caught = 0
    trials = 120
    for trial in range(trials):
        base = float(rng.uniform(2, 20))
        y, means = planted(weeks, base=base, rain=0.8, tet=2.0, seed=1000 + trial)
        quiet = forecast_series(y, FIRST, seed=trial)
        assert quiet is not None
        false_alarms += alert_due(y, quiet)
        spiked = y.copy()
        spiked[-1] = round(3 * means[weeks - 1] + 5)
        loud = forecast_series(spiked, FIRST, seed=trial)
        assert loud is not None
        caught += alert_due(spiked, loud)
    print(f"false alarms {false_alarms}/{trials}, spikes caught {caught}/{trials}")  # noqa: T201 - shown with -s
    assert false_alarms <= 0.04 * trials
    assert caught >= 0.9 * trials


def test_no_alert_under_the_minimum_count():
    """A quiet series (one report a month) jumping to 4: above its interval, below the minimum."""
    y = np.zeros(120, dtype=int)
    y[::4] = 1
    y[-1] = MIN_ALERT_COUNT - 1
    result = forecast_series(y, FIRST)
    assert result is not None and result.check.upper[0] < y[-1]
    assert not alert_due(y, result)
