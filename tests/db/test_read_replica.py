"""A real primary and a real streaming replica (scripts/pg.sh and its `replica` commands),
with gunicorn serving over both (DATABASE_REPLICA_URL): public reads come from the replica,
a writer reads its own writes, a replica that falls behind or stops is skipped, and it is used
again once it is back. Nothing is mocked: lag is made by pausing the replica's replay."""

from __future__ import annotations

import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg2
import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
WARDS_2025 = ROOT / "data" / "mong_cai" / "mong_cai_wards_2025_derived.geojson"
# The tests' own pair of clusters, away from the project's 25432.
PRIMARY_PORT = 25470
REPLICA_PORT = 25471
DB = "hientruong_replica_test"
DATA = ROOT / "var" / "pgtest-replication"
MAX_LAG_S = 4
SPOT = (107.97, 21.53)


def pg_env() -> dict[str, str]:
    return {
        **os.environ,
        "HT_PG_PORT": str(PRIMARY_PORT),
        "HT_PG_REPLICA_PORT": str(REPLICA_PORT),
        "HT_PG_DATA": str(DATA),
        "HT_PG_DB": DB,
    }


def pg(*args: str) -> str:
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg.sh"), *args],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode in (0, 3), done.stdout + done.stderr
    return done.stdout.strip()


def sql(port: int, query: str) -> list[tuple]:
    with psycopg2.connect(host="127.0.0.1", port=port, user="hientruong", dbname=DB) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall() if cursor.description else []


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> object:
    """Polls `condition` until it is truthy (no fixed sleep stands in for a state)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remove_clusters() -> None:
    pg("replica", "stop")
    pg("stop")
    shutil.rmtree(DATA, ignore_errors=True)
    shutil.rmtree(Path(f"{DATA}-replica"), ignore_errors=True)


class Client:
    """A phone's browser: keeps its cookies (the read-your-writes one among them)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(  # noqa: S310 - the test's own local server
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def report_ids(self) -> set[str]:
        status, body = self.request("GET", "/api/v1/reports/?page_size=100")
        assert status == 200, body
        return {f["properties"]["id"] for f in body["features"]}

    def submit(self, description: str) -> str:
        status, body = self.request(
            "POST",
            "/api/v1/reports/",
            {"category": "khac", "description": description, "lon": SPOT[0], "lat": SPOT[1]},
        )
        assert status == 201, body
        return body["properties"]["id"] if "properties" in body else body["id"]


@pytest.fixture(scope="module")
def served_over_a_replica():
    remove_clusters()
    pg("start")
    primary_url = f"postgis://hientruong@127.0.0.1:{PRIMARY_PORT}/{DB}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": primary_url,
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "import_wards", str(WARDS_2025), "--version", "mong-cai-2025",
         "--valid-from", "2025-07-01"],
        env=env, check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    pg("replica", "start")
    port = free_port()
    server_env = {
        **env,
        "DATABASE_REPLICA_URL": f"postgis://hientruong@127.0.0.1:{REPLICA_PORT}/{DB}",
        "HT_REPLICA_MAX_LAG_S": str(MAX_LAG_S),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # One worker: its measurement of the lag is the one every request meets.
        "WEB_CONCURRENCY": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "HT_FIELD_KEYS": Fernet.generate_key().decode(),
        "HT_PHONE_HASH_KEY": secrets.token_urlsafe(32),
        "HT_SUBMIT_LIMIT_PER_IP": "off",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        env=server_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            return Client(base).request("GET", "/healthz")[1].get("replica") == "ok"
        except OSError:
            return False

    try:
        wait_for(healthy, "gunicorn answering with the replica in use", timeout=90)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        remove_clusters()


def test_public_reads_come_from_the_replica_and_a_writer_reads_its_own(served_over_a_replica):
    base = served_over_a_replica
    citizen, passer_by = Client(base), Client(base)
    first = citizen.submit("Cống thoát nước bị tắc trước chợ")
    # The writer's reads stay on the primary: the report just sent is in the list at once.
    assert "ht_rw" in {c.name for c in citizen.jar}
    assert first in citizen.report_ids()
    wait_for(lambda: first in passer_by.report_ids(), "the report to reach the replica")

    # Lag, made real: the replica stops replaying; a new report is written on the primary.
    sql(REPLICA_PORT, "SELECT pg_wal_replay_pause()")
    wait_for(
        lambda: sql(REPLICA_PORT, "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused",
        "the replay to pause",
    )
    passer_by.report_ids()  # the server measures the replica now, before the write
    second = citizen.submit("Rác đổ trộm ven đường")
    try:
        # Anonymous readers are answered by the replica (within its lag bound): not there yet.
        assert second not in passer_by.report_ids()
        assert Client(base).request("GET", "/healthz")[1]["replica"] == "ok"
        # The writer reads from the primary.
        assert second in citizen.report_ids()
        # Once the replica is further behind than the bound, everyone reads the primary.
        wait_for(lambda: second in passer_by.report_ids(), "the fallback to the primary")
        assert Client(base).request("GET", "/healthz")[1]["replica"] == "behind"
    finally:
        sql(REPLICA_PORT, "SELECT pg_wal_replay_resume()")
    wait_for(
        lambda: Client(base).request("GET", "/healthz")[1].get("replica") == "ok",
        "the replica to be used again once it caught up",
    )
    assert second in passer_by.report_ids()


def test_a_stopped_replica_is_skipped_and_used_again_when_back(served_over_a_replica):
    base = served_over_a_replica
    citizen, passer_by = Client(base), Client(base)
    before = citizen.submit("Đèn đường hỏng")
    wait_for(lambda: before in passer_by.report_ids(), "the report to reach the replica")
    tile = "/tiles/reports/12/3324/1797.pbf"
    pg("replica", "stop")
    assert pg("replica", "status") == "stopped"
    try:
        # Every public read is answered, from the primary, with nothing missing.
        assert before in passer_by.report_ids()
        with urllib.request.urlopen(base + tile, timeout=30) as response:  # noqa: S310
            assert response.status == 200
        during = citizen.submit("Cây đổ chắn đường")
        assert during in Client(base).report_ids()
        assert Client(base).request("GET", "/healthz")[1]["replica"] == "unavailable"
    finally:
        pg("replica", "start")
    wait_for(
        lambda: Client(base).request("GET", "/healthz")[1].get("replica") == "ok",
        "the replica to be used again",
    )
    # It caught up on what was written while it was down.
    assert during in passer_by.report_ids()
