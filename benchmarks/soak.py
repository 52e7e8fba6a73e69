"""Soak and fault run (issue 5): nothing acknowledged is lost, nothing refused is stored.

For --duration seconds (default 600) client threads send, at a steady total rate, report
submissions (a third with a photo, one in twenty deliberately invalid), ward lookups and map
reads (heatmap, tiles, report list) to gunicorn on loopback, on the benchmark database. With
--faults, during the run: PostgreSQL is restarted (at 25 %), a gunicorn worker is killed with
SIGKILL (at 50 %), and the upload folder's quota is filled (at 70 %, freed at 85 %).

Afterwards every submission that got no acknowledgement (a 503, a dropped connection) is
retried with its idempotency key until acknowledged, and the database is checked: every
acknowledged key is stored exactly once, in the ward its point lies in; no refused key is
stored. Prints the rate held, the error rate, p99 per kind of request, and the tally.

    .venv/bin/python benchmarks/soak.py --duration 600 --rate 150 --faults

Run it alone: it restarts the project's PostgreSQL cluster (scripts/pg.sh) when --faults.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import bench_db  # sets up Django on the benchmark database

SETTINGS = "benchmarks.soak_settings"
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS

import numpy as np  # noqa: E402
import requests  # noqa: E402
from PIL import Image  # noqa: E402

from benchmarks.gunicorn_runner import gunicorn_server  # noqa: E402

ROOT = bench_db.ROOT
KINDS = ("submit", "submit_photo", "invalid", "lookup", "heat", "tile", "list")
WEIGHTS = (30, 12, 3, 25, 10, 12, 8)


@dataclass
class Attempt:
    key: str
    payload: dict
    photo: bytes | None
    ward: str
    outcome: str = "unacked"  # acked | refused | unacked


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    attempts: list = field(default_factory=list)

    def record(self, kind: str, status: int | str, ms: float) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if isinstance(status, int) and status < 500:
                self.latencies[kind].append(ms)


def photo_bytes(seed: int) -> bytes:
    image = Image.new("RGB", (64, 48), (seed * 37 % 256, seed * 91 % 256, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def ward_points() -> list[tuple[float, float, str]]:
    """Points well inside today's wards (the 2025 units), with their codes."""
    import json

    import shapely
    from shapely.geometry import shape

    data = json.loads(
        (ROOT / "data" / "mong_cai" / "mong_cai_wards_2025_derived.geojson").read_text()
    )
    rng = np.random.default_rng(11)
    points = []
    for feature in data["features"]:
        geom = shape(feature["geometry"])
        inner = geom.buffer(-0.003)  # away from the edges: the expected ward is certain
        if inner.is_empty:
            inner = geom
        shapely.prepare(inner)
        minx, miny, maxx, maxy = inner.bounds
        found = 0
        while found < 40:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.contains_xy(inner, x, y):
                points.append((float(x), float(y), feature["properties"]["ward_code"]))
                found += 1
    return points


UNEXPECTED: list[str] = []  # bodies of refusals of valid submissions, for the report


def submit(session: requests.Session, url: str, attempt: Attempt, timeout: float = 10) -> int:
    if attempt.photo is not None:
        files = {"photos": ("anh.jpg", attempt.photo, "image/jpeg")}
        response = session.post(
            f"{url}/api/v1/reports/", data=attempt.payload, files=files, timeout=timeout
        )
    else:
        response = session.post(f"{url}/api/v1/reports/", json=attempt.payload, timeout=timeout)
    valid = attempt.payload["category"] != "no_such_category"
    if valid and 400 <= response.status_code < 500 and len(UNEXPECTED) < 10:
        UNEXPECTED.append(f"{response.status_code} {response.text[:300]}")
    return response.status_code


def client(url: str, tally: Tally, stop: float, interval: float, points, tag: str, n: int) -> None:
    rng = random.Random(n)
    session = requests.Session()
    counter = 0
    next_at = time.monotonic()
    while time.monotonic() < stop:
        next_at += interval
        kind = rng.choices(KINDS, WEIGHTS)[0]
        lon, lat, ward = rng.choice(points)
        start = time.perf_counter()
        status: int | str
        try:
            if kind in ("submit", "submit_photo", "invalid"):
                counter += 1
                attempt = Attempt(
                    key=f"soak-{tag}-{n}-{counter}",
                    payload={
                        "category": "no_such_category" if kind == "invalid" else "moi_truong",
                        "description": f"Soak {tag} {n} {counter}",
                        "lon": lon,
                        "lat": lat,
                        "idempotency_key": f"soak-{tag}-{n}-{counter}",
                    },
                    photo=photo_bytes(counter) if kind == "submit_photo" else None,
                    ward=ward,
                )
                with tally.lock:
                    tally.attempts.append(attempt)
                status = submit(session, url, attempt)
                if status in (200, 201):
                    attempt.outcome = "acked"
                elif status == 400:
                    attempt.outcome = "refused"
            elif kind == "lookup":
                status = session.get(
                    f"{url}/api/v1/wards/lookup/", params={"lon": lon, "lat": lat}, timeout=10
                ).status_code
            elif kind == "heat":
                status = session.get(
                    f"{url}/api/v1/reports/heat/", params={"zoom": 12}, timeout=10
                ).status_code
            elif kind == "tile":
                z = 13
                x = int((lon + 180) / 360 * 2**z)
                y = int((1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * 2**z)
                status = session.get(f"{url}/tiles/reports/{z}/{x}/{y}.pbf", timeout=10).status_code
            else:
                bbox = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
                status = session.get(
                    f"{url}/api/v1/reports/", params={"bbox": bbox, "page_size": 50}, timeout=10
                ).status_code
        except requests.RequestException as exc:
            status = type(exc).__name__
            session = requests.Session()
        tally.record(kind, status, (time.perf_counter() - start) * 1000)
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def run_load(
    url: str,
    tally: Tally,
    *,
    duration: float,
    rate: float,
    clients: int,
    points,
    tag: str,
    beside=(),
) -> float:
    """`clients` client threads at `rate` requests/s in total for `duration` seconds, with
    `beside` (functions of (started, stop_at): the fault schedules) in threads of their own;
    returns the seconds it took."""
    started = time.monotonic()
    stop_at = started + duration
    interval = clients / rate
    threads = [
        threading.Thread(target=client, args=(url, tally, stop_at, interval, points, tag, n))
        for n in range(clients)
    ]
    threads += [threading.Thread(target=task, args=(started, stop_at)) for task in beside]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def gunicorn_workers(master_pid: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in out.stdout.split()]


def faults(server, stop_at: float, duration: float, media_root: Path, log: list) -> None:
    """The fault schedule, as a thread: each fault at its share of the run."""
    start = stop_at - duration

    def wait_until(share: float) -> bool:
        while time.monotonic() < start + share * duration:
            if time.monotonic() >= stop_at:
                return False
            time.sleep(0.2)
        return True

    if wait_until(0.25):
        t0 = time.monotonic()
        env = {**os.environ}
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "pg.sh"), "stop"],
            env=env,
            check=True,
            capture_output=True,
        )
        time.sleep(3)  # down for a few seconds: clients see it
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "pg.sh"), "start"],
            env=env,
            check=True,
            capture_output=True,
        )
        log.append(f"PostgreSQL stopped and started again ({time.monotonic() - t0:.1f} s down)")
    if wait_until(0.5):
        workers = gunicorn_workers(server.pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            log.append(f"gunicorn worker {workers[0]} killed with SIGKILL")
    if wait_until(0.7):
        junk = media_root / "reports" / "soak-quota-filler.bin"  # counted like photos
        junk.parent.mkdir(parents=True, exist_ok=True)
        quota = int(os.environ["HT_MEDIA_QUOTA_BYTES"])
        with open(junk, "wb") as handle:
            handle.truncate(quota)  # a sparse file whose size fills the quota
        log.append(f"upload quota filled ({quota:,} bytes)")
        if wait_until(0.85):
            junk.unlink()
            log.append("upload quota freed")


def retry_unacked(url: str, attempts: list[Attempt], deadline_s: float = 120) -> int:
    session = requests.Session()
    retried = 0
    deadline = time.monotonic() + deadline_s
    for attempt in attempts:
        if attempt.outcome != "unacked":
            continue
        retried += 1
        while time.monotonic() < deadline:
            try:
                status = submit(session, url, attempt)
            except requests.RequestException:
                time.sleep(0.5)
                continue
            if status in (200, 201):
                attempt.outcome = "acked"
                break
            if status == 400:
                attempt.outcome = "refused"
                break
            time.sleep(0.5)
    return retried


def check_database(attempts: list[Attempt]) -> dict:
    from django.db import connection

    acked = {a.key: a for a in attempts if a.outcome == "acked"}
    refused = {a.key for a in attempts if a.outcome == "refused"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.idempotency_key, count(*), min(w.code), count(p.id) "
            "FROM gis_core_report r LEFT JOIN ward_boundaries_ward w ON w.id = r.ward_id "
            "LEFT JOIN gis_core_reportphoto p ON p.report_id = r.id "
            "WHERE r.idempotency_key = ANY(%s) GROUP BY 1",
            [[a.key for a in attempts]],
        )
        rows = {key: (n, ward, photos) for key, n, ward, photos in cursor.fetchall()}
    return {
        "acked": len(acked),
        "stored_once": sum(1 for k in acked if rows.get(k, (0,))[0] == 1),
        "missing": sum(1 for k in acked if k not in rows),
        "duplicated": sum(1 for k in acked if rows.get(k, (0,))[0] > 1),
        "wrong_ward": sum(1 for k, a in acked.items() if k in rows and rows[k][1] != a.ward),
        "photo_missing": sum(
            1 for k, a in acked.items() if a.photo is not None and k in rows and rows[k][2] < 1
        ),
        "refused": len(refused),
        "refused_but_stored": sum(1 for k in refused if k in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600)
    parser.add_argument("--rate", type=float, default=150, help="requests/s in total")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args()

    url = bench_db.setup(SETTINGS)
    media_root = Path(tempfile.mkdtemp(prefix="ht-soak-media-"))
    quota = 64 * 1024 * 1024
    os.environ["HT_MEDIA_QUOTA_BYTES"] = str(quota)
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "HT_MEDIA_ROOT": str(media_root),
        "HT_MEDIA_QUOTA_BYTES": str(quota),
        "HT_SUBMIT_LIMIT_PER_IP": "off",  # all the load comes from one loopback address
    }
    points = ward_points()
    tag = uuid.uuid4().hex[:8]
    tally = Tally()
    fault_log: list[str] = []
    with gunicorn_server(env=env, workers=args.workers) as server:
        print(
            f"{server.description} on {server.url}; {args.rate:g} req/s for {args.duration} s"
            f"{' with faults' if args.faults else ''}",
            flush=True,
        )
        faulty = [
            lambda _started, stop_at: faults(server, stop_at, args.duration, media_root, fault_log)
        ]
        elapsed = run_load(
            server.url,
            tally,
            duration=args.duration,
            rate=args.rate,
            clients=args.clients,
            points=points,
            tag=tag,
            beside=faulty if args.faults else (),
        )
        unacked_before = sum(1 for a in tally.attempts if a.outcome == "unacked")
        retried = retry_unacked(server.url, tally.attempts)

    from django.db import connections

    connections.close_all()
    result = check_database(tally.attempts)
    shutil.rmtree(media_root, ignore_errors=True)

    total = sum(tally.statuses.values())
    by_status = Counter()
    for (_kind, status), n in tally.statuses.items():
        by_status[status] += n
    server_errors = sum(n for s, n in by_status.items() if isinstance(s, int) and s >= 500)
    not_503 = sum(n for s, n in by_status.items() if isinstance(s, int) and s >= 500 and s != 503)
    dropped = sum(n for s, n in by_status.items() if not isinstance(s, int))
    print(f"requests: {total:,} in {elapsed:.0f} s = {total / elapsed:,.1f} req/s held")
    print("statuses: " + ", ".join(f"{s}: {n:,}" for s, n in sorted(by_status.items(), key=str)))
    print(
        f"error rate: {100 * (server_errors + dropped) / max(total, 1):.2f} % "
        f"(503 retryable: {by_status.get(503, 0):,}, other 5xx: {not_503:,}, "
        f"connection errors: {dropped:,})"
    )
    for kind in KINDS:
        samples = tally.latencies.get(kind)
        if samples:
            print(
                f"  {kind:13s} n={len(samples):6,}  p50 {np.percentile(samples, 50):7.1f} ms"
                f"  p99 {np.percentile(samples, 99):7.1f} ms"
            )
    for line in fault_log:
        print(f"fault: {line}")
    for line in UNEXPECTED:
        print(f"a valid submission refused: {line}")
    print(
        f"submissions: {len(tally.attempts):,} sent; {unacked_before:,} unacknowledged during "
        f"the run, {retried:,} retried with their idempotency keys"
    )
    ok = (
        result["stored_once"] == result["acked"]
        and result["wrong_ward"] == 0
        and result["refused_but_stored"] == 0
        and result["photo_missing"] == 0
        and not_503 == 0
    )
    print(
        f"tally: acknowledged {result['acked']:,}, stored exactly once {result['stored_once']:,}, "
        f"missing {result['missing']}, duplicated {result['duplicated']}, wrong ward "
        f"{result['wrong_ward']}, photo missing {result['photo_missing']}; refused "
        f"{result['refused']:,}, refused but stored {result['refused_but_stored']} "
        f"=> {'PASS' if ok else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
