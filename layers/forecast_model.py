"""The weekly forecast of one series of report counts, and its backtest against seasonal-naive.

Pure numbers (numpy and statsmodels, no database), so the tests can plant a pattern and check
the forecast finds it. docs/forecasts.md explains the choices to a planner.

The model is a Poisson GLM on the log scale (statsmodels) with a linear trend, whose slope
may change once, a year before the forecast's origin (a hinge: a new platform's uptake slows,
a district grows; kept only where the training weeks' quasi-BIC prefers it), a yearly season
by Fourier terms (three harmonics: the rain season's broad hump and sharper peaks) and
Vietnam's holidays as regressors (the week before Tết, Tết's weeks, the week after, weeks with
another public holiday: layers.forecast_calendar). Its covariance is scaled by the Pearson
dispersion (quasi-Poisson), and the prediction interval is simulated: coefficients drawn from
their estimated distribution, then counts from a negative binomial with the same dispersion,
so the band holds both the model's uncertainty and the week-to-week noise of real counts.

Every series is backtested on rolling origins in the same run: at each of the last
BACKTEST_ORIGINS weeks, both the model and the seasonal-naive baseline (the count 52 weeks
earlier) forecast the next HORIZON weeks from the data before it; the mean absolute errors
are compared and the model is served only where it beats the baseline.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson  # type: ignore[import-untyped]  # scipy ships no types
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from layers.forecast_calendar import week_flags

HORIZON = 8  # weeks ahead
SEASON = 52  # weeks in the seasonal-naive lag
BACKTEST_ORIGINS = 12
FOURIER_ORDER = 3
# The interval: 95 % (2.5 % to 97.5 %); a week above its upper end is an alert candidate.
INTERVAL_LOW, INTERVAL_HIGH = 0.025, 0.975
SIMULATIONS = 2000
# History needed: fewer weeks or reports than the first two, no forecast at all; for the model,
# a year of training before the first backtest origin and about one report a week.
MIN_WEEKS = 8
MIN_REPORTS = 10
MIN_MODEL_WEEKS = SEASON + HORIZON + BACKTEST_ORIGINS - 1
MIN_MODEL_REPORTS = 52
# An alert needs at least this many reports in the week: 0 → 2 is above a quiet series'
# interval but is not news.
MIN_ALERT_COUNT = 5
# The trend's hinge: this many weeks before the end of the training data.
HINGE_WEEKS = 52
# A series' log-mean may not leave this range (e^±12): guards a fit gone astray.
MAX_LOG_MEAN = 12.0

MODEL = "model"
SEASONAL_NAIVE = "seasonal_naive"
NAIVE = "naive"


@dataclass(frozen=True)
class Band:
    """Expected counts and the interval, one value per week."""

    expected: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


@dataclass(frozen=True)
class SeriesForecast:
    """What one series' run found: the served method and forecast, the backtest errors of the
    model and of the baseline (None when there was no model to test), and the served method's
    one-week-ahead band for the last observed week (the alert's check)."""

    method: str
    baseline_method: str
    forecast: Band
    check: Band
    model_mae: float | None
    baseline_mae: float | None
    origins: int


# --- Design ---------------------------------------------------------------------------------

FLAG_COLUMNS = ("pre_tet", "tet", "post_tet", "holiday")


def design(week_starts: list[dt.date], origin: dt.date) -> np.ndarray:
    """The regressors of the given weeks: constant, trend (years since `origin`), the yearly
    Fourier terms at the middle of each week, and the four holiday flags."""
    n = len(week_starts)
    columns = 2 + 2 * FOURIER_ORDER + len(FLAG_COLUMNS)
    x = np.empty((n, columns))
    for i, start in enumerate(week_starts):
        middle = start + dt.timedelta(days=3)
        angle = 2 * math.pi * (middle.timetuple().tm_yday - 1) / 365.25
        row = [1.0, (start - origin).days / 365.25]
        for k in range(1, FOURIER_ORDER + 1):
            row += [math.sin(k * angle), math.cos(k * angle)]
        row += [float(flag) for flag in week_flags(start)]
        x[i] = row
    return x


def week_range(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(weeks=i) for i in range(count)]


# --- The model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    params: np.ndarray
    cov: np.ndarray
    dispersion: float
    future: np.ndarray  # the forecast weeks' regressors, as the fit uses them


def _with_hinge(x: np.ndarray, first_row: int, knot: int) -> np.ndarray:
    """`x` (rows first_row, first_row+1, ...) with the hinge column after the trend: years
    since the knot, zero before it."""
    rows = np.arange(first_row, first_row + x.shape[0])
    hinge = np.maximum(0, rows - knot) / 52.0
    return np.column_stack([x[:, :2], hinge, x[:, 2:]])


def _glm(y: np.ndarray, x: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return GLM(y, x, family=families.Poisson()).fit(scale="X2")
        except (PerfectSeparationWarning, ValueError, np.linalg.LinAlgError):
            return None


def _fit(y: np.ndarray, x: np.ndarray, future: np.ndarray) -> _Fit | None:
    """A quasi-Poisson GLM of y on x (the weeks before the origin), or None when it cannot be
    trusted; `future` holds the weeks right after them. A holiday flag is left out when no
    training week has it or its weeks hold no report (its coefficient would run to −∞). The
    trend's hinge is kept only where it earns its place: the lower quasi-BIC (the Poisson
    log-likelihood over the larger model's dispersion, plus log(weeks) per coefficient)
    decides, on the training weeks alone."""
    n = y.size
    first_flag = x.shape[1] - len(FLAG_COLUMNS)
    keep = np.ones(x.shape[1], dtype=bool)
    for j in range(first_flag, x.shape[1]):
        active = x[:, j] > 0
        if not active.any() or y[active].sum() == 0:
            keep[j] = False
    x, future = x[:, keep], future[:, keep]
    hinged_x = _with_hinge(x, 0, n - HINGE_WEEKS)
    hinged = _glm(y, hinged_x)
    plain = _glm(y, x)
    candidates = []
    if hinged is not None:
        candidates.append((hinged, _with_hinge(future, n, n - HINGE_WEEKS)))
    if plain is not None:
        candidates.append((plain, future))
    if not candidates:
        return None
    dispersion = max(1.0, float(candidates[0][0].scale))

    def qbic(result) -> float:
        # The Poisson log-likelihood at scale 1 (statsmodels' llf is divided by the Pearson
        # scale already); the term log(y!) is the same for both and left out.
        mu = np.maximum(np.asarray(result.mu), 1e-12)
        loglike = float(np.sum(y * np.log(mu) - mu))
        return -2 * loglike / dispersion + math.log(n) * len(result.params)

    result, future = min(candidates, key=lambda c: qbic(c[0]))
    params = np.asarray(result.params)
    cov = np.asarray(result.cov_params())
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(cov))):
        return None
    if np.any(np.abs(future @ params) > MAX_LOG_MEAN):
        return None
    return _Fit(params, cov, max(1.0, float(result.scale)), future)


def _mean(fit: _Fit) -> np.ndarray:
    return np.exp(fit.future @ fit.params)


def _simulate(fit: _Fit, rng: np.random.Generator) -> Band:
    """Expected counts and the simulated interval: coefficients from N(β̂, Σ), then counts
    from a negative binomial whose variance is dispersion × mean (Poisson at dispersion 1)."""
    betas = rng.multivariate_normal(fit.params, fit.cov, size=SIMULATIONS, method="cholesky")
    mu = np.exp(np.clip(betas @ fit.future.T, -MAX_LOG_MEAN, MAX_LOG_MEAN))
    if fit.dispersion > 1.0 + 1e-9:
        # NB with mean mu and variance phi·mu: n = mu / (phi − 1), p = 1 / phi.
        counts = rng.negative_binomial(mu / (fit.dispersion - 1.0), 1.0 / fit.dispersion)
    else:
        counts = rng.poisson(mu)
    lower, upper = np.quantile(counts, [INTERVAL_LOW, INTERVAL_HIGH], axis=0)
    return Band(_mean(fit), lower.astype(float), upper.astype(float))


# --- The baselines --------------------------------------------------------------------------


def baseline_method(origin: int) -> str:
    """Seasonal-naive once a year of data lies before the origin; the last value before that."""
    return SEASONAL_NAIVE if origin >= SEASON else NAIVE


def baseline_point(y: np.ndarray, origin: int, steps: int) -> np.ndarray:
    """The baseline's forecast of weeks origin..origin+steps−1 from y[:origin]."""
    if baseline_method(origin) == SEASONAL_NAIVE:
        return y[origin - SEASON : origin - SEASON + steps].astype(float)
    return np.full(steps, float(y[origin - 1]))


def _baseline_band(y: np.ndarray, origin: int, steps: int) -> Band:
    """The baseline's forecast with an interval from its own past errors (the quantiles of
    y[t] − y[t−52], or of y[t] − y[t−1]), cut at zero, and never narrower than Poisson noise
    around the recent level (the mean of the last 8 weeks, or the point if higher): with a
    year of errors, the 97.5 % quantile of a sparse series is little more than its maximum."""
    point = baseline_point(y, origin, steps)
    history = y[:origin].astype(float)
    lag = SEASON if baseline_method(origin) == SEASONAL_NAIVE else 1
    errors = history[lag:] - history[:-lag]
    if errors.size >= 4:
        low, high = np.quantile(errors, [INTERVAL_LOW, INTERVAL_HIGH])
    else:
        low = high = 0.0
    level = np.maximum(point, float(history[-8:].mean()))
    noise_low = poisson.ppf(INTERVAL_LOW, np.maximum(level, 1e-9))
    noise_high = poisson.ppf(INTERVAL_HIGH, np.maximum(level, 1e-9))
    lower = np.maximum(0.0, np.minimum(point + low, noise_low))
    upper = np.maximum(point + high, noise_high)
    return Band(point, lower, upper)


# --- One series -----------------------------------------------------------------------------


def model_usable(y: np.ndarray) -> bool:
    """Enough history for the model and its backtest (MIN_MODEL_WEEKS, MIN_MODEL_REPORTS)."""
    return y.size >= MIN_MODEL_WEEKS and y.sum() >= MIN_MODEL_REPORTS


def forecast_series(
    y: np.ndarray, first_week: dt.date, *, seed: int = 0, x_all: np.ndarray | None = None
) -> SeriesForecast | None:
    """Backtest, then forecast the HORIZON weeks after `y` (weekly counts from `first_week`).

    None when the series is too short or too sparse for any forecast (MIN_WEEKS, MIN_REPORTS).
    `x_all` is the design of the history and the horizon (design() of those weeks), passed in
    when many series share the same weeks so it is built once."""
    y = np.asarray(y, dtype=float)
    n = y.size
    if n < MIN_WEEKS or y.sum() < MIN_REPORTS:
        return None
    if x_all is None:
        x_all = design(week_range(first_week, n + HORIZON), first_week)
    rng = np.random.default_rng(seed)
    use_model = model_usable(y)
    origins = list(range(max(1, n - HORIZON - BACKTEST_ORIGINS + 1), n - HORIZON + 1))
    model_errors: list[float] = []
    base_errors: list[float] = []
    for origin in origins:
        actual = y[origin : origin + HORIZON]
        base_errors.extend(np.abs(baseline_point(y, origin, HORIZON) - actual))
        if use_model:
            fit = _fit(y[:origin], x_all[:origin], x_all[origin : origin + HORIZON])
            if fit is None:
                use_model = False
                continue
            model_errors.extend(np.abs(_mean(fit) - actual))
    baseline_mae = float(np.mean(base_errors)) if base_errors else None
    model_mae = float(np.mean(model_errors)) if use_model and model_errors else None
    kept = model_mae is not None and baseline_mae is not None and model_mae < baseline_mae
    final = check = None
    if kept:
        final = _fit(y, x_all[:n], x_all[n:])
        check = _fit(y[: n - 1], x_all[: n - 1], x_all[n - 1 : n])
    if final is not None and check is not None:
        forecast = _simulate(final, rng)
        check_band = _simulate(check, rng)
        method = MODEL
    else:
        forecast = _baseline_band(y, n, HORIZON)
        check_band = _baseline_band(y, n - 1, 1)
        method = baseline_method(n)
    return SeriesForecast(
        method=method,
        baseline_method=baseline_method(n),
        forecast=forecast,
        check=check_band,
        model_mae=model_mae,
        baseline_mae=baseline_mae,
        origins=len(origins),
    )


def alert_due(y: np.ndarray, result: SeriesForecast) -> bool:
    """The last week's count above the upper end of the band forecast for it from the weeks
    before, and at least MIN_ALERT_COUNT."""
    last = float(y[-1])
    return last >= MIN_ALERT_COUNT and last > float(result.check.upper[0])
