"""/healthz for the proxy, the load balancer and systemd: is this worker able to serve?"""

from __future__ import annotations

import logging

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
    return JsonResponse({"status": "ok", "database": "ok", "postgis": version})
