"""/healthz for the proxy, the load balancer and systemd: is this worker able to serve?"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("gis_core.serving")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 after a real PostGIS query on the worker's own connection; 503 with a reason if not.

    The query goes through the same connection the requests use, so a worker whose connection
    cannot be (re)opened reports itself unhealthy. No details (host, port) are shown publicly.
    """
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            (version,) = cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("healthz: database unavailable (%s)", type(exc).__name__)
        response = JsonResponse(
            {
                "status": "error",
                "database": "unavailable",
                "reason": f"database query failed ({type(exc).__name__})",
            },
            status=503,
        )
        response["Retry-After"] = "5"
        return response
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "postgis": version,
            **shared_cache_status(),
            **replica_status(),
        }
    )


def shared_cache_status() -> dict[str, str]:
    """With HT_CACHE=redis, whether Redis answers: shown, never a 503, because every page is
    served without it (common.redis_cache), just slower; a balancer must not drop servers
    for it."""
    if getattr(settings, "CACHE_MODE", "file") != "redis":
        return {}
    from redis.exceptions import RedisError

    try:
        caches["default"]._cache.get_client(write=False).ping()  # type: ignore[attr-defined]
    except RedisError as exc:
        logger.warning("healthz: shared cache unavailable (%s)", type(exc).__name__)
        return {"cache": "unavailable"}
    return {"cache": "ok"}


def replica_status() -> dict[str, str]:
    """With DATABASE_REPLICA_URL, whether public reads go to it ("ok") or to the primary
    ("behind", "unavailable"): shown, never a 503, since the primary serves instead."""
    from common.db_routing import replica_configured, replica_monitor

    if not replica_configured():
        return {}
    state = replica_monitor().state()
    if state.usable:
        return {"replica": "ok"}
    return {"replica": "behind" if state.lag_s is not None else "unavailable"}
