"""Report submission over HTTP (POST /api/v1/reports/) against a bare durable INSERT.

    .venv/bin/python benchmarks/bench_submit.py [--duration 15] [--worker-class sync --threads 1]

One gunicorn (2 workers, settings benchmarks.bench_settings) on 127.0.0.1 serves both:
  - the real endpoint: JSON {category, description, lon, lat, idempotency_key}, every key unique,
    every point inside a ward of the versions valid today (drawn beforehand from
    lon 107.75-108.15, lat 21.40-21.62 and kept if ht_ward_for_point says 'inside');
  - the baseline: /bench/bare-insert/ (benchmarks/bare_insert_app.py), the same requests, one
    autocommit psycopg2 INSERT of the point into bench_bare_insert, no ORM, no trigger.
wrk -t2 -c32 -d15s each (benchmarks/wrk/submit.lua, bare.lua), bare first, after a 2 s warm-up
of each. Targets: real rate >= 0.6x the bare rate, real p99 < 50 ms. Afterwards the database
is checked: reports stored by the measured run vs wrk's 2xx count, and how many got a ward.

Workers: 2 sync, as in bench_lookup.py (same reasoning; measured here too: gthread with one
thread gave the same rates within noise and a longer p99 tail). --worker-class/--threads to compare.
The bench database is shared with the other benchmarks: do not run them at the same time
(bench_bulk_import.py TRUNCATEs gis_core_report, which blocks both sync workers on its lock).

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

from benchmarks.gunicorn_runner import add_load_arguments, gunicorn_server, run_wrk

SETTINGS = "benchmarks.bench_settings"
SEED = 20250701
LON_RANGE = (107.75, 108.15)
LAT_RANGE = (21.40, 21.62)
N_POINTS = 5_000
RATIO_TARGET = 0.6
P99_TARGET_MS = 50.0
WRK_DIR = bench_db.ROOT / "benchmarks" / "wrk"
KEY_PREFIX = "wrk-"  # every idempotency key submit.lua makes starts with this


def prepare_database() -> None:
    """The baseline table (empty) and no reports left from earlier runs of this benchmark."""
    from django.db import connection

    from benchmarks.bare_insert_app import TABLE_DDL
    from gis_core.models import Report

    with connection.cursor() as cursor:
        cursor.execute(TABLE_DDL)
        cursor.execute("TRUNCATE bench_bare_insert RESTART IDENTITY")
    Report.objects.filter(idempotency_key__startswith=KEY_PREFIX).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE gis_core_report")


def write_points(path: Path) -> int:
    """N_POINTS seeded random points inside a ward valid today, one 'lon lat' a line."""
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    rng = np.random.default_rng(SEED)
    lons = rng.uniform(*LON_RANGE, N_POINTS * 4).round(6).tolist()
    lats = rng.uniform(*LAT_RANGE, N_POINTS * 4).round(6).tolist()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.x, p.y
            FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(x, y, n)
            CROSS JOIN LATERAL ht_ward_for_point(
                ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), %s::date, NULL) r
            WHERE r.match = 'inside'
            ORDER BY p.n
            LIMIT %s
            """,
            [lons, lats, timezone.localdate(), N_POINTS],
        )
        rows = cursor.fetchall()
    path.write_text("".join(f"{x:.6f} {y:.6f}\n" for x, y in rows))
    return len(rows)


def _scalar(sql: str, params=()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def settle(sql: str, params=(), *, timeout_s: float = 15.0) -> int:
    """The count once it stops changing: requests wrk left in flight still finish server-side."""
    last, stable_since = _scalar(sql, params), time.monotonic()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = _scalar(sql, params)
        if now != last:
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= 1.0:
            break
    return last


def describe(name: str, w) -> str:
    errors = sum(w.socket_errors.values())
    return (
        f"  {name}: {w.requests:,} responses in {w.duration_s:.1f} s, "
        f"2xx {w.status.get('2xx', 0):,} "
        f"(201 {w.status.get('201', 0):,}), other statuses {w.status.get('other', 0):,}, "
        f"requests sent {w.status.get('sent', 0):,}; socket errors {errors} {w.socket_errors}; "
        f"{w.requests_per_s:,.0f} req/s, p50 {w.p50_ms:.2f} ms, p99 {w.p99_ms:.2f} ms"
    )


def run(url: str, points_file: Path, args: argparse.Namespace) -> None:
    """Serves both endpoints from one gunicorn, loads each with wrk, checks the database."""
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    tag = uuid.uuid4().hex[:8]  # this run's keys: wrk-<tag><phase>-<thread>-<counter>-<random>
    with gunicorn_server(
        env=env, workers=2, worker_class=args.worker_class, threads=args.threads
    ) as server:
        print(f"{server.description}, {SETTINGS}, on {server.url}", flush=True)
        for script in ("bare.lua", "submit.lua"):  # warm-up: connections, caches, plans
            run_wrk(
                server.url,
                WRK_DIR / script,
                duration_s=2,
                connections=args.connections,
                script_args=[str(points_file), str(SEED + 1), f"{tag}w"],
            )
        settle(
            "SELECT count(*) FROM gis_core_report WHERE idempotency_key LIKE %s",
            [f"{KEY_PREFIX}{tag}w-%"],
        )

        # Baseline: rows are counted by id above the maximum before the run.
        before_id = _scalar("SELECT coalesce(max(id), 0) FROM bench_bare_insert")
        print(f"bare insert, wrk -t2 -c{args.connections} -d{args.duration}s ...", flush=True)
        bare = run_wrk(
            server.url,
            WRK_DIR / "bare.lua",
            duration_s=args.duration,
            connections=args.connections,
            script_args=[str(points_file), str(SEED), f"{tag}b"],
        )
        bare_rows = settle("SELECT count(*) FROM bench_bare_insert WHERE id > %s", [before_id])
        print(describe("bare insert", bare), flush=True)

        print(
            f"POST /api/v1/reports/, wrk -t2 -c{args.connections} -d{args.duration}s ...",
            flush=True,
        )
        real = run_wrk(
            server.url,
            WRK_DIR / "submit.lua",
            duration_s=args.duration,
            connections=args.connections,
            script_args=[str(points_file), str(SEED), f"{tag}r"],
        )
        key_like = [f"{KEY_PREFIX}{tag}r-%"]
        stored = settle(
            "SELECT count(*) FROM gis_core_report WHERE idempotency_key LIKE %s", key_like
        )
        print(describe("reports API", real), flush=True)
        for w in (bare, real):
            if w.status.get("other", 0) or sum(w.socket_errors.values()):
                print(w.output)
                print(server.log_tail(20))

    this_run = "FROM gis_core_report WHERE idempotency_key LIKE %s"
    inside = _scalar(f"SELECT count(*) {this_run} AND ward_match = 'inside'", key_like)
    with_ward = _scalar(f"SELECT count(*) {this_run} AND ward_id IS NOT NULL", key_like)

    def reconcile(rows: int, w) -> str:
        ok, sent = w.status.get("2xx", 0), w.status.get("sent", 0)
        unanswered = sent - w.requests  # in flight when wrk stopped: no response, maybe stored
        if rows == ok:
            return f"{rows:,} = wrk 2xx {ok:,}: EQUAL"
        extra = rows - ok
        if 0 < extra <= unanswered:
            return (
                f"{rows:,} = wrk 2xx {ok:,} + {extra} of the {unanswered} requests still in flight "
                f"when wrk stopped (stored, response never read): CONSISTENT"
            )
        return f"{rows:,} vs wrk 2xx {ok:,} (in flight at stop {unanswered}): MISMATCH"

    ratio = real.requests_per_s / bare.requests_per_s if bare.requests_per_s else float("nan")
    print()
    print("=" * 100)
    print(
        f"bare durable INSERT ({server.description}): {bare.requests_per_s:,.0f} req/s, "
        f"p50 {bare.p50_ms:.2f} ms, p99 {bare.p99_ms:.2f} ms"
    )
    print(
        f"report submission POST /api/v1/reports/: {real.requests_per_s:,.0f} req/s, "
        f"p50 {real.p50_ms:.2f} ms, p99 {real.p99_ms:.2f} ms"
    )
    print(
        f"rate ratio {ratio:.2f}x of bare insert | target >= {RATIO_TARGET}x: "
        f"{'PASS' if ratio >= RATIO_TARGET else 'MISS'} "
        f"| p99 target < {P99_TARGET_MS:g} ms: {'PASS' if real.p99_ms < P99_TARGET_MS else 'MISS'}"
    )
    print(f"reports stored by the measured run: {reconcile(stored, real)}")
    bench_db.figure("submission req/s", real.requests_per_s, "req/s")
    bench_db.figure("submission p99", real.p99_ms, "ms")
    bench_db.figure("submission / bare insert", ratio, "x")
    print(
        f"  with ward_match='inside': {inside:,} of {stored:,}; with a ward: {with_ward:,} "
        f"({'all' if inside == stored else 'NOT all'} inside)"
    )
    print(f"bare rows stored by the measured run: {reconcile(bare_rows, bare)}")
    print("=" * 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_arguments(parser)
    args = parser.parse_args()

    url = bench_db.setup(SETTINGS)
    print(f"benchmark database: {url}", flush=True)
    prepare_database()
    with tempfile.TemporaryDirectory(prefix="ht-bench-submit-") as workdir:
        points_file = Path(workdir) / "points.txt"
        n_points = write_points(points_file)
        print(f"{n_points:,} random points inside today's wards", flush=True)
        run(url, points_file, args)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    main()
