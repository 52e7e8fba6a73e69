"""Whole-city heatmap with 1M reports (issue 4): payload size and server time p95, beside the
time of a plain COUNT(*) over the same rows (the floor of any aggregate over them)."""

from __future__ import annotations

import os
import time

import bench_db  # sets up Django on the benchmark database

os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
bench_db.setup()

import numpy as np  # noqa: E402
from bench_lifecycle import ensure_reports  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from layers.report_cells import compact_report_cells  # noqa: E402


def main() -> None:
    ensure_reports()
    compact_report_cells()  # what the hourly cron job does (it also VACUUMs)
    client = Client()
    url = "/api/v1/reports/heat/?zoom=12"
    first = client.get(url)
    size = len(first.content)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with connection.cursor() as cursor:
        counts = []
        for _ in range(20):
            start = time.perf_counter()
            cursor.execute("SELECT count(*) FROM gis_core_report")
            cursor.fetchone()
            counts.append((time.perf_counter() - start) * 1000)
    from gis_core.selectors import report_heat_raw

    raw = []
    for _ in range(5):
        start = time.perf_counter()
        report_heat_raw(zoom=12)
        raw.append((time.perf_counter() - start) * 1000)
    p95 = float(np.percentile(times, 95))
    size_ok = "PASS" if size < 200 * 1024 else "MISS"
    time_ok = "PASS" if p95 < 150 else "MISS"
    bench_db.figure("heat, whole map z12 p95", p95, "ms")
    bench_db.figure("heat, whole map z12 payload", size / 1024, "KB")
    print(
        f"whole-city heatmap, zoom 12, {len(first.json()['cells']):,} cells: {size / 1024:.0f} KB, "
        f"server p50 {np.percentile(times, 50):.0f} ms, p95 {p95:.0f} ms | baseline COUNT(*) "
        f"of the same rows: p95 {np.percentile(counts, 95):.0f} ms, summing the reports "
        f"themselves (no cells) p50 {np.percentile(raw, 50):.0f} ms | targets < 200 KB: "
        f"{size_ok}, p95 < 150 ms: {time_ok}"
    )

    city_figures(client)


def city_figures(client: Client) -> None:
    """The city's own view (Móng Cái's extent): the same at 1M, where it is the whole map, and
    at 10M, where the rest of the country's reports lie outside it (bench_scale.py)."""
    from django.contrib.gis.db.models import Extent

    from ward_boundaries.models import Ward

    box = Ward.objects.filter(version__name__startswith="mong-cai").aggregate(e=Extent("geom"))
    bbox = ",".join(f"{v:.5f}" for v in box["e"])
    for kind in ("heat", "grid"):
        url = f"/api/v1/reports/{kind}/?zoom=12&bbox={bbox}"
        first = client.get(url)
        assert first.status_code == 200, first.content[:200]
        times = []
        for _ in range(20):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        p95 = float(np.percentile(times, 95))
        bench_db.figure(f"{kind}, Móng Cái z12 p95", p95, "ms")
        print(
            f"{kind}, Móng Cái's extent, zoom 12: {len(first.content) / 1024:.0f} KB, server p50 "
            f"{np.percentile(times, 50):.0f} ms, p95 {p95:.0f} ms"
        )


if __name__ == "__main__":
    main()
