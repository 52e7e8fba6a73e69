"""The task queue (procrastinate): what a deferred job costs the request, and how soon a worker
starts it.

    .venv/bin/python benchmarks/bench_task_queue.py [--transactions 500] [--jobs 30]

a) In the request: `--transactions` transactions that each INSERT one row (the baseline), then
   the same transactions each also deferring one job (`INSERT` into procrastinate_jobs through
   Django's connection, as report_submit does for a clip). Queue "bench-idle", which no worker
   serves, so nothing runs meanwhile. Printed: ms per transaction, both, and the difference.
b) To the worker: a real `manage.py procrastinate worker -q bench` subprocess; `--jobs` no-op
   jobs deferred one at a time (each waits for the previous to finish). The delay is read from
   the database's own event times (deferred -> started), so polling by this script adds nothing.
   (The job is the clip transcode for a clip id that does not exist: one query, then done.)
   Same run, baseline: the same worker with LISTEN/NOTIFY off (`--no-listen-notify`), i.e.
   polling every 5 s (procrastinate's default), a third as many jobs.

Runs on the benchmark database (bench_db, or BENCH_DATABASE_URL). Timings are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

ROOT = Path(__file__).resolve().parent.parent


def in_request_cost(n: int) -> tuple[float, float]:
    from django.db import connection, transaction

    from gis_core.tasks import transcode_video

    idle = transcode_video.configure(queue="bench-idle")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_tq (id bigserial PRIMARY KEY, x int)")

    def run(with_job: bool) -> float:
        start = time.perf_counter()
        for i in range(n):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_tq (x) VALUES (%s)", [i])
                if with_job:
                    idle.defer(video_id=0)
        return (time.perf_counter() - start) / n * 1000

    run(False), run(True)  # warm-up: connection, plans
    bare, deferred = run(False), run(True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_tq")
        cursor.execute("DELETE FROM procrastinate_jobs WHERE queue_name = 'bench-idle'")
    return bare, deferred


def _newest_worker() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_workers")
        return cursor.fetchone()[0]


def pickup_delays(jobs: int, *, listen: bool) -> list[float]:
    from django.db import connection

    from gis_core.tasks import transcode_video

    task = transcode_video.configure(queue="bench")  # video 0 does not exist: one query, done
    command = [sys.executable, "manage.py", "procrastinate", "worker", "-q", "bench"]
    if not listen:
        command.append("--no-listen-notify")
    env = {**os.environ, "HT_LOG_LEVEL": "WARNING"}
    before = _newest_worker()
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    ids = []
    try:
        while _newest_worker() == before:  # registered: connected (and listening)
            if worker.poll() is not None:
                raise SystemExit("the worker did not start")
            time.sleep(0.05)
        for _ in range(jobs):
            job_id = task.defer(video_id=0)
            ids.append(job_id)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
                    if cursor.fetchone()[0] in ("succeeded", "failed"):
                        break
                time.sleep(0.01)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT extract(epoch FROM s.at - d.at) * 1000
            FROM procrastinate_events d JOIN procrastinate_events s USING (job_id)
            WHERE d.type = 'deferred' AND s.type = 'started' AND d.job_id = ANY(%s)
            """,
            [ids],
        )
        delays = [float(r[0]) for r in cursor.fetchall()]
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id = ANY(%s)", [ids])
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=30)
    args = parser.parse_args()
    bench_db.setup()

    bare, deferred = in_request_cost(args.transactions)
    print(
        f"a) per transaction: INSERT {bare:.2f} ms; INSERT + deferred job {deferred:.2f} ms "
        f"(+{deferred - bare:.2f} ms for the job), {args.transactions} each"
    )
    listen = pickup_delays(args.jobs, listen=True)
    poll = pickup_delays(max(args.jobs // 3, 3), listen=False)
    for name, values in (("LISTEN/NOTIFY", listen), ("polling (baseline)", poll)):
        print(
            f"b) deferred -> started, {name}: median {statistics.median(values):.0f} ms, "
            f"max {max(values):.0f} ms over {len(values)} jobs"
        )


if __name__ == "__main__":
    main()
