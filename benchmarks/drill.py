"""The several-servers drill (issue 15): two app servers behind HAProxy, over a primary, a
streaming read replica and a shared Redis, under the soak's mixed load, while one app server
is killed and restarted and the replica is stopped and started.

Everything is real and started here, on its own ports and folders (var/drill): a PostgreSQL
primary and its replica (scripts/pg.sh, HT_PG_PORT=25480), Redis (scripts/redis.sh, port
26383), two gunicorns (HT_CACHE=redis, DATABASE_REPLICA_URL, shared media folders) and HAProxy
(health checks on /healthz, a connection that fails is retried on the other server). The
clients are soak.py's: submissions (a third with a photo, some invalid, each with its
idempotency key), ward lookups, heat, tiles and lists.

Phases, by share of --duration (default 600 s):

    steady         0 - 20 %
    app down      20 - 35 %   one gunicorn killed with SIGKILL (master and workers)
    app back      35 - 50 %   restarted on the same port; HAProxy takes it back
    replica down  50 - 65 %   the replica stopped (fast shutdown)
    replica back  65 - 100 %  started again; it catches up and serves again

Afterwards unacknowledged submissions are retried with their keys, as the phones' queue does,
and the primary is checked: every acknowledged report stored exactly once, in its ward. Prints
requests, errors by kind and p50/p99 per phase, the steady phase being the baseline, whether
the replica and Redis really served, and the tally; writes benchmarks/out/drill.json.

    .venv/bin/python benchmarks/drill.py --duration 600 --rate 60
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import soak  # sets up the benchmark client code (and bench_db's path)

from benchmarks.gunicorn_runner import GUNICORN, _answers, _stop, free_port

ROOT = soak.ROOT
DRILL = ROOT / "var" / "drill"
PRIMARY_PORT = 25480
REPLICA_PORT = 25481
REDIS_PORT = 26383
DB = "hientruong_drill"
PHASES = (
    ("steady", 0.0),
    ("app down", 0.20),
    ("app back", 0.35),
    ("replica down", 0.50),
    ("replica back", 0.65),
)


def pg_env() -> dict[str, str]:
    return {
        **os.environ,
        "HT_PG_PORT": str(PRIMARY_PORT),
        "HT_PG_REPLICA_PORT": str(REPLICA_PORT),
        "HT_PG_DATA": str(DRILL / "pg"),
        "HT_PG_DB": DB,
        "HT_REDIS_PORT": str(REDIS_PORT),
    }


def script(name: str, *args: str) -> str:
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode not in (0, 3):
        raise RuntimeError(f"scripts/{name} {' '.join(args)}: {done.stderr}")
    return done.stdout.strip()


class PhasedTally(soak.Tally):
    """soak's tally, with every answer also counted in the phase it came in."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = PHASES[0][0]
        self.by_phase: dict[str, Counter] = defaultdict(Counter)
        self.phase_latency: dict[str, list[float]] = defaultdict(list)
        # The replica's rows returned (pg_stat_database) at moments of the run: its own proof
        # that it served reads.
        self.replica_rows: list[tuple[str, int]] = []

    def record(self, kind: str, status: int | str, ms: float) -> None:
        super().record(kind, status, ms)
        with self.lock:
            self.by_phase[self.phase][status] += 1
            if isinstance(status, int) and status < 500:
                self.phase_latency[self.phase].append(ms)


class AppServer:
    """One gunicorn on a fixed port (so HAProxy finds it again after a restart)."""

    def __init__(self, name: str, env: dict[str, str], workers: int) -> None:
        self.name, self.env, self.workers = name, env, workers
        self.port = free_port()
        self.log = DRILL / f"gunicorn-{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, ready_timeout_s: float = 60) -> None:
        args = [
            str(GUNICORN),
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--graceful-timeout", "5",
            "--timeout", "60",
            "--chdir", str(ROOT),
            "--no-control-socket",
            "config.wsgi:application",
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                args,
                cwd=ROOT,
                env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_timeout_s
        while not _answers(f"http://127.0.0.1:{self.port}/healthz"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {self.name} did not start; see {self.log}")
            time.sleep(0.2)

    def kill(self) -> None:
        """A crash: SIGKILL to the master and every worker at once."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)


HAPROXY_CFG = """
global
    maxconn 4096
    log stdout format raw local0
defaults
    mode http
    # Only answers of 500 and more are logged (the drill's errors, with HAProxy's reason).
    log global
    option httplog
    option dontlog-normal
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # Requests wait in HAProxy's queue, not in a busy gunicorn's backlog ...
    timeout queue 30s
    # ... so a health check waits behind at most the requests being served; a slow answer
    # under load is not a dead server.
    timeout check 5s
    # Each retry goes to another server: with leastconn a dead server, holding no
    # connections, would otherwise be chosen again and again.
    retries 3
    option redispatch 1
    # A request that never reached a server, or got nothing back, is tried on the other one
    # (submissions carry idempotency keys, so a second try cannot store twice).
    retry-on conn-failure empty-response
frontend web
    bind 127.0.0.1:{front}
    default_backend app
backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    # maxconn: one request per sync gunicorn worker at a time. A refused connection in live
    # traffic takes the server out at once, before its health checks notice.
    default-server inter 1s fall 3 rise 2 maxconn {workers}
{servers}
"""


OBSERVE = "observe layer4 error-limit 1 on-error mark-down"


def start_haproxy(servers: list[AppServer], workers: int) -> tuple[subprocess.Popen, str]:
    front = free_port()
    lines = "\n".join(f"    server {s.name} 127.0.0.1:{s.port} check {OBSERVE}" for s in servers)
    cfg = DRILL / "haproxy.cfg"
    text = HAPROXY_CFG.format(front=front, servers=lines, workers=workers)
    cfg.write_text(text, encoding="utf-8")
    proc = subprocess.Popen(
        ["haproxy", "-db", "-f", str(cfg)],
        stdout=open(DRILL / "haproxy.log", "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{front}"
    deadline = time.monotonic() + 30
    while not _answers(url + "/healthz"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"HAProxy did not start; see {DRILL / 'haproxy.log'}")
        time.sleep(0.2)
    return proc, url


def schedule(tally: PhasedTally, duration: float, started: float, app: AppServer, log: list):
    """The faults, as a thread, each at its share of the run."""

    def at(share: float) -> None:
        while time.monotonic() < started + share * duration:
            time.sleep(0.1)

    actions = {
        "app down": lambda: app.kill(),
        "app back": lambda: app.start(),
        "replica down": lambda: script("pg.sh", "replica", "stop"),
        "replica back": lambda: script("pg.sh", "replica", "start"),
    }
    for name, share in PHASES[1:]:
        at(share)
        if name == "replica down":
            tally.replica_rows.append(("before it stopped", replica_rows_returned(REPLICA_PORT)))
        tally.phase = name
        t0 = time.monotonic()
        actions[name]()
        log.append(f"{time.monotonic() - started:6.1f} s  {name} ({time.monotonic() - t0:.1f} s)")


def replica_rows_returned(port: int) -> int:
    import psycopg2

    try:
        with psycopg2.connect(host="127.0.0.1", port=port, user="hientruong", dbname=DB) as c:
            with c.cursor() as cursor:
                cursor.execute(
                    "SELECT tup_returned FROM pg_stat_database WHERE datname = current_database()"
                )
                return int(cursor.fetchone()[0])
    except psycopg2.Error:
        return -1


def redis_keys() -> int:
    info = script("redis.sh", "cli", "info", "keyspace")
    return sum(
        int(part.split("=")[1])
        for line in info.splitlines()
        if line.startswith("db")
        for part in line.split(":")[1].split(",")
        if part.startswith("keys=")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600)
    parser.add_argument("--rate", type=float, default=60, help="requests/s in total")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    args = parser.parse_args()

    # Fresh clusters of the drill's own: the primary first (migrated, wards loaded), then its
    # replica copied from it.
    script("pg.sh", "replica", "stop")
    script("pg.sh", "stop")
    shutil.rmtree(DRILL, ignore_errors=True)
    DRILL.mkdir(parents=True)
    script("pg.sh", "start")
    primary = f"postgis://hientruong@127.0.0.1:{PRIMARY_PORT}/{DB}"
    os.environ["BENCH_DATABASE_URL"] = primary
    soak.bench_db.setup(soak.SETTINGS)
    script("pg.sh", "replica", "start")
    script("redis.sh", "start")
    media = Path(tempfile.mkdtemp(prefix="ht-drill-media-"))
    private = Path(tempfile.mkdtemp(prefix="ht-drill-private-"))
    env = {
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URL": f"postgis://hientruong@127.0.0.1:{REPLICA_PORT}/{DB}",
        "HT_CACHE": "redis",
        "HT_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}",
        "DJANGO_SETTINGS_MODULE": soak.SETTINGS,
        "DJANGO_DEBUG": "0",
        # Both servers write and read the same media folders, as a shared mount would give.
        "HT_MEDIA_ROOT": str(media),
        "HT_PRIVATE_MEDIA_ROOT": str(private),
        "HT_SUBMIT_LIMIT_PER_IP": "off",  # all the load comes from one loopback address
    }
    servers = [AppServer(name, env, args.workers) for name in ("a", "b")]
    haproxy = None
    try:
        for server in servers:
            server.start()
        haproxy, url = start_haproxy(servers, args.workers)
        keys_before = redis_keys()
        points = soak.ward_points()
        tag = uuid.uuid4().hex[:8]
        tally = PhasedTally()
        tally.replica_rows.append(("at the start", replica_rows_returned(REPLICA_PORT)))
        log: list[str] = []
        print(
            f"two gunicorns x {args.workers} workers behind HAProxy on {url}, primary "
            f"{PRIMARY_PORT} + replica {REPLICA_PORT} + Redis {REDIS_PORT}; "
            f"{args.rate:g} req/s for {args.duration} s",
            flush=True,
        )
        elapsed = soak.run_load(
            url,
            tally,
            duration=args.duration,
            rate=args.rate,
            clients=args.clients,
            points=points,
            tag=tag,
            beside=[
                lambda started, _stop_at: schedule(tally, args.duration, started, servers[0], log)
            ],
        )
        tally.replica_rows.append(("at the end", replica_rows_returned(REPLICA_PORT)))
        keys_after = redis_keys()
        unacked = sum(1 for a in tally.attempts if a.outcome == "unacked")
        retried = soak.retry_unacked(url, tally.attempts)
    finally:
        if haproxy is not None:
            _stop(haproxy)
        for server in servers:
            server.stop()

    from django.db import connections

    connections.close_all()
    result = soak.check_database(tally.attempts)
    report(tally, log, elapsed, result, unacked, retried, args)
    rows = ", ".join(f"{when} {n:,}" for when, n in tally.replica_rows)
    print(f"rows returned by the replica (pg_stat_database there): {rows}")
    print(f"keys in Redis: {keys_before:,} before the load, {keys_after:,} after")
    script("pg.sh", "replica", "stop")
    script("pg.sh", "stop")
    script("redis.sh", "stop")
    shutil.rmtree(media, ignore_errors=True)
    shutil.rmtree(private, ignore_errors=True)


def report(tally: PhasedTally, log, elapsed, result, unacked, retried, args) -> None:
    import numpy as np

    total = sum(tally.statuses.values())
    print(f"requests: {total:,} in {elapsed:.0f} s = {total / elapsed:,.1f} req/s held")
    for line in log:
        print(f"  fault at {line}")
    phases = []
    for name, _share in PHASES:
        statuses = tally.by_phase.get(name, Counter())
        latency = tally.phase_latency.get(name, [])
        n = sum(statuses.values())
        errors = {str(s): c for s, c in statuses.items() if not isinstance(s, int) or s >= 500}
        row = {
            "phase": name,
            "requests": n,
            "errors": errors,
            "error_pct": 100 * sum(errors.values()) / max(n, 1),
            "p50_ms": float(np.percentile(latency, 50)) if latency else None,
            "p99_ms": float(np.percentile(latency, 99)) if latency else None,
        }
        phases.append(row)
        p99 = f"{row['p99_ms']:7.1f}" if row["p99_ms"] is not None else "      -"
        p50 = f"{row['p50_ms']:6.1f}" if row["p50_ms"] is not None else "     -"
        print(
            f"  {name:13s} requests {n:6,}  errors {row['error_pct']:5.2f} % "
            f"{errors or ''}  p50 {p50} ms  p99 {p99} ms"
        )
    steady = phases[0]["p99_ms"] or 0
    for row in phases[1:]:
        if row["p99_ms"] and steady:
            print(f"  {row['phase']:13s} p99 {row['p99_ms'] / steady:.2f}x the steady phase's")
    ok = (
        result["stored_once"] == result["acked"]
        and result["wrong_ward"] == 0
        and result["refused_but_stored"] == 0
        and result["photo_missing"] == 0
    )
    print(
        f"submissions: {len(tally.attempts):,} sent, {unacked:,} unacknowledged during the run, "
        f"{retried:,} retried with their keys"
    )
    print(
        f"tally: acknowledged {result['acked']:,}, stored exactly once {result['stored_once']:,}, "
        f"missing {result['missing']}, duplicated {result['duplicated']}, wrong ward "
        f"{result['wrong_ward']}, photo missing {result['photo_missing']}; refused "
        f"{result['refused']:,}, refused but stored {result['refused_but_stored']} "
        f"=> {'PASS' if ok else 'FAIL'}"
    )
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "drill.json").write_text(
        json.dumps(
            {"duration_s": args.duration, "rate": args.rate, "phases": phases, "tally": result},
            indent=1,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
