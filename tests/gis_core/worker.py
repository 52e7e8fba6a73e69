"""The real task worker (`manage.py procrastinate worker`) as a subprocess, on the test database.

`procrastinate_worker` starts it with the test run's database (DATABASE_URL names the test
database pytest-django created) and media folders, waits until it has registered itself in
`procrastinate_workers`, and stops it (SIGTERM, then SIGKILL) afterwards. It needs
`transactional_db`: the worker is another process and sees committed rows only.
`wait_for(condition)` polls with a deadline instead of sleeping a fixed time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30


def wait_for(condition: Callable[[], object], *, timeout: float = 30, what: str = "condition"):
    """Polls `condition` until it returns something truthy (returned), or fails at the deadline."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


def defer_periodic_now(task) -> None:
    """Queues a periodic task by hand instead of waiting for its schedule. A task with a
    queueing lock may already be queued by the worker's own scheduler (its minute came while
    the test ran): that job does the same work, so AlreadyEnqueued is not a failure."""
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        task.defer(timestamp=0)
    except AlreadyEnqueued:
        pass


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or "5432"
    return f"postgis://{auth}@{host}:{port}/{s['NAME']}"


def _newest_worker_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_workers")
        return cursor.fetchone()[0]


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-5000:]

    def alive(self) -> bool:
        return self.process.poll() is None


@pytest.fixture
def sms_files(tmp_path, monkeypatch) -> Path:
    """Where a worker subprocess started after this fixture writes its SMS, one file each
    (the in-process locmem outbox cannot see another process's messages)."""
    folder = tmp_path / "sms"
    monkeypatch.setenv("HT_TEST_SMS_BACKEND", "gis_core.sms.FileSmsBackend")
    monkeypatch.setenv("HT_TEST_SMS_DIR", str(folder))
    return folder


@pytest.fixture
def mail_files(tmp_path, monkeypatch) -> Path:
    """Where a worker subprocess started after this fixture writes its e-mail (file backend)."""
    folder = tmp_path / "mail"
    monkeypatch.setenv("HT_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    monkeypatch.setenv("HT_TEST_MAIL_DIR", str(folder))
    return folder


@pytest.fixture
def procrastinate_worker(transactional_db, tmp_path) -> Worker:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "HT_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "HT_TEST_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "HT_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    before = _newest_worker_id()
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--delete-jobs", "never"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    worker = Worker(process, log)
    try:
        wait_for(
            lambda: _newest_worker_id() > before or not worker.alive(),
            timeout=START_TIMEOUT_S,
            what="the worker to register",
        )
        assert worker.alive(), f"the worker stopped at start:\n{worker.output()}"
        yield worker
    finally:
        if worker.alive():
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
