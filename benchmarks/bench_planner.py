"""Planner map first render with 1M reports (issue 4), in headless Chromium.

    .venv/bin/python benchmarks/bench_planner.py [--runs 5]

gunicorn (2 sync workers, static files through Django) serves the benchmark database; a staff
session cookie is made in process. Each run is a fresh browser context (empty cache): the
figure is the page's own `performance.now()` when it sets `data-ready` on the map, i.e. when
the default layers (ward outlines + the heatmap of the last 12 months, ~670k of the 1M
reports, summed on the server) are drawn. Baseline, same run, same server: the same page with
no report layer (`?layers=wards`). Every host but the app is blocked (no basemap tiles), as in
the browser tests. Target: < 2 s. Timings are printed, never asserted.
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
    heat_bytes = []
    page.on(
        "response",
        lambda r: (
            heat_bytes.append(int(r.headers.get("content-length") or 0))
            if "/reports/heat/" in r.url
            else None
        ),
    )
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
    }
    context.close()
    return result


def summary(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"median {statistics.median(values):,.0f} ms, max {max(values):,.0f} ms"


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_reports()
    cookie = session_cookie()
    env = {
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
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
