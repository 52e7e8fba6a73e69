"""In-process ward assignment of 1M points: points/s beside shapely's raw contains_xy.

Baseline (same run, same polygons, same points): `shapely.contains_xy(polygon, x, y)` over
every point for each prepared ward polygon of both boundary versions. Target: the assigner
(tie-break order, validity dates, boundary points count) at >= 0.8x the baseline's rate.
"""

from __future__ import annotations

import time

import bench_db  # sets up Django on the benchmark database

bench_db.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from ward_boundaries.bulk import BulkWardAssigner  # noqa: E402

N = 1_000_000


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(1)
    lon = rng.uniform(107.75, 108.15, N)
    lat = rng.uniform(21.40, 21.62, N)
    days = np.array(["2024-06-01", "2026-06-01"], dtype="datetime64[D]")
    day = days[rng.integers(0, 2, N)]
    assigner = BulkWardAssigner.from_database()
    polygons = [s.geom for s in assigner.shapes]
    for polygon in polygons:
        shapely.prepare(polygon)

    def baseline():
        for polygon in polygons:
            shapely.contains_xy(polygon, lon, lat)

    def ours():
        assigner.assign_inside(lon, lat, day)

    t_base = best_of(baseline)
    t_ours = best_of(ours)
    inside = int((assigner.assign_inside(lon, lat, day) >= 0).sum())
    ratio = t_base / t_ours
    print(f"points: {N:,} ({inside:,} inside a ward), polygons: {len(polygons)} (both versions)")
    print(
        f"in-process assignment: {N / t_ours:,.0f} points/s ({t_ours:.3f} s) | "
        f"baseline raw contains_xy: {N / t_base:,.0f} points/s ({t_base:.3f} s) | "
        f"ratio {ratio:.2f}x, target >= 0.8x: {'PASS' if ratio >= 0.8 else 'MISS'}"
    )


if __name__ == "__main__":
    main()
