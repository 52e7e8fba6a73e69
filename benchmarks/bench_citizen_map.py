"""The citizen map's first screen on a throttled phone link (issue 8), at 5,000 and 1,000,000
reports, beside the same page without its report layer.

    .venv/bin/python benchmarks/bench_citizen_map.py [--runs 5]

Data: the demo (`load_demo`: wards, POIs, the 5,000 demo reports) in `<demo db>_bench_map5k`,
and the benchmark database's 1M reports (bench_lifecycle.ensure_reports, shared with the other
benchmarks). Server: the production stack, as `make serve` runs it: gunicorn (sync workers,
2 x CPU + 1 as in gunicorn.conf.py), config.settings.prod, static files collected into a
temporary folder and served pre-compressed by whitenoise, API answers gzipped by the app.

Browser: headless Chromium as a phone (390×844, touch, device scale 3), a fresh context per
load (cold cache, no service worker yet), the link throttled through CDP
Network.emulateNetworkConditions to 1.6 Mbps down, 750 kbps up, 150 ms round trip (the
"slow 4G" of Lighthouse's mobile runs). Every host but the app fails to resolve, so no basemap
tile is fetched (they are excluded from the figures anyway).

Figures per load (the page's own performance.now(), from navigation start): "layers" = the
ward outlines drawn and the reports shown (markers placed or every report tile drawn:
`data-map-ready-ms`); at that moment the page taps its "Gửi phản ánh" button, and "usable" =
the report form on screen, so all three are done. Bytes = the sum of CDP
Network.loadingFinished encodedDataLength (headers + compressed bodies) of every request the
page made until the layers were drawn. Baseline, same run, same server, interleaved:
`/?layers=wards` (the page without its report layer). Targets: usable < 2.5 s and < 400 KB.
With the whole country's boundaries in force (the 10M scale set) the page draws the country
view and the wards of the provinces in view; a third page, `/?outlines=all`, draws every ward
in force as the map did before (the baseline of that change, same run, interleaved).
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

from benchmarks.gunicorn_runner import gunicorn_server
from config.settings.encryption import DEV_FIELD_KEY

ROOT = bench_db.ROOT
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    # Only the app resolves: basemap tiles (and anything else) fail at once, uncounted.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}
LINK = {  # bytes per second, milliseconds
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
# As gunicorn.conf.py (make serve) sizes them: 2 x CPU + 1, at most 12.
WORKERS = min(2 * multiprocessing.cpu_count() + 1, 12)
TARGET_MS = 2500
TARGET_BYTES = 400 * 1024


def with_db_suffix(url: str, suffix: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + suffix))


def prepare(kind: str) -> str:
    """Makes sure the dataset's database is ready (in a child process: one Django per
    database); returns its URL."""
    million_url = bench_db.bench_database_url()
    if kind == "5k":
        url = with_db_suffix(million_url, "_map5k")
        env = {**os.environ, "BENCH_DATABASE_URL": url}
        code = (
            "import bench_db; bench_db.setup();"
            "from django.core.management import call_command;"
            "call_command('load_demo', if_empty=True, verbosity=0);"
            "from layers.report_cells import compact_report_cells; compact_report_cells()"
        )
    else:
        url = million_url
        env = {**os.environ, "BENCH_DATABASE_URL": url}
        code = (
            "import bench_lifecycle; bench_lifecycle.ensure_reports();"
            "from layers.report_cells import compact_report_cells; compact_report_cells()"
        )
    subprocess.run([PY, "-c", code], cwd=ROOT / "benchmarks", env=env, check=True)
    return url


def scalar(url: str, sql: str) -> int:
    """The one value `sql` (a constant of ours, never input) gives in the database at `url`."""
    import psycopg2

    parts = urlparse(url)
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/"),
    )
    with conn, conn.cursor() as cursor:
        cursor.execute(sql)
        n = cursor.fetchone()[0]
    conn.close()
    return n


def report_count(url: str, table: str = "gis_core_report") -> int:
    """Rows of `table` (a constant of ours, never input) in the database at `url`."""
    return scalar(url, f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table name


def province_count(url: str) -> int:
    """Provinces among the wards at `url` (several: the national partition is loaded)."""
    return scalar(url, "SELECT count(DISTINCT province_code) FROM ward_boundaries_ward")


def prod_env(database_url: str, static_root: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Fresh keys: the benchmark database's contacts were written under the dev key,
        # which stays second so they still open.
        "HT_FIELD_KEYS": Fernet.generate_key().decode() + "," + DEV_FIELD_KEY,
        "HT_PHONE_HASH_KEY": secrets.token_urlsafe(32),
        "HT_SECURE_SSL_REDIRECT": "0",
        "HT_STATIC_ROOT": static_root,
        "HT_LOG_LEVEL": "WARNING",
    }


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )


OPEN_FORM_WHEN_READY = """() => new Promise((resolve, reject) => {
  const started = performance.now();
  const step = () => {
    if (performance.now() - started > 120000) return reject(new Error("not ready"));
    if (document.body.dataset.mapReady !== "true") return requestAnimationFrame(step);
    const panel = document.getElementById("report-panel");
    if (!panel.dataset.benchOpened) {
      panel.dataset.benchOpened = "1";
      document.getElementById("report-fab").click();
    }
    if (!panel.hidden && panel.getBoundingClientRect().height > 0) {
      return resolve(performance.now());
    }
    requestAnimationFrame(step);
  };
  step();
})"""


# Pages in these languages also load their JS catalog (Vietnamese, the source, has nearly none).
OTHER_LANGUAGES = ("en", "zh-hans")


def first_screen(browser, base: str, query: str, language: str = "vi") -> dict:
    """One cold load of the map in `language` (the switcher's cookie): layers drawn and form
    on screen (ms), bytes until drawn."""
    context = browser.new_context(**PHONE, locale="vi-VN", service_workers="block")
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", LINK)
    urls: dict[str, str] = {}
    finished: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(base + "/" + query, wait_until="commit", timeout=120_000)
    page.wait_for_function("() => document.readyState !== 'loading'", timeout=120_000)
    # The moment the layers are drawn, the page itself taps "Gửi phản ánh" and notes when
    # the form is on screen (no driver round trip in the figure).
    form_ms = page.evaluate(OPEN_FORM_WHEN_READY)
    ready_ms = float(page.get_attribute("body", "data-map-ready-ms"))
    at_ready = dict(finished)
    mode = page.get_attribute("#map", "data-report-mode")
    by_kind: dict[str, int] = {}
    for request_id, size in at_ready.items():
        url = urls.get(request_id, "")
        if not url.startswith(base):
            continue
        path = urlparse(url).path
        kind = (
            "reports"
            if path.startswith(("/tiles/reports/", "/api/v1/reports/"))
            else "wards"
            if path.startswith("/api/v1/wards/")
            else "page"
        )
        by_kind[kind] = by_kind.get(kind, 0) + size
    context.close()
    return {
        "ready_ms": ready_ms,
        "form_ms": form_ms,
        "bytes": sum(by_kind.values()),
        "by_kind": by_kind,
        "mode": mode,
    }


def summary(runs: list[dict]) -> dict:
    return {
        "ready": statistics.median(r["ready_ms"] for r in runs),
        "usable": statistics.median(r["form_ms"] for r in runs),
        "usable_max": max(r["form_ms"] for r in runs),
        "bytes": statistics.median(r["bytes"] for r in runs),
        "reports_bytes": statistics.median(r["by_kind"].get("reports", 0) for r in runs),
        "wards_bytes": statistics.median(r["by_kind"].get("wards", 0) for r in runs),
        "mode": runs[-1]["mode"],
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    big = f"{bench_db.REPORTS // 1_000_000}M"
    if os.environ.get("BENCH_FIGURES"):  # bench_scale.py: the big set only, at each scale
        datasets = [(big, prepare(big))]
    else:
        datasets = [("5k", prepare("5k")), (big, prepare(big))]
    static_root = tempfile.mkdtemp(prefix="ht-bench-static-")
    rows = []
    by_language: list[tuple[str, int, dict, dict]] = []
    before: list[tuple[int, dict, dict]] = []  # national: every ward drawn, the new page
    try:
        collectstatic(prod_env(datasets[0][1], static_root))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for name, url in datasets:
                    reports = report_count(url)
                    national = province_count(url) > 1
                    env = prod_env(url, static_root)
                    with gunicorn_server(env=env, workers=WORKERS) as server:
                        # Warm-up: the workers connect, plans and the tile cache are warm (a
                        # city's first visitor of the minute pays more; every later one this).
                        for query in ("", "?layers=wards", "", "?layers=wards"):
                            first_screen(browser, server.url, query)
                        full, bare, every_ward = [], [], []
                        # The other languages (their JS catalog is the difference) at 5k.
                        others: dict[str, list[dict]] = {
                            lang: [] for lang in (OTHER_LANGUAGES if name == "5k" else ())
                        }
                        for _ in range(args.runs):  # interleaved: same machine state
                            full.append(first_screen(browser, server.url, ""))
                            bare.append(first_screen(browser, server.url, "?layers=wards"))
                            if national:
                                every_ward.append(
                                    first_screen(browser, server.url, "?outlines=all")
                                )
                            for lang, loads in others.items():
                                loads.append(first_screen(browser, server.url, "", lang))
                    rows.append((name, reports, summary(full), summary(bare)))
                    if every_ward:
                        before.append((reports, summary(every_ward), summary(full)))
                    for lang, loads in others.items():
                        by_language.append((lang, reports, summary(loads), summary(full)))
            finally:
                browser.close()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    print(
        f"citizen map first screen, phone 390x844 on 1.6 Mbps / 750 kbps / 150 ms, production "
        f"stack, {args.runs} cold loads each (medians; basemap tiles excluded)"
    )
    print(
        f"{'reports':>10} | {'page':<15} | {'layers':>8} | {'usable':>8} | {'max':>8} | "
        f"{'KB':>6} | {'reports KB':>10} | {'wards KB':>8} | report layer"
    )
    for _name, reports, full, bare in rows:
        for label, s in (("/", full), ("/?layers=wards", bare)):
            print(
                f"{reports:>10,} | {label:<15} | {s['ready']:>6,.0f}ms | {s['usable']:>6,.0f}ms"
                f" | {s['usable_max']:>6,.0f}ms | {s['bytes'] / 1024:>6.0f} | "
                f"{s['reports_bytes'] / 1024:>10.1f} | {s['wards_bytes'] / 1024:>8.1f} | "
                f"{s['mode'] if label == '/' else '-'}"
            )
    for lang, reports, other, vietnamese in by_language:
        print(
            f"{reports:,} reports, / in {lang}: usable {other['usable']:,.0f} ms, "
            f"{other['bytes'] / 1024:.0f} KB | in Vietnamese (baseline, same run): "
            f"{vietnamese['usable']:,.0f} ms, {vietnamese['bytes'] / 1024:.0f} KB | "
            f"ratio {other['usable'] / vietnamese['usable']:.2f}x, "
            f"+{(other['bytes'] - vietnamese['bytes']) / 1024:.1f} KB"
        )
    for reports, every, new in before:
        print(
            f"{reports:,} reports, the whole country in force: / usable {new['usable']:,.0f} ms, "
            f"{new['bytes'] / 1024:.0f} KB (wards {new['wards_bytes'] / 1024:.0f} KB) | "
            f"baseline /?outlines=all (every ward, as before, same run): "
            f"{every['usable']:,.0f} ms, {every['bytes'] / 1024:.0f} KB (wards "
            f"{every['wards_bytes'] / 1024:.0f} KB) | ratio {new['usable'] / every['usable']:.2f}x"
        )
    for _name, reports, full, _ in rows:
        ok = full["usable"] < TARGET_MS and full["bytes"] < TARGET_BYTES
        if _name != "5k":
            bench_db.figure("citizen map first screen, usable", full["usable"], "ms")
            bench_db.figure("citizen map first screen, bytes", full["bytes"] / 1024, "KB")
        print(
            f"{reports:,} reports: usable {full['usable']:,.0f} ms, {full['bytes'] / 1024:.0f} KB "
            f"| targets < 2.5 s and < 400 KB: {'PASS' if ok else 'MISS'}"
        )


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - t0:.0f} s)")
