"""The weekly forecasts (issue 14, part 4): backtest error of the model beside the seasonal-naive
baseline's, in the same run, on the demo's reports and on a planted dataset, and the time to
forecast every series.

1. The demo: etl.demo.generate_demo_reports (5,000 reports over two years, rain-season drains
   and Tết rubbish), placed in today's six wards with shapely, counted per week exactly as
   layers.forecast_counts does (local weeks from Monday, rejected reports left out), then every
   series (ward × category, ward, city × category, city) through layers.forecast_model.
2. Planted: 200 series with a known season, Tết effect and Poisson noise (means 1 to 30).
3. A large city: 100 wards × 16 categories of planted counts (1,600 series plus their sums),
   for the time only.
4. With --db: `compute_forecasts()` on the benchmark database (bench_db.py), SQL included.

Prints, never asserts. In run_all.sh (`make bench`) without --db.
    .venv/bin/python benchmarks/bench_forecast.py [--db]
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.demo import generate_demo_reports  # noqa: E402
from layers.forecast_calendar import week_flags  # noqa: E402
from layers.forecast_model import (  # noqa: E402
    HORIZON,
    MODEL,
    design,
    forecast_series,
    week_range,
)

DATA = ROOT / "data" / "mong_cai"
TODAY = dt.date(2026, 12, 2)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def demo_series() -> tuple[dt.date, dict[tuple[str, str], np.ndarray]]:
    frame = generate_demo_reports(DATA / "mong_cai_wards_2024_clean.geojson", today=TODAY)
    frame = frame[frame["status"] != "rejected"]
    features = json.loads((DATA / "mong_cai_wards_2025_derived.geojson").read_text())["features"]
    wards = [(f["properties"]["ward_code"], shape(f["geometry"])) for f in features]
    codes = np.full(len(frame), "", dtype=object)
    lon, lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
    for code, geom in wards:
        shapely.prepare(geom)
        codes[shapely.intersects_xy(geom, lon, lat)] = code
    local = frame["reported_at"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.date
    end = monday(TODAY)
    first = monday(min(local))
    weeks = (end - first).days // 7
    index = np.array([(d - first).days // 7 for d in local])
    keep = (index >= 0) & (index < weeks)
    series: dict[tuple[str, str], np.ndarray] = {}
    for ward, category, i in zip(
        codes[keep], frame["category"].to_numpy()[keep], index[keep], strict=True
    ):
        keys = [("", category), ("", "")] + ([(ward, category), (ward, "")] if ward else [])
        for key in keys:
            series.setdefault(key, np.zeros(weeks, dtype=int))[i] += 1
    return first, series


def planted_series(n_series: int, weeks: int, first: dt.date, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    all_weeks = week_range(first, weeks)
    hump = np.array(
        [
            max(
                0.0,
                math.sin(math.pi * ((w + dt.timedelta(days=3)).timetuple().tm_yday - 121) / 184),
            )
            if 121 <= (w + dt.timedelta(days=3)).timetuple().tm_yday <= 305
            else 0.0
            for w in all_weeks
        ]
    )
    tet = np.array([1.0 if (f[0] or f[1]) else 0.0 for f in map(week_flags, all_weeks)])
    out = []
    for _ in range(n_series):
        base = rng.uniform(1, 30)
        mean = base * (1 + rng.uniform(0, 1.5) * hump) * (1 + rng.uniform(0, 2) * tet)
        out.append(rng.poisson(mean))
    return out


def run(label: str, series: list[np.ndarray], first: dt.date) -> None:
    weeks = len(series[0])
    x_all = design(week_range(first, weeks + HORIZON), first)
    started = time.perf_counter()
    results = [forecast_series(y, first, seed=i, x_all=x_all) for i, y in enumerate(series)]
    seconds = time.perf_counter() - started
    done = [r for r in results if r is not None]
    tested = [r for r in done if r.model_mae is not None]
    kept = sum(r.method == MODEL for r in done)
    print(f"\n{label}: {len(series)} series, {weeks} weeks of history")
    sparse = len(series) - len(done)
    print(f"  forecast {len(done)}, too sparse {sparse}; model tested on {len(tested)}")
    if tested:
        model = np.mean([r.model_mae for r in tested])
        base = np.mean([r.baseline_mae for r in tested])
        print(
            "  backtest MAE (mean over series, reports/week): "
            f"model {model:.3f}, seasonal-naive {base:.3f} ({model / base:.2f}×)"
        )
        print(f"  model served (beat the baseline): {kept} of {len(tested)}")
    print(f"  time: {seconds:.2f} s ({1000 * seconds / max(1, len(series)):.1f} ms per series)")


def main() -> None:
    first, demo = demo_series()
    by_level: dict[str, list[np.ndarray]] = {}
    for (ward, category), y in sorted(demo.items()):
        level = ("ward" if ward else "city") + (" × category" if category else ", all categories")
        by_level.setdefault(level, []).append(y)
    print(f"The demo (5,000 reports to {TODAY}, today's wards), history from {first}:")
    run("demo, every series", [y for ys in by_level.values() for y in ys], first)
    for level, ys in by_level.items():
        run(f"demo, {level}", ys, first)
    planted_first = dt.date(2024, 1, 15)
    run(
        "planted (season, Tết, Poisson noise)",
        planted_series(200, 150, planted_first, 14),
        planted_first,
    )
    large = planted_series(1600 if "--quick" not in sys.argv else 16, 156, planted_first, 15)
    run("a large city: 100 wards × 16 categories", large, planted_first)
    if "--db" in sys.argv:
        import bench_db

        bench_db.setup()
        from layers.forecasts import compute_forecasts

        result = compute_forecasts()
        print(f"\ncompute_forecasts on the benchmark database: {result}")


if __name__ == "__main__":
    main()
