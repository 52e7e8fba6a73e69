"""What urgent-first costs (issue 11 §2), each figure beside a same-run baseline:

- the staff queue's page query (50 rows) ordered urgent-first (gis_core.priority.QUEUE_ORDER,
  served by report_queue_order_idx) beside the same query in the old newest-first order, for
  the operator (whole city) and a ward officer (one ward, status + category filters, as
  bench_lifecycle's page);
- one report insert with the priority and notify triggers beside the same insert with the two
  triggers switched off (in a rolled-back transaction), for a normal and an urgent category.

BENCH_PRIORITY_N reports (default 200,000) are loaded once into the benchmark database
(bench_db; BENCH_DATABASE_URL to use another), 0.5 % of them urgent.
"""

from __future__ import annotations

import os
import time

import bench_db  # sets up Django on the benchmark database

bench_db.setup()

import numpy as np  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from etl.demo import generate_demo_reports  # noqa: E402
from gis_core.bulk_import import reports_bulk_insert  # noqa: E402
from gis_core.models import Category, Report  # noqa: E402
from gis_core.priority import QUEUE_ORDER, queue_order  # noqa: E402
from ward_boundaries.models import Ward  # noqa: E402

N = int(os.environ.get("BENCH_PRIORITY_N", "200000"))
DATA = bench_db.ROOT / "data" / "mong_cai"
OLD_ORDER = ("-reported_at", "-id")
TRIGGERS = ("report_default_priority_ins", "report_urgent_notify_ins")


def ensure_reports() -> None:
    if Report.objects.count() < N:
        print(f"loading {N:,} reports (once) ...", flush=True)
        frame = generate_demo_reports(DATA / "mong_cai_wards_2024_clean.geojson", count=N, seed=11)
        codes = dict(Category.objects.values_list("code", "id"))
        frame["category_id"] = frame["category"].map(codes)
        frame["idempotency_key"] = [f"prio:{i}" for i in range(N)]
        reports_bulk_insert(frame, source="demo")
    if Report.objects.filter(priority="urgent").count() >= N // 400:
        return
    with connection.cursor() as cursor:
        # Raw because it is a one-off set-based fill for the benchmark.
        cursor.execute(
            "UPDATE gis_core_report SET priority = 'urgent' WHERE id % 200 = 0 AND priority <> "
            "'urgent'"
        )
        cursor.execute("VACUUM ANALYZE gis_core_report")


def timed_ms(fn, runs: int) -> np.ndarray:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return np.asarray(times)


def page_query(qs, order) -> tuple[str, list]:
    sql, params = qs.order_by(*order)[:50].query.sql_with_params()
    return sql, list(params)


def explain(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(r[0].strip() for r in cursor.fetchall()[:3])


def compare_pages() -> None:
    ward = (
        Ward.objects.filter(version__name="mong-cai-2025", code="06712").first()
        or Ward.objects.first()
    )
    cases = {
        "operator (whole city)": (Report.objects.all(), QUEUE_ORDER),
        "operator, status received": (Report.objects.filter(status="received"), QUEUE_ORDER),
        # A closed status has no urgent open report: queue_order() leaves the key out.
        "ward officer (one ward, status resolved + category)": (
            Report.objects.filter(ward=ward, status="resolved", category__code="moi_truong"),
            queue_order("resolved"),
        ),
        "ward officer (one ward, status received + category)": (
            Report.objects.filter(ward=ward, status="received", category__code="moi_truong"),
            queue_order("received"),
        ),
    }
    for name, (qs, new_order) in cases.items():
        figures = {}
        for label, order in (("newest first (before)", OLD_ORDER), ("urgent first", new_order)):
            sql, params = page_query(qs, order)
            with connection.cursor() as cursor:
                runs = timed_ms(
                    lambda c=cursor, s=sql, p=params: (c.execute(s, p), c.fetchall()), 100
                )
            plan = explain(sql, params)
            figures[label] = (np.percentile(runs, 50), np.percentile(runs, 99), plan)
        for label, (p50, p99, plan) in figures.items():
            print(f"{name}, {label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms | plan: {plan[:160]}")


def insert_one(category: Category, x: float, y: float) -> None:
    Report.objects.create(category=category, description="bench", location=Point(x, y, srid=4326))


def compare_inserts() -> None:
    point = Report.objects.values_list("location", flat=True).first()
    for code in ("moi_truong", "an_ninh_trat_tu"):
        category = Category.objects.get(code=code)
        figures = {}
        for label, off in (("triggers off (before)", True), ("with the triggers", False)):
            with transaction.atomic():
                if off:
                    with connection.cursor() as cursor:
                        for name in TRIGGERS:
                            cursor.execute(f"ALTER TABLE gis_core_report DISABLE TRIGGER {name}")
                runs = timed_ms(lambda c=category: insert_one(c, point.x, point.y), 300)
                transaction.set_rollback(True)
            figures[label] = runs
        summary = ", ".join(
            f"{label} p50 {np.percentile(r, 50):.3f} ms, p99 {np.percentile(r, 99):.3f} ms"
            for label, r in figures.items()
        )
        print(f"one insert, {code}: {summary}")


def main() -> None:
    ensure_reports()
    urgent = Report.objects.filter(urgent_open=True).count()
    print(f"reports: {Report.objects.count():,}; urgent and open: {urgent:,}")
    compare_pages()
    compare_inserts()


if __name__ == "__main__":
    main()
