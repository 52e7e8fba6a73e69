"""The two caches (``default`` and ``tiles``), on local files or on a shared Redis.

``HT_CACHE=file`` (the default) keeps them in folders under var/cache: right for one app
server, nothing more to run. ``HT_CACHE=redis`` puts them on Redis (``HT_REDIS_URL``, by
default the project's own, scripts/redis.sh): what several app servers behind one balancer
need, so a tile encoded by one is served by all, and the hotspot alert the cron job warms is
the one every page reads (docs/deploy.md, "Several app servers").

Each cache has its own Redis database, because clearing a Django Redis cache flushes its
whole database; the test run uses two more, so ``make test`` never empties a running demo's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CACHE_MODES = ("file", "redis")
DEFAULT_REDIS_PORT = "26379"
# Redis databases of the (default, tiles) caches; tests use the next two.
REDIS_DBS = {"default": 0, "tiles": 1}
TEST_REDIS_DB_OFFSET = 2
# A cache that does not answer within this (seconds) is treated as down for that call.
REDIS_TIMEOUT_S = 0.5


def cache_mode() -> str:
    mode = os.environ.get("HT_CACHE", "file").strip().lower() or "file"
    if mode not in CACHE_MODES:
        raise ValueError(f"HT_CACHE must be one of {', '.join(CACHE_MODES)}, not {mode!r}")
    return mode


def redis_url() -> str:
    port = os.environ.get("HT_REDIS_PORT", DEFAULT_REDIS_PORT)
    return os.environ.get("HT_REDIS_URL", f"redis://127.0.0.1:{port}").rstrip("/")


def cache_settings(*, var_dir: Path, mode: str, db_offset: int = 0) -> dict[str, dict[str, Any]]:
    """Django's CACHES for `mode`; `db_offset` moves the Redis databases (tests)."""
    timeouts = {"default": 300, "tiles": 24 * 3600}
    if mode == "redis":
        base = redis_url()
        return {
            alias: {
                "BACKEND": "common.redis_cache.FailOpenRedisCache",
                "LOCATION": f"{base}/{REDIS_DBS[alias] + db_offset}",
                "TIMEOUT": timeouts[alias],
                "KEY_PREFIX": "ht",
                "OPTIONS": {
                    "socket_connect_timeout": REDIS_TIMEOUT_S,
                    "socket_timeout": REDIS_TIMEOUT_S,
                },
            }
            for alias in REDIS_DBS
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("HT_CACHE_DIR", str(var_dir / "cache" / "default")),
            "TIMEOUT": timeouts["default"],
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
        "tiles": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("HT_TILE_CACHE_DIR", str(var_dir / "cache" / "tiles")),
            "TIMEOUT": timeouts["tiles"],
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
    }
