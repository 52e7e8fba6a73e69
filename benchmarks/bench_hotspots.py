"""Hotspot analysis with 1M reports (issue 4): one category over a year, target < 5 s, beside
same-run baselines: a plain COUNT(*) of the rows it reads, and the hex-count query alone in its
two forms (axial arithmetic, the one layers.hotspots uses, and ST_HexagonGrid per point).

Issue 10: the worst analysis the API allows (all categories, MAX_PERIOD_DAYS, the smallest
allowed hex) with its CPU seconds (this process, and the database's share) and peak memory,
beside the COUNT(*) of the rows it reads; staff or the precompute command start it, anonymous
callers are served stored answers (timed too).

Issue 15: the same year of one province (?province=: its wards are the study area) beside the
country-wide analysis, and every province from one pass of counts (`--province`: only these;
on a national set, BENCH_SCALE_SET=1)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
import tracemalloc

import bench_db  # sets up Django on the benchmark database

os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
bench_db.setup()

from bench_lifecycle import busiest_province, ensure_reports  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from common.local_time import local_midnight  # noqa: E402
from layers.hotspots import (  # noqa: E402
    ALLOWED_HEX_SIZES_M,
    DEFAULT_HEX_SIZE_M,
    MAX_PERIOD_DAYS,
    METRIC_SRID,
    find_hotspots,
    hex_counts,
    hex_counts_by_province,
    hex_radius,
    previous_period,
)

CATEGORY = "moi_truong"  # the most frequent category: the heaviest year to analyse

# Raw: the alternative the axial arithmetic is measured against, the hex of each point from
# ST_HexagonGrid over the point itself (a grid joined to 200k points by ST_Intersects would be
# a nested loop without an index). ST_Intersects drops the second hex of a point on an edge.
HEXAGON_GRID_SQL = """
SELECT h.i, h.j, count(*)
FROM (
    SELECT ST_Transform(location, %(srid)s) AS g FROM gis_core_report
    WHERE category_id = (SELECT id FROM gis_core_category WHERE code = %(category)s)
      AND reported_at >= %(start)s AND reported_at < %(end)s AND status <> 'rejected'
) p
CROSS JOIN LATERAL ST_HexagonGrid(%(radius)s, p.g) h
WHERE ST_Intersects(h.geom, p.g)
GROUP BY 1, 2
"""

COUNT_SQL = """
SELECT count(*) FROM gis_core_report
WHERE category_id = (SELECT id FROM gis_core_category WHERE code = %(category)s)
  AND reported_at >= %(start)s AND reported_at < %(end)s AND status <> 'rejected'
"""
COUNT_ALL_SQL = """
SELECT count(*) FROM gis_core_report
WHERE reported_at >= %(start)s AND reported_at < %(end)s AND status <> 'rejected'
"""


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return times, out


def sql(query: str, params: dict):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def province_figures(until: dt.date, runs: int = 3) -> None:
    """Issue 15: the year's analysis of CATEGORY for one province (?province=, the busiest: its
    wards are the study area), cold, beside the country-wide analysis in the same run, and
    every province in force from one pass of counts (what precompute_hotspots does for each
    hex size and category)."""
    since = until - dt.timedelta(days=364)
    previous_since, _ = previous_period(since, until)
    code, in_province, provinces = busiest_province(since, until)
    period = {"category": CATEGORY, "since": since, "until": until}

    def cold(**kw):
        cache.clear()  # the study area's hexes are found again
        return find_hotspots(**period, **kw)

    def every(clear: bool = True):
        if clear:
            cache.clear()
        counts = hex_counts_by_province(
            previous_since=previous_since, hex_size_m=DEFAULT_HEX_SIZE_M, **period
        )
        return [find_hotspots(**period, province=c, counts=n) for c, n in counts.items()]

    country, one, all_of_them = [], [], []
    for _ in range(runs):  # back to back in each round, so both see the same machine
        t, national = timed(cold, 1)
        country += t
        t, result = timed(lambda: cold(province=code), 1)
        one += t
        t, results = timed(every, 1)
        all_of_them += t
    # Warm: the provinces' study areas in the cache, as for every precompute run of the hour.
    warm, _ = timed(lambda: every(clear=False), runs)
    bench_db.figure("hotspots analysis, one province (cold, median)", statistics.median(one), "s")
    bench_db.figure(
        "hotspots analysis, every province (cold, one pass of counts)",
        statistics.median(all_of_them),
        "s",
    )
    print(
        f"hotspots per province, {CATEGORY}, {since}..{until}, {DEFAULT_HEX_SIZE_M:g} m, cold: "
        f"province {code} ({in_province:,} reports of the year): median "
        f"{statistics.median(one):.2f} s, {result.parameters['hexes_tested']:,} hexes, "
        f"{len(result.clusters)} clusters | every one of {len(results)} provinces with reports "
        f"(one pass of counts): median {statistics.median(all_of_them):.2f} s, "
        f"{sum(r.parameters['hexes_tested'] for r in results):,} hexes, "
        f"{sum(len(r.clusters) for r in results)} clusters; warm (study areas cached) median "
        f"{statistics.median(warm):.2f} s | baseline country-wide, same run: "
        f"median {statistics.median(country):.2f} s, {national.parameters['hexes_tested']:,} "
        f"hexes, {len(national.clusters)} clusters ({provinces} provinces with reports)"
    )


def main() -> None:
    ensure_reports()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(reported_at) FROM gis_core_report")
        until = timezone.localtime(cursor.fetchone()[0]).date()
    if "--province" in sys.argv:  # only the per-province figures (bench_hotspots.py --province)
        province_figures(until)
        return
    since = until - dt.timedelta(days=364)
    previous_since, _ = previous_period(since, until)
    year = {
        "category": CATEGORY,
        "start": local_midnight(since),
        "end": local_midnight(until + dt.timedelta(days=1)),
    }
    both = {**year, "start": local_midnight(previous_since)}

    count_year, rows = timed(lambda: sql(COUNT_SQL, year)[0][0], 5)
    count_both, rows_both = timed(lambda: sql(COUNT_SQL, both)[0][0], 5)
    axial, counts = timed(
        lambda: hex_counts(
            category=CATEGORY,
            previous_since=previous_since,
            since=since,
            until=until,
            hex_size_m=DEFAULT_HEX_SIZE_M,
        ),
        3,
    )
    grid, grid_rows = timed(
        lambda: sql(
            HEXAGON_GRID_SQL,
            {**both, "radius": hex_radius(DEFAULT_HEX_SIZE_M), "srid": METRIC_SRID},
        ),
        3,
    )
    # The same hexes: ST_HexagonGrid's (i, j) are offset columns of the axial (q, r).
    same = {(i, j - i // 2): n for i, j, n in grid_rows} == {
        k: a + b for k, (a, b) in counts.items()
    }

    def analyse():
        cache.clear()  # cold: the study-area hexes are recomputed too
        return find_hotspots(category=CATEGORY, since=since, until=until)

    runs, result = timed(analyse, 3)
    staff = Client()
    staff.force_login(User.objects.get_or_create(username="bench-hotspots", is_staff=True)[0])
    anonymous = Client()
    url = f"/api/v1/hotspots/?category={CATEGORY}&since={since}&until={until}"
    cache.clear()
    api_cold, _ = timed(lambda: staff.get(url), 1)
    api_warm, _ = timed(lambda: staff.get(url), 5)
    api_stored, answers = timed(lambda: anonymous.get(url), 5)
    assert answers.status_code == 200, answers.content[:200]
    worst = worst_allowed(until)
    province_figures(until)

    def ms(values) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    slowest = max(runs)
    bench_db.figure("hotspots analysis (cold, median)", statistics.median(runs), "s")
    bench_db.figure("hotspots API cached", statistics.median(api_warm) * 1000, "ms")
    print(
        f"hotspots, {CATEGORY}, {since}..{until}: {rows:,} reports this year, {rows_both:,} read "
        f"with the previous year; {result.parameters['hexes_tested']:,} hexes of "
        f"{DEFAULT_HEX_SIZE_M:g} m, {result.parameters['permutations_used']:,} permutations; "
        f"{len(result.clusters)} clusters ({len(result.emerging)} emerging)"
    )
    print(
        f"  analysis (cold, both periods): median {ms(runs)}, worst {slowest:.2f} s | API cold "
        f"(staff) {ms(api_cold)}, cached {ms(api_warm)}, anonymous (stored answer) "
        f"{ms(api_stored)} | target < 5 s: {'PASS' if slowest < 5 else 'MISS'}"
    )
    print(
        f"  baseline COUNT(*) of the year's rows {ms(count_year)}, of both years {ms(count_both)}"
        f" | hex counts, axial arithmetic {ms(axial)} vs ST_HexagonGrid per point {ms(grid)}"
        f" (same counts: {same})"
    )
    print(
        f"  worst allowed analysis (all categories, {MAX_PERIOD_DAYS} days, "
        f"{worst['hex']:g} m, cold; staff or precompute only): {worst['hexes']:,} hexes, "
        f"{worst['permutations']:,} permutations; CPU {worst['cpu']:.2f} s in this process + "
        f"{worst['db']:.2f} s waiting for the database (wall {worst['wall']:.2f} s), peak "
        f"{worst['peak_mib']:.0f} MiB traced | baseline COUNT(*) of its {worst['rows']:,} rows "
        f"{worst['count_ms']:.0f} ms | issue 10 before the bounds: hex_size=100 took 65 s CPU, "
        f"1.1 GB"
    )


def worst_allowed(until: dt.date) -> dict:
    """The most expensive parameters the API accepts, cold: CPU (process_time) and wall from
    one run, peak memory (tracemalloc, which slows the run) from another."""
    since = until - dt.timedelta(days=MAX_PERIOD_DAYS - 1)
    previous_since, _ = previous_period(since, until)
    size = min(ALLOWED_HEX_SIZES_M)

    def run():
        cache.clear()
        return find_hotspots(category=None, since=since, until=until, hex_size_m=size)

    run()  # imports and plans: not part of an analysis
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = run()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    both = {
        "start": local_midnight(previous_since),
        "end": local_midnight(until + dt.timedelta(days=1)),
    }
    count_times, rows = timed(lambda: sql(COUNT_ALL_SQL, both)[0][0], 3)
    return {
        "hex": size,
        "hexes": result.parameters["hexes_tested"],
        "permutations": result.parameters["permutations_used"],
        "cpu": cpu,
        "db": max(0.0, wall - cpu),
        "wall": wall,
        "peak_mib": peak / 2**20,
        "rows": rows,
        "count_ms": statistics.median(count_times) * 1000,
    }


if __name__ == "__main__":
    main()
