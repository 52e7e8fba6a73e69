"""What one anonymous request can cost the server (issue 10): CPU seconds and memory, worst case.

Every endpoint an anonymous caller reaches is sent the largest parameters it accepts (and the
hostile bodies of SECURITY.md: a 40 MB JSON list, twenty 25 MB files), once each, cold, to a
gunicorn with ONE sync worker on the benchmark database (1M reports). For each request the
script reads from /proc:

- CPU: the worker's and its PostgreSQL backend's CPU time (schedstat, nanoseconds) before and
  after. Parallel query is off in benchmarks.cost_settings, so that backend does all of the
  request's database work;
- memory: the growth of the worker's peak resident set (VmHWM, reset through clear_refs
  before the request) over its resident set before it, and of the backend's private memory
  (RssAnon, sampled every millisecond: its shared buffers are the server's, not the request's).

It prints a table, worst first, beside the baseline of the cheapest request
(`GET /api/v1/categories/`) measured in the same run, and flags any row above 1 s of CPU or
100 MB. Needs to run as the user of the PostgreSQL cluster or as root (it reads and resets
/proc entries of the backend).

    .venv/bin/python benchmarks/bench_cost.py [--only PREFIX]
"""

from __future__ import annotations

import argparse
import json
import os
import select
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bench_db  # sets up Django on the benchmark database

SETTINGS = "benchmarks.cost_settings"
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
os.environ["HT_COST_APP_NAME"] = f"ht-cost-bench-{os.getpid()}"
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"

CPU_BUDGET_S = 1.0
MEMORY_BUDGET_MB = 100.0
MB = 1024 * 1024


# --- /proc ------------------------------------------------------------------------------------


def cpu_ns(pid: int) -> int:
    """CPU time the process has run, in nanoseconds (first field of schedstat)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for pid {pid}")


def reset_peak(pid: int) -> int:
    """Resets the peak resident set to the current one; returns the current one in bytes."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status_kb(pid, "VmRSS") * 1024


def peak_bytes(pid: int) -> int:
    return _status_kb(pid, "VmHWM") * 1024


def anon_bytes(pid: int) -> int:
    """The process's private (anonymous) resident memory: for a PostgreSQL backend what its
    sorts, hashes and caches hold, without the shared buffers it merely maps (which VmHWM
    would count)."""
    return _status_kb(pid, "RssAnon") * 1024


class PeakSampler:
    """Samples a process's private memory every millisecond in a thread; `peak` is the most
    seen (a backend has no private-memory high-water mark to read afterwards)."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid = pid
        self.start_bytes = anon_bytes(pid)
        self.peak = self.start_bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.001):
            try:
                self.peak = max(self.peak, anon_bytes(self.pid))
            except (OSError, RuntimeError):
                return

    def stop(self) -> int:
        """Growth of the peak over the start, in bytes."""
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, anon_bytes(self.pid))
        return self.peak - self.start_bytes


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def backend_pid(application_name: str) -> int:
    import psycopg2

    with psycopg2.connect(**bench_db.connect_params()) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        rows = cursor.fetchall()
    conn.close()
    if len(rows) != 1:
        raise RuntimeError(f"expected one backend named {application_name}, found {rows}")
    return rows[0][0]


# --- one raw HTTP request, body streamed, stopping when the server answers ----------------------


@dataclass
class Answer:
    status: int | None  # None: the server closed the connection without an answer
    sent_bytes: int
    body_bytes: int
    seconds: float


def _body_chunks(body: bytes | Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
    if isinstance(body, bytes):
        for start in range(0, len(body), 256 * 1024):
            yield body[start : start + 256 * 1024]
    else:
        yield from body()


def send(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | Callable[[], Iterator[bytes]] = b"",
    length: int | None = None,
) -> Answer:
    """Sends the request; stops sending the body as soon as the server has answered."""
    start = time.perf_counter()
    size = len(body) if isinstance(body, bytes) else length
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {size}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    sent = 0
    received = b""
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        for chunk in _body_chunks(body):
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # answered (or closed) before reading the whole body
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        while True:
            try:
                data = sock.recv(1 << 16)
            except ConnectionResetError:
                break
            if not data:
                break
            received += data
    finally:
        sock.close()
    seconds = time.perf_counter() - start
    status = None
    if received.startswith(b"HTTP/"):
        status = int(received.split(b" ", 2)[1])
    _head, _, payload = received.partition(b"\r\n\r\n")
    return Answer(status, sent, len(payload), seconds)


# --- the cases --------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    method: str
    path: str
    headers: dict[str, str] | None = None
    body: bytes | Callable[[], Iterator[bytes]] = b""
    length: int | None = None
    # Called with the server's port just before the measurement (not measured), e.g. to fetch
    # a CSRF token; returns the case to send.
    prepare: Callable[[int, Case], Case] | None = None


def _with_admin_csrf(port: int, case: Case) -> Case:
    """The admin form's CSRF cookie and token, as a browser (or a scripted attacker) has them."""
    import re
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/") as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read())
    assert token is not None, "no CSRF token on the admin sign-in page"
    body = case.body if isinstance(case.body, bytes) else b""
    return Case(
        case.name,
        case.method,
        case.path,
        {**(case.headers or {}), "Cookie": cookie},
        body + b"&csrfmiddlewaretoken=" + token.group(1),
    )


def _json(data: object) -> tuple[dict[str, str], bytes]:
    return {"Content-Type": "application/json"}, json.dumps(data).encode()


def _hostile_phone_list() -> bytes:
    # {"phone": [0, 0, ...]}: 40 MB of JSON.
    count = (40 * MB - 20) // 3
    return b'{"phone": [' + b"0, " * (count - 1) + b"0]}"


def _multipart_files(
    count: int, size: int, boundary: str
) -> tuple[Callable[[], Iterator[bytes]], int]:
    """A report POST with `count` files of `size` bytes each (JPEG header, then zeros)."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nmoi_truong\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'
        "cost benchmark\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="lon"\r\n\r\n107.9700\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="lat"\r\n\r\n21.5300\r\n'
    ).encode()
    part_heads = [
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="p{i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        for i in range(count)
    ]
    tail = f"--{boundary}--\r\n".encode()
    block = b"\0" * (1 << 20)
    file_body = b"\xff\xd8\xff\xe0"

    def chunks() -> Iterator[bytes]:
        yield head
        for part in part_heads:
            yield part
            yield file_body
            left = size - len(file_body)
            while left > 0:
                piece = block[: min(left, len(block))]
                left -= len(piece)
                yield piece
            yield b"\r\n"
        yield tail

    length = len(head) + sum(len(p) + size + 2 for p in part_heads) + len(tail)
    return chunks, length


def _period_holding(limit: int) -> str:
    """since=&until= of the longest run of whole local days, ending yesterday, that holds at
    most `limit` reports: the largest period an endpoint bounded by a report count accepts."""
    from django.db import connection

    # Raw: one grouped pass over the benchmark's reports, per local day, newest first.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*) "
            "FROM gis_core_report GROUP BY day ORDER BY day DESC"
        )
        days = cursor.fetchall()[1:]  # today is still filling
    total, since = 0, None
    for day, count in days:
        if total + count > limit:
            break
        total, since = total + count, day
    if since is None:
        raise RuntimeError(f"yesterday alone holds more than {limit} reports")
    return f"since={since}&until={days[0][0]}"


def cases() -> list[Case]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from gis_core.models import Report

    admin = get_user_model().objects.filter(username="ht-cost-admin").first()
    if admin is None:
        get_user_model().objects.create_superuser(
            "ht-cost-admin",
            password="a-long-real-password",  # noqa: S106 - a benchmark account
        )
    report = Report.objects.order_by("-id").values_list("public_id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM layers_layer ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    layer = row[0] if row else "wifi"
    whole = "bbox=100,5,120,30"
    # The longest periods each endpoint accepts today (hotspots 7,320 days, league 1,098).
    long_period = "since=2007-01-01&until=2026-12-31"
    from django.conf import settings

    export_period = _period_holding(settings.EXPORT_MAX_ROWS_PUBLIC)
    league_period = _period_holding(settings.LEAGUE_MAX_REPORTS_PUBLIC)
    from gis_core.api.params import MAX_LIST_ROWS, MAX_PAGE_SIZE

    deepest_page = MAX_LIST_ROWS // MAX_PAGE_SIZE
    from layers.api.place_params import PLACE_MAX_LIMIT
    from layers.models import PointOfInterest

    place = PointOfInterest.objects.order_by("id").values_list("public_id", flat=True).first()
    places = f"/api/v1/places/?limit={PLACE_MAX_LIMIT}"
    json_h, small_submit = _json(
        {"category": "moi_truong", "description": "cost", "lon": 107.97, "lat": 21.53}
    )
    boundary = "htcostboundary"
    files20, files20_len = _multipart_files(20, 25 * MB, boundary)
    mp_h = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    _, code_big = _json({"phone": "0912345678"})
    # The longest description the suggestion takes (4,000 characters, varied words).
    _, suggest_long = _json({"text": ("Cống thoát nước bị tắc, rác ùn ứ ven đường " * 100)[:4000]})
    out = [
        Case("categories (baseline)", "GET", "/api/v1/categories/"),
        Case("report list, page_size max", "GET", f"/api/v1/reports/?page_size=1000&{whole}"),
        Case("report list, deep page", "GET", "/api/v1/reports/?page_size=1000&page=999"),
        Case(
            "report list, deepest allowed page",
            "GET",
            f"/api/v1/reports/?page_size=1000&page={deepest_page}&{whole}",
        ),
        Case(
            "report list, deepest page of a rare status",
            "GET",
            f"/api/v1/reports/?status=rejected&page_size=1000&page={deepest_page}&{whole}",
        ),
        Case("report detail", "GET", f"/api/v1/reports/{report}/"),
        Case(
            "duplicates",
            "GET",
            "/api/v1/reports/duplicates/?category=moi_truong&lon=107.97&lat=21.53",
        ),
        Case(
            "duplicates, longest text",
            "GET",
            "/api/v1/reports/duplicates/?category=moi_truong&lon=107.97&lat=21.53&text="
            + "cong+thoat+nuoc+bi+tac+" * 43,
        ),
        Case(
            "category suggest, longest text",
            "POST",
            "/api/v1/categories/suggest/",
            json_h,
            suggest_long,
        ),
        Case("report count, whole map", "GET", f"/api/v1/reports/count/?{whole}"),
        Case("heat, zoom 18", "GET", f"/api/v1/reports/heat/?zoom=18&{whole}&{long_period}"),
        Case("heat, zoom 5", "GET", f"/api/v1/reports/heat/?zoom=5&{long_period}"),
        Case("grid, whole map", "GET", f"/api/v1/reports/grid/?{whole}&{long_period}"),
        Case("hotspots, stored answer", "GET", "/api/v1/hotspots/"),
        Case("hotspots, stored, 1000 m", "GET", "/api/v1/hotspots/?hex_size=1000"),
        Case("hotspots, a period not stored", "GET", "/api/v1/hotspots/?since=2026-01-01"),
        Case("hotspots, longest period", "GET", f"/api/v1/hotspots/?{long_period}"),
        Case("hotspots, hex_size=100", "GET", "/api/v1/hotspots/?hex_size=100"),
        Case("hotspots, hex_size=300.0001", "GET", "/api/v1/hotspots/?hex_size=300.0001"),
        Case("league", "GET", f"/api/v1/league/?by=agency&{league_period}"),
        Case("league.csv", "GET", f"/api/v1/league.csv?{league_period}"),
        Case("ward stats", "GET", f"/api/v1/wards/stats/?{league_period}"),
        Case("ward stats, long period", "GET", f"/api/v1/wards/stats/?{long_period}"),
        Case("wards", "GET", "/api/v1/wards/"),
        Case("ward lookup", "GET", "/api/v1/wards/lookup/?lon=107.97&lat=21.53"),
        Case("layers", "GET", "/api/v1/layers/"),
        Case("pois, limit max", "GET", "/api/v1/pois/?limit=200"),
        Case("places, limit max", "GET", places),
        # "a" occurs in nearly every name: every row is scored and sorted.
        Case("places, search matching all, limit max", "GET", f"{places}&q=a"),
        Case("places, longest search", "GET", f"{places}&q={'khach+san+' * 9}khach+san"),
        Case("places, open now, whole map", "GET", f"{places}&open_now=true&{whole}"),
        Case("places, closed now + price range", "GET", f"{places}&open_now=false&price_min=1"),
        Case("place detail", "GET", f"/api/v1/places/{place}/"),
        Case("wifi nearest", "GET", "/api/v1/wifi/nearest/?lon=107.97&lat=21.53&limit=50"),
        Case("export reports.csv", "GET", f"/api/v1/exports/reports.csv?{export_period}"),
        Case("export reports.geojson", "GET", f"/api/v1/exports/reports.geojson?{export_period}"),
        Case("export reports.gpkg", "GET", f"/api/v1/exports/reports.gpkg?{export_period}"),
        Case("export layer csv", "GET", f"/api/v1/exports/layers/{layer}.csv"),
        Case("report tile z0", "GET", "/tiles/reports/0/0/0.pbf"),
        Case("report tile z14", "GET", "/tiles/reports/14/13295/7214.pbf"),
        Case("report tile z16", "GET", "/tiles/reports/16/53181/28856.pbf"),
        Case("poi tile z0", "GET", "/tiles/pois/0/0/0.pbf"),
        Case("open311 requests.json, max", "GET", "/open311/v2/requests.json?page_size=1000"),
        Case("open311 requests.xml, max", "GET", "/open311/v2/requests.xml?page_size=1000"),
        Case("open311 services.xml", "GET", "/open311/v2/services.xml"),
        Case("OpenAPI schema", "GET", "/api/schema/"),
        Case("page /", "GET", "/"),
        Case("page /du-lich/", "GET", "/du-lich/"),
        Case("page /xep-hang/", "GET", "/xep-hang/"),
        Case("page /xep-hang/, largest period", "GET", f"/xep-hang/?{league_period}"),
        Case("privacy notice", "GET", "/api/v1/privacy-notice/"),
        Case("page report", "GET", f"/phan-anh/{report}/"),
        Case("JS catalog", "GET", "/jsi18n/vi/"),
        Case("submit report (JSON)", "POST", "/api/v1/reports/", json_h, small_submit),
        Case(
            "submit, 20 files of 25 MB",
            "POST",
            "/api/v1/reports/",
            mp_h,
            files20,
            files20_len,
        ),
        Case("auth code", "POST", "/api/v1/auth/code/", json_h, code_big),
        Case("auth code, 40 MB list", "POST", "/api/v1/auth/code/", json_h, _hostile_phone_list()),
        Case(
            "open311 POST request",
            "POST",
            "/open311/v2/requests.json",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"service_code=moi_truong&lat=21.53&long=107.97&description=cost",
        ),
        Case(
            "admin sign-in, unknown user",
            "POST",
            "/admin/login/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"username=nobody&password=wrong-password",
            prepare=_with_admin_csrf,
        ),
        Case(
            "admin sign-in, real user, wrong password",
            "POST",
            "/admin/login/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"username=ht-cost-admin&password=wrong-password",
            prepare=_with_admin_csrf,
        ),
    ]
    return out


@dataclass
class Measured:
    case: Case
    answer: Answer
    cpu_s: float
    worker_mb: float
    backend_mb: float


def measure(server_port: int, worker: int, backend: int, case: Case) -> Measured:
    if case.prepare is not None:
        case = case.prepare(server_port, case)
    worker_rss = reset_peak(worker)
    backend_memory = PeakSampler(backend)
    worker_cpu, backend_cpu = cpu_ns(worker), cpu_ns(backend)
    answer = send(
        server_port,
        case.method,
        case.path,
        headers=case.headers,
        body=case.body,
        length=case.length,
    )
    # The worker may still be finishing (logging, closing) after its answer is read.
    time.sleep(0.05)
    cpu = (cpu_ns(worker) - worker_cpu + cpu_ns(backend) - backend_cpu) / 1e9
    backend_growth = backend_memory.stop()
    return Measured(case, answer, cpu, (peak_bytes(worker) - worker_rss) / MB, backend_growth / MB)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="measure only cases whose name starts so")
    args = parser.parse_args()
    url = bench_db.setup(SETTINGS)
    from bench_lifecycle import ensure_reports

    from benchmarks.gunicorn_runner import gunicorn_server

    ensure_reports()
    import bench_places

    # The place endpoints at a big city's size, not Móng Cái's seventy (bench_places).
    bench_places.ensure_places(bench_places.COST_PLACES)
    import tempfile

    from django.core.management import call_command

    # What the hourly cron job stores, and anonymous callers are served (never computed).
    started = time.perf_counter()
    call_command("precompute_hotspots", verbosity=0)
    print(f"precompute_hotspots (the cron job): {time.perf_counter() - started:.1f} s", flush=True)

    from django.conf import settings

    cache = Path(tempfile.mkdtemp(prefix="ht-cost-cache-"))  # cold: nothing cached before
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "0",
        "HT_CACHE_DIR": str(cache / "default"),
        "HT_TILE_CACHE_DIR": str(cache / "tiles"),
    }
    all_cases = cases()
    from django.db import connections

    connections.close_all()  # only the worker's backend carries the application name now
    with gunicorn_server(env=env, workers=1, extra_args=["--timeout", "300"]) as server:
        worker = worker_pid(server.pid)
        send(server.port, "GET", "/api/v1/categories/")  # opens the persistent connection
        backend = backend_pid(settings.APPLICATION_NAME)
        print(f"{server.description}, {SETTINGS}, worker {worker}, backend {backend}", flush=True)
        results = []
        for case in all_cases:
            if not case.name.startswith(args.only) and not case.name.startswith("categories"):
                continue
            if not Path(f"/proc/{worker}").exists():
                worker = worker_pid(server.pid)  # gunicorn replaced a worker (timeout)
            try:
                backend_now = backend_pid(settings.APPLICATION_NAME)
            except RuntimeError:
                send(server.port, "GET", "/api/v1/categories/")
                backend_now = backend_pid(settings.APPLICATION_NAME)
            results.append(measure(server.port, worker, backend_now, case))
            m = results[-1]
            print(
                f"  {case.name}: {m.answer.status} in {m.answer.seconds:.2f} s, "
                f"CPU {m.cpu_s:.3f} s, +{m.worker_mb:.0f} MB worker, "
                f"+{m.backend_mb:.0f} MB database",
                flush=True,
            )
    baseline = results[0]
    print()
    print(
        f"| endpoint (anonymous, largest accepted parameters) | answer | CPU s | memory MB "
        f"(app + database) | within {CPU_BUDGET_S:g} s / {MEMORY_BUDGET_MB:g} MB |"
    )
    print("|---|---|---|---|---|")
    over = 0
    for m in sorted(results, key=lambda r: r.cpu_s, reverse=True):
        memory = m.worker_mb + m.backend_mb
        ok = m.cpu_s <= CPU_BUDGET_S and memory <= MEMORY_BUDGET_MB
        over += not ok
        status = m.answer.status if m.answer.status is not None else "closed"
        sent = f", {m.answer.sent_bytes / MB:.0f} MB read" if m.case.length or m.case.body else ""
        print(
            f"| {m.case.method} {m.case.name} | {status}{sent} | {m.cpu_s:.3f} | "
            f"{m.worker_mb:.0f} + {m.backend_mb:.0f} | {'yes' if ok else '**NO**'} |"
        )
    print(
        f"\nworst CPU {max(r.cpu_s for r in results):.3f} s, worst memory "
        f"{max(r.worker_mb + r.backend_mb for r in results):.0f} MB | baseline "
        f"{baseline.case.name}: CPU {baseline.cpu_s:.3f} s, +{baseline.worker_mb:.0f} MB | "
        f"{over} endpoint(s) over budget"
    )


if __name__ == "__main__":
    main()
