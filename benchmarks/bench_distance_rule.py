"""The distance rule's cost per submission: ward_boundaries.distance_rule at the database.

    .venv/bin/python benchmarks/bench_distance_rule.py

10,000 seeded random points, a third in each of: the city (lon 107.75-108.15, lat 21.40-21.62,
mostly inside a ward), the sea and the border within 50 km (the same box widened by 0.4°), and
anywhere on Earth (nearly all refused). Each `point_near_wards` call (the one round trip
report_submit adds) is timed with perf_counter, interleaved with a `SELECT 1` round trip on
the same connection as the baseline. Then the same for a batch of 100,000 points in one call
(the importer's use), per point. Timings are printed, never asserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

SEED = 20261202
N_POINTS = 10_000
N_WARMUP = 300
N_BATCH = 100_000


def random_points(n: int):
    import numpy as np

    rng = np.random.default_rng(SEED)
    third = n // 3
    city = (rng.uniform(107.75, 108.15, third), rng.uniform(21.40, 21.62, third))
    near = (rng.uniform(107.35, 108.55, third), rng.uniform(21.00, 22.02, third))
    rest = n - 2 * third
    world = (rng.uniform(-180, 180, rest), np.degrees(np.arcsin(rng.uniform(-1, 1, rest))))
    lon = np.concatenate([city[0], near[0], world[0]])
    lat = np.concatenate([city[1], near[1], world[1]])
    order = rng.permutation(n)
    return lon[order], lat[order]


def main() -> None:
    url = bench_db.setup()
    print(f"benchmark database: {url}", flush=True)
    from django.db import connection

    from ward_boundaries.distance_rule import max_distance_km, point_near_wards, points_near_wards

    lon, lat = random_points(N_POINTS)
    perf = time.perf_counter
    with connection.cursor() as cursor:
        for i in range(N_WARMUP):
            point_near_wards(float(lon[i]), float(lat[i]))
        rule_ms, select1_ms, near = [], [], 0
        for x, y in zip(lon.tolist(), lat.tolist(), strict=True):
            t0 = perf()
            cursor.execute("SELECT 1")
            cursor.fetchall()
            t1 = perf()
            near += point_near_wards(x, y)
            t2 = perf()
            select1_ms.append((t1 - t0) * 1000)
            rule_ms.append((t2 - t1) * 1000)
    batch_lon, batch_lat = random_points(N_BATCH)
    t0 = perf()
    batch_near = int(points_near_wards(batch_lon, batch_lat).sum())
    batch_s = perf() - t0

    pct = bench_db.percentile
    print()
    print("=" * 100)
    print(
        f"distance rule ({max_distance_km():g} km) at the database, one point per call: "
        f"p50 {pct(rule_ms, 50):.2f} ms, p99 {pct(rule_ms, 99):.2f} ms, "
        f"max {max(rule_ms):.2f} ms ({near:,} of {N_POINTS:,} near) "
        f"| baseline SELECT 1: p50 {pct(select1_ms, 50):.2f} ms, p99 {pct(select1_ms, 99):.2f} ms"
    )
    print(
        f"distance rule, {N_BATCH:,} points in one call (the importer's way): "
        f"{batch_s * 1e6 / N_BATCH:.1f} µs per point ({batch_near:,} near)"
    )
    print("=" * 100)


if __name__ == "__main__":
    main()
