"""HT_CACHE=redis: the caches on the project's own Redis (scripts/redis.sh), shared by every
process that uses them, and pages still served, from the database, while Redis is down."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from config.settings.caches import (
    TEST_REDIS_DB_OFFSET,
    cache_mode,
    cache_settings,
)
from tests.layers.factories import make_many_reports
from tests.tile_math import tile_xy

ROOT = Path(__file__).resolve().parents[2]
# The tests' own instances, away from a demo's 26379: one shared, one they stop and start.
SHARED_PORT = 26380
OUTAGE_PORT = 26381
SPOT = (107.97, 21.53)


def redis_script(port: int, *args: str) -> str:
    env = {**os.environ, "HT_REDIS_PORT": str(port)}
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "redis.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode in (0, 3), done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="session")
def shared_redis():
    redis_script(SHARED_PORT, "start")
    yield f"redis://127.0.0.1:{SHARED_PORT}"
    redis_script(SHARED_PORT, "stop")


def redis_caches(url: str, monkeypatch) -> dict:
    monkeypatch.setenv("HT_REDIS_URL", url)
    return cache_settings(var_dir=ROOT / "var", mode="redis", db_offset=TEST_REDIS_DB_OFFSET)


def tile_keys(url: str) -> list[str]:
    client = redis.Redis.from_url(f"{url}/{1 + TEST_REDIS_DB_OFFSET}")
    return sorted(k.decode() for k in client.keys("ht:*:tile:*"))


def test_the_mode_comes_from_ht_cache(monkeypatch):
    monkeypatch.setenv("HT_CACHE", "redis")
    assert cache_mode() == "redis"
    monkeypatch.setenv("HT_CACHE", "")
    assert cache_mode() == "file"
    monkeypatch.setenv("HT_CACHE", "memcached")
    with pytest.raises(ValueError, match="HT_CACHE must be one of file, redis"):
        cache_mode()


@pytest.mark.django_db
def test_a_tile_cached_by_one_process_is_read_by_another(shared_redis, monkeypatch):
    """Two app servers behind one balancer: what one encodes, the other serves."""
    make_many_reports()
    caches = redis_caches(shared_redis, monkeypatch)
    z, (x, y) = 12, tile_xy(*SPOT, 12)
    with override_settings(CACHES=caches, CACHE_MODE="redis"):
        from django.core.cache import caches as handler

        handler["tiles"].clear()
        response = APIClient().get(reverse("tiles:reports", args=[z, x, y]))
        assert response.status_code == 200 and response.content
        keys = tile_keys(shared_redis)
        assert len(keys) == 1
        key = keys[0].split(":", 2)[2]  # Django's KEY_PREFIX:version: taken off
    # Another process with HT_CACHE=redis reads the same bytes from Redis.
    reader = (
        "import django, json, sys; django.setup();"
        "from django.core.cache import caches;"
        "data = caches['tiles'].get(sys.argv[1]);"
        "print(json.dumps(None if data is None else data.hex()))"
    )
    env = {
        **os.environ,
        "HT_CACHE": "redis",
        "HT_REDIS_URL": shared_redis,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "-c", reader, key],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert bytes.fromhex(json.loads(done.stdout.strip().splitlines()[-1])) == response.content


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(monkeypatch, caplog):
    make_many_reports()
    redis_script(OUTAGE_PORT, "start")
    url = f"redis://127.0.0.1:{OUTAGE_PORT}"
    caches = redis_caches(url, monkeypatch)
    z, (x, y) = 12, tile_xy(*SPOT, 12)
    tile = reverse("tiles:reports", args=[z, x, y])
    count = reverse("api:report-count")
    view = {"bbox": "107.9,21.45,108.1,21.6"}
    api = APIClient()
    try:
        with override_settings(CACHES=caches, CACHE_MODE="redis"):
            cached = api.get(tile)
            assert cached.status_code == 200 and tile_keys(url)
            assert api.get("/healthz").json()["cache"] == "ok"
            counted = api.get(count, view)
            assert counted.status_code == 200 and counted.json()["count"] > 0

            redis_script(OUTAGE_PORT, "stop")
            assert redis_script(OUTAGE_PORT, "status") == "stopped"
            with caplog.at_level(logging.WARNING, logger="common.redis_cache"):
                from common.redis_cache import FailOpenRedisCache

                FailOpenRedisCache._last_logged = float("-inf")
                during = api.get(tile)
                assert during.status_code == 200
                assert during.content == cached.content  # worked out again, from the database
                assert api.get(count, view).json() == counted.json()
                health = api.get("/healthz")
                assert health.status_code == 200
                assert health.json()["cache"] == "unavailable"
            warnings = [r for r in caplog.records if r.name == "common.redis_cache"]
            assert "shared cache unavailable" in caplog.text  # healthz's own line
            # Logged once, not once per call, so an outage does not flood the log.
            assert len(warnings) == 1
            assert "cache unavailable" in warnings[0].getMessage()

            # Back up (empty: a cache has no persistence): caching resumes by itself.
            redis_script(OUTAGE_PORT, "start")
            assert tile_keys(url) == []
            assert api.get(tile).content == cached.content
            assert tile_keys(url)
    finally:
        redis_script(OUTAGE_PORT, "stop")
