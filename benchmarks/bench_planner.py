"""Planner map first render with 1M reports (issue 4), in headless Chromium.

    .venv/bin/python benchmarks/bench_planner.py [--runs 5]

gunicorn (2 sync workers, static files through Django) serves the benchmark database; a staff
session cookie is made in process. Each run is a fresh browser context (empty cache): the
figure is the page's own `performance.now()` when it sets `data-ready` on the map, i.e. when
the default layers (ward outlines + the heatmap of the last 12 months, ~670k of the 1M
reports, summed on the server) are drawn. Baseline, same run, same server: the same page with
no report layer (`?layers=wards`). Every host but the app is blocked (no basemap tiles), as in
the browser tests. Target: < 2 s. Timings are printed, never asserted.

    .venv/bin/python benchmarks/bench_planner.py --national [--runs 5]

The whole country (issue 15): the same 1M reports, with the synthetic national partition
(3,315 units, the Móng Cái hole) in force beside Móng Cái's wards, in its own database
`<bench db>_planner_national` (or BENCH_DATABASE_URL). The first render three ways, interleaved:
the old full outlines of every ward from the ward list (`?outlines=all`, the baseline, at the
default view), the country view of /api/v1/wards/outlines/ (34 provinces, the map fitted to
the country), and one province (`?province=22`, its wards at full detail); with the outlines'
bytes, and the country view's server cost when not cached.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

# Read before Django is set up: --national has its own database.
NATIONAL = "--national" in sys.argv
if NATIONAL:
    os.environ.setdefault("BENCH_DATABASE_URL", bench_db.bench_database_url() + "_planner_national")
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
URL = bench_db.setup()

from bench_lifecycle import ensure_reports  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks.gunicorn_runner import gunicorn_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
TARGET_MS = 2000
USERNAME = "bench-planner"


def session_cookie() -> str:
    """A signed-in operator's session (database sessions: gunicorn's workers accept it)."""
    user, _ = User.objects.get_or_create(username=USERNAME)
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def first_render(browser, base: str, query: str, cookie: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base)
            else route.abort("internetdisconnected")
        ),
    )
    heat_bytes, outline_bytes = [], []

    def sizes(response) -> None:
        size = int(response.headers.get("content-length") or 0)
        if "/reports/heat/" in response.url:
            heat_bytes.append(size)
        elif "/api/v1/wards/" in response.url and "/stats/" not in response.url:
            outline_bytes.append(size)

    page.on("response", sizes)
    start = time.perf_counter()
    page.goto(base + "/quy-hoach/" + query)
    page.wait_for_selector("#pl-map[data-ready=true]", timeout=60_000)
    wall_ms = (time.perf_counter() - start) * 1000
    result = {
        "ready_ms": float(page.get_attribute("#pl-map", "data-ready-ms")),
        "wall_ms": wall_ms,
        "heat_total": page.get_attribute("#pl-map", "data-heat-total"),
        "heat_cells": page.get_attribute("#pl-map", "data-heat-cells"),
        "heat_bytes": sum(heat_bytes),
        "outline_bytes": sum(outline_bytes),
    }
    context.close()
    return result


def summary(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"median {statistics.median(values):,.0f} ms, max {max(values):,.0f} ms"


def server_env() -> dict[str, str]:
    return {
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


# The national run's three ways, the baseline first.
NATIONAL_WAYS = (
    ("old full outlines", "?outlines=all"),
    ("country view", ""),
    ("one province (22)", "?province=22"),
)


def country_view_cold_ms() -> float:
    """The country view's server cost before it is cached: the versions in force, their
    fingerprint and the dissolve (median of 3)."""
    from ward_boundaries.outlines import COUNTRY_TOLERANCE_M, outline_state
    from ward_boundaries.selectors import province_outlines

    times = []
    for _ in range(3):
        start = time.perf_counter()
        state = outline_state()
        province_outlines(list(state.version_ids), tolerance_m=COUNTRY_TOLERANCE_M)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main_national(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    bench_db.ensure_national_version()
    ensure_reports()
    cookie = session_cookie()
    cold_ms = country_view_cold_ms()
    results: dict[str, list[dict]] = {query: [] for _name, query in NATIONAL_WAYS}
    with gunicorn_server(
        env=server_env(), app="benchmarks.bench_static_wsgi:application"
    ) as server:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for _name, query in NATIONAL_WAYS:  # warm-up, and the outlines cached
                    first_render(browser, server.url, query, cookie)
                for _ in range(runs):  # interleaved: every way sees the same machine state
                    for _name, query in NATIONAL_WAYS:
                        results[query].append(first_render(browser, server.url, query, cookie))
            finally:
                browser.close()
    parts = []
    for name, query in NATIONAL_WAYS:
        ready = statistics.median(r["ready_ms"] for r in results[query])
        bench_db.figure(f"planner first render, national, {name}", ready, "ms")
        kb = results[query][-1]["outline_bytes"] / 1024
        parts.append(
            f"{name}: {summary(results[query], 'ready_ms')} ({kb:,.0f} KB of outlines sent)"
        )
    bench_db.figure("planner country view, server cost uncached", cold_ms, "ms")
    print(
        f"planner first render over the national partition (heatmap of the last 12 months + "
        f"outlines), {runs} cold loads each | baseline, {' | '.join(parts)} | the country "
        f"view's dissolve when not cached: {cold_ms:,.0f} ms (then cached until the "
        f"boundaries change)"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--national", action="store_true", help="see the module docstring")
    args = parser.parse_args()
    if args.national:
        main_national(args.runs)
        return
    ensure_reports()
    cookie = session_cookie()
    env = server_env()
    with gunicorn_server(env=env, app="benchmarks.bench_static_wsgi:application") as server:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # Warm-up: both workers connect, the static files and query plans are cached.
                for query in ("", "?layers=wards", "", "?layers=wards"):
                    first_render(browser, server.url, query, cookie)
                planner, baseline = [], []
                for _ in range(args.runs):  # interleaved: both see the same machine state
                    planner.append(first_render(browser, server.url, "", cookie))
                    baseline.append(first_render(browser, server.url, "?layers=wards", cookie))
            finally:
                browser.close()
    last = planner[-1]
    ok = "PASS" if statistics.median(r["ready_ms"] for r in planner) < TARGET_MS else "MISS"
    bench_db.figure(
        "planner first render (data-ready)", statistics.median(r["ready_ms"] for r in planner), "ms"
    )
    print(
        f"planner map first render, heatmap of the last 12 months ({int(last['heat_total']):,} "
        f"reports in {int(last['heat_cells']):,} cells, {last['heat_bytes'] / 1024:.0f} KB) + "
        f"ward outlines, {args.runs} cold loads: {summary(planner, 'ready_ms')} "
        f"(wall {summary(planner, 'wall_ms')}) | baseline, same page without report layers: "
        f"{summary(baseline, 'ready_ms')} | target < 2 s: {ok}"
    )


if __name__ == "__main__":
    main()
