"""The whole country's boundaries (issue 15): ward lookup and bulk assignment against the
synthetic national partition (etl.national_partition: 3,321 communes in 34 provinces, here
with the Móng Cái hole so the demo's wards stay in force beside it), each beside the same
against Móng Cái's own polygons, in the same run and the same database.

- lookup at the database: `ht_ward_for_point(...)` p50/p99 over 10,000 random points of the
  country (every version in force today: the 3,315 national units and Móng Cái's 6), beside
  10,000 random points over Móng Cái (same database, same versions), and `SELECT 1`;
- bulk in-process assignment (ward_boundaries.bulk) of 1M random points of the country
  against the national version, beside 1M points over Móng Cái against its 2025 version;
- the emerging-hotspot alert's analysis (refresh_hotspot_alert: Gi* over every hex of the
  wards in force, 30 days, 300 m) today, over the national partition and Móng Cái's wards
  (4.4M hexes), beside the same analysis on 2025-06-30, when only Móng Cái's 2024 wards
  were in force (7,700 hexes); cold (the study area's hexes computed) and warm (read from
  the cache, as every request but the first of the hour). A few hundred reports in each
  window, inserted once (see alert_reports).

Its own database, `<bench db>_national` (migrated, the Móng Cái versions, then the national
partition imported by the importer's own service once): the shared benchmark database is
never touched. Timings are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

NATIONAL_URL = bench_db.bench_database_url() + "_national"
os.environ["BENCH_DATABASE_URL"] = os.environ.get("BENCH_NATIONAL_DATABASE_URL", NATIONAL_URL)
# Its own cache directory (removed at exit): the cold runs clear it.
_CACHE_DIR = tempfile.TemporaryDirectory(prefix="bench-national-cache-")
os.environ.setdefault("HT_CACHE_DIR", _CACHE_DIR.name)
bench_db.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from bench_lookup import time_lookups  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.utils import timezone  # noqa: E402

from etl.national_partition import outline_polygon  # noqa: E402
from gis_core.models import Category, Report  # noqa: E402
from layers.hotspots import ALERT_DAYS, find_hotspots  # noqa: E402
from ward_boundaries.bulk import BulkWardAssigner  # noqa: E402
from ward_boundaries.models import BoundaryVersion  # noqa: E402

SEED = 20250701
N_LOOKUPS = 10_000
N_BULK = 1_000_000
MONG_CAI_BOX = ((107.75, 108.15), (21.40, 21.62))  # as bench_lookup.py
# The alert baseline's day: the last one before the national version (and Móng Cái 2025).
MONG_CAI_ONLY_DAY = dt.date(2025, 6, 30)
ALERT_MARK = "bench_national: hotspot alert"
HANOI = (105.84, 21.03)
MONG_CAI = (107.97, 21.53)


def national_version() -> BoundaryVersion:
    """The national partition, imported once into this database (bench_db's one way)."""
    return bench_db.ensure_national_version()


def country_points(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n uniform random points inside the outline of the country."""
    outline = outline_polygon()
    shapely.prepare(outline)
    minx, miny, maxx, maxy = outline.bounds
    lon, lat = [], []
    total = 0
    while total < n:
        x = rng.uniform(minx, maxx, 2 * n)
        y = rng.uniform(miny, maxy, 2 * n)
        keep = shapely.contains_xy(outline, x, y)
        lon.append(x[keep])
        lat.append(y[keep])
        total += int(keep.sum())
    return np.concatenate(lon)[:n], np.concatenate(lat)[:n]


def box_points(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    (x0, x1), (y0, y1) = MONG_CAI_BOX
    return rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)


def lookups(lon: np.ndarray, lat: np.ndarray) -> dict:
    """Per-point lookup time at the database beside SELECT 1 (bench_lookup's own loop)."""
    return time_lookups(lon.tolist(), lat.tolist(), timezone.localdate())


def bulk(version: BoundaryVersion, lon: np.ndarray, lat: np.ndarray) -> dict:
    start = time.perf_counter()
    assigner = BulkWardAssigner.from_database(version=version)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    ward_id = assigner.assign_inside(lon, lat, None)
    seconds = time.perf_counter() - start
    return {
        "polygons": len(assigner.shapes),
        "vertices": int(sum(shapely.get_num_coordinates(s.geom) for s in assigner.shapes)),
        "load_s": load_s,
        "seconds": seconds,
        "rate": len(lon) / seconds,
        "inside": int((ward_id >= 0).sum()),
    }


def alert_reports(today: dt.date) -> int:
    """In the alert's window ending today: 150 reports within ~250 m of central Móng Cái and
    150 of central Hà Nội, and 200 scattered over the country; in the window ending on
    MONG_CAI_ONLY_DAY the same over Móng Cái alone (its cluster, 200 scattered over its box).
    Inserted once."""
    if Report.objects.filter(description=ALERT_MARK).exists():
        return Report.objects.filter(description=ALERT_MARK).count()
    category = Category.objects.order_by("pk").first()
    rng = np.random.default_rng(SEED + 2)
    rows = []
    for day, scattered, clusters in (
        (today, country_points(rng, 200), (HANOI, MONG_CAI)),
        (MONG_CAI_ONLY_DAY, box_points(rng, 200), (MONG_CAI,)),
    ):
        end = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        points = list(zip(scattered[0].tolist(), scattered[1].tolist(), strict=True))
        for x, y in clusters:
            points += [(x + dx, y + dy) for dx, dy in rng.normal(0, 0.0015, (150, 2))]
        for x, y in points:
            at = end - dt.timedelta(seconds=float(rng.uniform(0, (ALERT_DAYS - 1) * 86400)))
            rows.append(
                Report(
                    category=category,
                    description=ALERT_MARK,
                    location=Point(x, y, srid=4326),
                    reported_at=at,
                )
            )
    Report.objects.bulk_create(rows)
    return len(rows)


def alert_analysis(day: dt.date, *, cold: bool) -> tuple[float, dict, int]:
    """Seconds of the alert's analysis (refresh_hotspot_alert's call) ending on `day`."""
    if cold:
        cache.clear()
    start = time.perf_counter()
    result = find_hotspots(category=None, since=day - dt.timedelta(days=ALERT_DAYS - 1), until=day)
    return time.perf_counter() - start, result.parameters, len(result.clusters)


def alert(today: dt.date) -> None:
    reports = alert_reports(today)
    figures = {}
    for label, day in (("national", today), ("Móng Cái", MONG_CAI_ONLY_DAY)):
        cold = [alert_analysis(day, cold=True)[0] for _ in range(2)]
        warm, params, clusters = zip(
            *(alert_analysis(day, cold=False) for _ in range(5)), strict=True
        )
        figures[label] = (statistics.median(cold), statistics.median(warm), params[0], clusters[0])
    print(
        f"emerging-hotspot alert's analysis ({ALERT_DAYS} days, all categories, 300 m; "
        f"{reports:,} reports in the two windows)"
    )
    for label, (cold_s, warm_s, params, clusters) in figures.items():
        print(
            f"  {label:9} warm {warm_s * 1000:8.0f} ms  cold {cold_s * 1000:8.0f} ms  "
            f"({params['hexes_tested']:,} hexes, {params['permutations_used']:,} permutations, "
            f"{clusters} clusters)"
        )
    national, city = figures["national"], figures["Móng Cái"]
    print(f"  national / Móng Cái warm: {national[1] / city[1]:.2f}x")
    bench_db.figure("hotspot alert analysis, national partition (warm)", national[1] * 1000, "ms")
    bench_db.figure("hotspot alert analysis, Móng Cái wards (warm)", city[1] * 1000, "ms")
    bench_db.figure("hotspot alert analysis, national partition (cold)", national[0] * 1000, "ms")


def main() -> None:
    print(f"benchmark database: {bench_db.bench_database_url()}", flush=True)
    national = national_version()
    mong_cai = BoundaryVersion.objects.get(name="mong-cai-2025")
    rng = np.random.default_rng(SEED)

    country = lookups(*country_points(rng, N_LOOKUPS))
    city = lookups(*box_points(rng, N_LOOKUPS))
    in_force = BoundaryVersion.objects.valid_on(timezone.localdate())
    n_wards = sum(v.wards.count() for v in in_force)
    print()
    print("=" * 100)
    print(
        f"ward lookup at the database, {N_LOOKUPS:,} random points each, {n_wards:,} wards in force"
    )
    for label, r in (("national", country), ("Móng Cái", city)):
        print(
            f"  {label:9} p50 {r['p50']:.3f} ms  p99 {r['p99']:.3f} ms  "
            f"| SELECT 1 p50 {r['base_p50']:.3f} ms p99 {r['base_p99']:.3f} ms  {r['matches']}"
        )
    print(f"  national / Móng Cái p99: {country['p99'] / city['p99']:.2f}x")

    rng = np.random.default_rng(SEED + 1)
    b_country = bulk(national, *country_points(rng, N_BULK))
    b_city = bulk(mong_cai, *box_points(rng, N_BULK))
    print(f"bulk in-process assignment (ward_boundaries.bulk), {N_BULK:,} points each")
    for label, r in (("national", b_country), ("Móng Cái", b_city)):
        print(
            f"  {label:9} {r['rate']:>12,.0f} points/s ({r['seconds']:.2f} s; "
            f"{r['polygons']:,} polygons, {r['vertices']:,} vertices, loaded in "
            f"{r['load_s']:.1f} s; {r['inside']:,} inside)"
        )
    print(f"  national / Móng Cái rate: {b_country['rate'] / b_city['rate']:.2f}x")
    alert(timezone.localdate())
    print("=" * 100)


if __name__ == "__main__":
    main()
