"""The visitor's view (issue 13): place search latency, and /du-lich/'s first screen on a
throttled phone link beside the same page without its place layer.

    .venv/bin/python benchmarks/bench_tourist.py [--runs 5] [--rounds 20]

Data: the demo (`load_demo`: Móng Cái's wards, OSM points, the 60 demo places; the
citizen-map benchmark's `<demo db>_bench_map5k`) and `<demo db>_bench_places20k`, migrated,
with both ward versions, the demo places and 20,000 synthetic ones (bench_places), about
300 times what Móng Cái has. Server: the production stack (gunicorn, config.settings.prod,
whitenoise, gzip), as bench_citizen_map starts it.

1. Search: GET /api/v1/places/ as the page asks (limit 20) for queries visitors type,
   diacritic-free ones that collide ("cho", "ha long"), English, Chinese, kind words, and a
   filtered one (kind, open now, price range), `--rounds` times each over HTTP on loopback,
   one at a time; p50 and p95 per request. Baseline, same run, interleaved: the place list
   with no query (`?limit=20`, by name).
2. First screen: headless Chromium as a phone (390×844, touch), cold cache, 1.6 Mbps down /
   750 kbps / 150 ms (bench_citizen_map.LINK), other hosts unresolved (no basemap tiles).
   "layers" = wards, Wi-Fi and places drawn (the page's `data-layers-loaded-ms`, from
   navigation start); bytes = every request's encoded length until then. Then the page taps
   the first place's marker; "details" = the sheet with hours and prices from the detail API
   (`data-state="ready"`), measured from the tap. Baseline: `/du-lich/?layers=wards` (the
   page without places).
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_citizen_map as citizen
import bench_db

from benchmarks.gunicorn_runner import gunicorn_server

PY = sys.executable
SYNTHETIC = 20_000  # = bench_places.COST_PLACES
QUERIES = [
    "cho",
    "chợ",
    "ha long",
    "khach san",
    "hotel",
    "nhà hàng",
    "OCOP",
    "酒店",
    "tra co",
    "vui choi",
]
FILTERED = "kind=accommodation&open_now=true&price_max=800000"


def prepare_places() -> str:
    """The 20,000-place database (in a child process: one Django per database)."""
    url = citizen.with_db_suffix(bench_db.bench_database_url(), "_places20k")
    code = (
        "import bench_db; bench_db.setup();"
        "from layers.places.demo import load_demo_places; load_demo_places();"
        f"import bench_places; bench_places.ensure_places({SYNTHETIC})"
    )
    env = {**citizen.os.environ, "BENCH_DATABASE_URL": url}
    subprocess.run([PY, "-c", code], cwd=Path(__file__).parent, env=env, check=True)
    return url


def prepare_demo() -> str:
    url = citizen.prepare("5k")
    # A demo database made before the places existed gets them (idempotent).
    code = (
        "import bench_db; bench_db.setup();"
        "from layers.places.demo import load_demo_places; load_demo_places()"
    )
    env = {**citizen.os.environ, "BENCH_DATABASE_URL": url}
    subprocess.run([PY, "-c", code], cwd=Path(__file__).parent, env=env, check=True)
    return url


def place_count(url: str) -> int:
    return citizen.report_count(url, "layers_pointofinterest")


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our local server
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return (time.perf_counter() - started) * 1000


def search_figures(base: str, rounds: int) -> dict[str, list[float]]:
    api = base + "/api/v1/places/?limit=20"
    searches = [f"{api}&q={quote(q)}" for q in QUERIES] + [f"{api}&q=kh&{FILTERED}"]
    for url in [api, *searches]:  # warm: connections, plans
        timed_get(url)
    out: dict[str, list[float]] = {"list": [], "search": [], "filtered": []}
    for _ in range(rounds):
        for url in searches:
            out["list"].append(timed_get(api))  # interleaved with the searches
            out["filtered" if FILTERED in url else "search"].append(timed_get(url))
    return out


TAP_FIRST_PLACE = """() => new Promise((resolve, reject) => {
  const layers = window.hienTruongTourist.places.getLayers();
  if (!layers.length) return reject(new Error("no place drawn"));
  const panel = document.getElementById("tr-details");
  const started = performance.now();
  layers[0].fire("click");
  const step = () => {
    if (performance.now() - started > 60000) return reject(new Error("details not ready"));
    const done = !panel.hidden && panel.dataset.state === "ready";
    if (done) return resolve(performance.now() - started);
    requestAnimationFrame(step);
  };
  step();
})"""


def first_screen(browser, base: str, query: str) -> dict:
    context = browser.new_context(**citizen.PHONE, locale="vi-VN", service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", citizen.LINK)
    urls: dict[str, str] = {}
    finished: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(base + "/du-lich/" + query, wait_until="commit", timeout=120_000)
    page.wait_for_function("() => document.body?.dataset.layersLoaded === 'true'", timeout=120_000)
    ready_ms = float(page.get_attribute("body", "data-layers-loaded-ms"))
    at_ready = dict(finished)
    places_kb = sum(
        size
        for rid, size in at_ready.items()
        if urlparse(urls.get(rid, "")).path.startswith("/api/v1/places/")
    )
    details_ms = page.evaluate(TAP_FIRST_PLACE) if not query else None
    drawn = int(page.get_attribute("body", "data-places-count") or 0)
    context.close()
    own = sum(size for rid, size in at_ready.items() if urls.get(rid, "").startswith(base))
    return {
        "ready_ms": ready_ms,
        "bytes": own,
        "places_bytes": places_kb,
        "details_ms": details_ms,
        "drawn": drawn,
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    datasets = [("demo", prepare_demo()), ("20k", prepare_places())]
    static_root = tempfile.mkdtemp(prefix="ht-bench-static-")
    rows = []
    try:
        citizen.collectstatic(citizen.prod_env(datasets[0][1], static_root))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=citizen.CHROMIUM, args=citizen.CHROMIUM_ARGS
            )
            try:
                for _name, url in datasets:
                    env = citizen.prod_env(url, static_root)
                    with gunicorn_server(env=env, workers=citizen.WORKERS) as server:
                        search = search_figures(server.url, args.rounds)
                        for query in ("", "?layers=wards"):  # warm-up
                            first_screen(browser, server.url, query)
                        full, bare = [], []
                        for _ in range(args.runs):
                            full.append(first_screen(browser, server.url, ""))
                            bare.append(first_screen(browser, server.url, "?layers=wards"))
                    rows.append((place_count(url), search, full, bare))
            finally:
                browser.close()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    pct = bench_db.percentile
    print(f"place search, GET /api/v1/places/ (limit 20), production stack, {args.rounds} rounds")
    print(f"{'places':>8} | {'request':<34} | {'n':>4} | {'p50':>7} | {'p95':>7}")
    for places, search, _full, _bare in rows:
        for label, key in (
            ("list by name (baseline)", "list"),
            (f"search, {len(QUERIES)} queries", "search"),
            ("search + kind, open now, price", "filtered"),
        ):
            values = search[key]
            print(
                f"{places:>8,} | {label:<34} | {len(values):>4} | {pct(values, 50):>5.1f}ms | "
                f"{pct(values, 95):>5.1f}ms"
            )
        ratio = pct(search["search"], 95) / pct(search["list"], 95)
        print(f"{places:>8,} | search p95 / list p95: {ratio:.2f}x")
    print(
        f"\n/du-lich/ first screen, phone 390x844 on 1.6 Mbps / 750 kbps / 150 ms, "
        f"{args.runs} cold loads each (medians; basemap tiles excluded)"
    )
    print(
        f"{'places':>8} | {'page':<22} | {'layers':>8} | {'KB':>6} | {'places KB':>9} | "
        f"{'details':>8} | drawn"
    )
    for places, _search, full, bare in rows:
        for label, loads in (("/du-lich/", full), ("/du-lich/?layers=wards", bare)):
            details = [r["details_ms"] for r in loads if r["details_ms"] is not None]
            ready = statistics.median(r["ready_ms"] for r in loads)
            print(
                f"{places:>8,} | {label:<22} | {ready:>6,.0f}ms | "
                f"{statistics.median(r['bytes'] for r in loads) / 1024:>6.0f} | "
                f"{statistics.median(r['places_bytes'] for r in loads) / 1024:>9.1f} | "
                f"{(f'{statistics.median(details):,.0f}ms') if details else '-':>8} | "
                f"{loads[-1]['drawn']}"
            )
        f_ms = statistics.median(r["ready_ms"] for r in full)
        b_ms = statistics.median(r["ready_ms"] for r in bare)
        f_kb = statistics.median(r["bytes"] for r in full) / 1024
        b_kb = statistics.median(r["bytes"] for r in bare) / 1024
        print(
            f"{places:>8,} | with places / without: {f_ms / b_ms:.2f}x time, +{f_kb - b_kb:.1f} KB"
        )


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - t0:.0f} s)")
