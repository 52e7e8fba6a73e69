"""Django's Redis cache, failing open: when Redis is down, a read is a miss and a write is
dropped, so the pages work (slower, from the database) instead of answering 500.

Every cache in this project holds what can be worked out again (tiles, counts, the hotspot
alert, downloads), none holds the only copy of anything (sessions and rate limits live in
PostgreSQL), so serving without it is always correct. The first failure is logged, then at
most once a minute per process, so a Redis outage is seen in the log without flooding it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0


class FailOpenRedisCache(RedisCache):
    """RedisCache whose reads miss and writes drop while Redis cannot be reached."""

    _last_logged = float("-inf")

    def _unavailable(self, error: RedisError, operation: str) -> None:
        now = time.monotonic()
        if now - FailOpenRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FailOpenRedisCache._last_logged = now
            logger.warning(
                "cache unavailable, serving without it (%s: %s: %s)",
                operation,
                type(error).__name__,
                error,
            )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._unavailable(error, "get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._unavailable(error, "get_many")
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            self._unavailable(error, "has_key")
            return False

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._unavailable(error, "add")
            return False

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._unavailable(error, "set")

    def set_many(
        self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._unavailable(error, "set_many")
            return list(data)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            self._unavailable(error, "touch")
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._unavailable(error, "delete")
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._unavailable(error, "delete_many")

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            self._unavailable(error, "clear")
