"""Ward lookup latency: at the database (ht_ward_for_point) and over HTTP (/api/v1/wards/lookup/).

    .venv/bin/python benchmarks/bench_lookup.py [--duration 15] [--worker-class sync --threads 1]

a) One psycopg2 connection, 10,000 random points (seeded, uniform in lon 107.75-108.15,
   lat 21.40-21.62), each `ht_ward_for_point(...)` timed with perf_counter around execute +
   fetch; baseline: 10,000 `SELECT 1` round trips on the same connection, interleaved with the
   lookups so both see the same machine state. Target: p99 < 1 ms.
b) gunicorn (2 workers) serving config.wsgi on 127.0.0.1, wrk -t2 -c32 -d15s with a random
   point per request (benchmarks/wrk/lookup.lua). Points outside every ward get a 404, which is
   the API's answer for them, so 404s are counted apart and are not errors. Target: p99 < 20 ms.

   Workers: 2 sync (the default here). Measured on this 2-core machine against gthread with
   1, 2, 4 and 8 threads per worker: throughput within noise of gthread/1 and better than
   gthread/2+ (threads of one process contend for the GIL: more CPU per request), and by far the
   tightest tail - a sync worker takes the next connection from the shared accept queue, while
   gthread pins each keep-alive connection to whichever worker accepted it, so one worker can
   queue 20 of the 32 connections. p99 is the target, so sync. --worker-class/--threads to compare.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

from benchmarks.gunicorn_runner import add_load_arguments, gunicorn_server, run_wrk

SEED = 20250701
N_POINTS = 10_000
N_WARMUP = 500
LON_RANGE = (107.75, 108.15)
LAT_RANGE = (21.40, 21.62)
DB_TARGET_P99_MS = 1.0
HTTP_TARGET_P99_MS = 20.0
LOOKUP_SQL = (
    "SELECT r.ward_id, r.match, r.distance_m "
    "FROM ht_ward_for_point(ST_SetSRID(ST_MakePoint(%s,%s),4326), %s, NULL) r"
)
LUA = bench_db.ROOT / "benchmarks" / "wrk" / "lookup.lua"


def _connect():
    """A plain psycopg2 connection to the bench database, with Django's session options."""
    import psycopg2

    conn = psycopg2.connect(**bench_db.connect_params())
    conn.autocommit = True  # no BEGIN/COMMIT round trips around the measured statements
    return conn


def time_lookups(lons: list[float], lats: list[float], today) -> dict:
    """Per-point lookup time at the database, with a SELECT 1 before each (the baseline);
    also used by bench_national.py on the national partition."""
    perf = time.perf_counter
    conn = _connect()
    try:
        with conn.cursor() as cursor:
            for i in range(N_WARMUP):  # plan caches of the plpgsql function, shared buffers
                cursor.execute(LOOKUP_SQL, (lons[i], lats[i], today))
                cursor.fetchall()
                cursor.execute("SELECT 1")
                cursor.fetchall()
            lookup_ms, select1_ms = [], []
            matches = {"inside": 0, "nearest": 0, "outside": 0}
            for lon, lat in zip(lons, lats, strict=True):
                t0 = perf()
                cursor.execute("SELECT 1")
                cursor.fetchall()
                t1 = perf()
                cursor.execute(LOOKUP_SQL, (lon, lat, today))
                rows = cursor.fetchall()
                t2 = perf()
                select1_ms.append((t1 - t0) * 1000)
                lookup_ms.append((t2 - t1) * 1000)
                matches[rows[0][1] if rows else "outside"] += 1
    finally:
        conn.close()
    pct = bench_db.percentile
    return {
        "p50": pct(lookup_ms, 50),
        "p99": pct(lookup_ms, 99),
        "max": max(lookup_ms),
        "base_p50": pct(select1_ms, 50),
        "base_p99": pct(select1_ms, 99),
        "matches": matches,
    }


def bench_database() -> dict:
    import numpy as np
    from django.utils import timezone

    rng = np.random.default_rng(SEED)
    lons = rng.uniform(*LON_RANGE, N_POINTS).tolist()
    lats = rng.uniform(*LAT_RANGE, N_POINTS).tolist()
    today = timezone.localdate()  # the boundary versions valid today, as the API picks them
    return {**time_lookups(lons, lats, today), "date": today}


def bench_http(
    url: str, *, duration_s: int, connections: int, worker_class: str, threads: int
) -> dict:
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    with gunicorn_server(env=env, workers=2, worker_class=worker_class, threads=threads) as server:
        print(f"  {server.description} on {server.url}", flush=True)
        # Warm-up: both workers open their database connection and fill their caches.
        run_wrk(server.url, LUA, duration_s=2, script_args=[str(SEED + 1)])
        result = run_wrk(
            server.url,
            LUA,
            duration_s=duration_s,
            connections=connections,
            script_args=[str(SEED)],
        )
    return {"wrk": result, "server": server.description}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_arguments(parser)
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()

    url = bench_db.setup()
    print(f"benchmark database: {url}", flush=True)

    db = None
    if not args.skip_db:
        print(
            f"a) {N_POINTS:,} lookups + {N_POINTS:,} SELECT 1 on one psycopg2 connection...",
            flush=True,
        )
        db = bench_database()
        m = db["matches"]
        print(
            f"  boundary versions valid on {db['date']}; points inside {m['inside']:,}, "
            f"nearest (within tolerance) {m['nearest']:,}, outside {m['outside']:,}; "
            f"slowest lookup {db['max']:.2f} ms"
        )

    http = None
    if not args.skip_http:
        print(
            f"b) HTTP, wrk -t2 -c{args.connections} -d{args.duration}s on 127.0.0.1...", flush=True
        )
        http = bench_http(
            url,
            duration_s=args.duration,
            connections=args.connections,
            worker_class=args.worker_class,
            threads=args.threads,
        )
        http["connections"] = args.connections
        w = http["wrk"]
        errors = sum(w.socket_errors.values())
        print(
            f"  {w.requests:,} requests in {w.duration_s:.1f} s: 200 {w.status.get('2xx', 0):,}, "
            f"404 (outside every ward, expected) {w.status.get('404', 0):,}, "
            f"other statuses {w.status.get('other', 0):,}; wrk non-2xx/3xx {w.non_2xx_3xx:,}; "
            f"socket errors {errors} {w.socket_errors}"
        )
        if w.status.get("other", 0) or errors:
            print(w.output)

    print()
    print("=" * 100)
    if db:
        verdict = "PASS" if db["p99"] < DB_TARGET_P99_MS else "MISS"
        bench_db.figure("ward lookup at the database p50", db["p50"], "ms")
        bench_db.figure("ward lookup at the database p99", db["p99"], "ms")
        print(
            f"ward lookup at the database: p50 {db['p50']:.2f} ms, p99 {db['p99']:.2f} ms   "
            f"| baseline SELECT 1: p50 {db['base_p50']:.2f} ms, p99 {db['base_p99']:.2f} ms "
            f"| target p99 < {DB_TARGET_P99_MS:g} ms: {verdict}"
        )
    if http:
        w = http["wrk"]
        bad = w.status.get("other", 0) + sum(w.socket_errors.values())
        verdict = "PASS" if w.p99_ms < HTTP_TARGET_P99_MS and not bad else "MISS"
        bench_db.figure("ward lookup over HTTP p99", w.p99_ms, "ms")
        print(
            f"ward lookup over HTTP ({http['server']}, {http['connections']} connections): "
            f"p50 {w.p50_ms:.2f} ms, p99 {w.p99_ms:.2f} ms, {w.requests_per_s:,.0f} req/s "
            f"(404 outside: {w.status.get('404', 0):,}, errors: {bad}) "
            f"| target p99 < {HTTP_TARGET_P99_MS:g} ms: {verdict}"
        )
    print("=" * 100)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    main()
