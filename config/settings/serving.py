"""Settings fragment (serving), star-imported at the end of base.py.

What every environment shares about serving requests: logging with request ids, the 503 answer
to outages, and the Content-Security-Policy builder (prod.py turns the policy on).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONE, SELF

# --- Outages --------------------------------------------------------------------------------
# A database outage (OperationalError/InterfaceError) or full photo storage during a request is
# answered 503 + Retry-After ({"detail", "retryable": true} on API paths) instead of a 500.
SERVICE_UNAVAILABLE_ON_OUTAGE = os.environ.get("HT_OUTAGE_AS_503", "1").lower() not in {
    "0",
    "false",
    "no",
    "off",
}
SERVICE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("HT_RETRY_AFTER_SECONDS", "5"))


# --- Logging --------------------------------------------------------------------------------
def logging_config(fmt: str) -> dict[str, Any]:
    """LOGGING for `fmt` "json" (one object per line, production) or "plain" (development).

    Every record carries the request id (common.observability); nothing logs bodies.
    """
    formatter = (
        {"()": "common.observability.JsonFormatter"}
        if fmt == "json"
        else {"()": "common.observability.PlainFormatter"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "common.observability.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": os.environ.get("HT_LOG_LEVEL", "INFO")},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # The task queue announces its task registry on every start; its jobs stay INFO.
            "procrastinate.blueprints": {"level": "WARNING"},
            "procrastinate.periodic": {"level": "WARNING"},
            # 4xx answers (a point outside every ward, a bad coordinate) are expected API
            # answers, not incidents; logging each one costs time under load. 5xx are logged.
            "django.request": {"level": "ERROR"},
            # Runserver's own access lines; gunicorn writes JSON access lines in production.
            "django.server": {"level": "INFO"},
        },
    }


LOGGING = logging_config(os.environ.get("HT_LOG_FORMAT", "plain"))


# --- Content-Security-Policy (django-csp 4) -------------------------------------------------
def tile_sources(tile_url: str) -> list[str]:
    """CSP sources for a Leaflet tile URL template: 'https://{s}.tile.osm.org/{z}/..' gives
    'https://*.tile.osm.org'. A template label ({s}, {switch:a,b}) becomes the wildcard, which
    CSP allows only as the leftmost label; a relative URL needs nothing beyond 'self'."""
    if not tile_url or (tile_url.startswith("/") and not tile_url.startswith("//")):
        return []
    parts = urlsplit(tile_url)
    netloc = parts.netloc
    if not netloc:
        return []
    host, _, port = netloc.rpartition(":") if netloc.count(":") == 1 else (netloc, "", "")
    labels = host.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    source = ".".join(labels) + (f":{port}" if port else "")
    return [f"{parts.scheme}://{source}" if parts.scheme else source]


def content_security_policy(tile_url: str, report_uri: str = "") -> dict[str, Any]:
    """The policy the pages are written for: no inline script or style, no eval, nothing from
    another origin except basemap tiles. json_script data blocks are not executed, so allowed.
    """
    directives: dict[str, Any] = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for Leaflet's and OpenLayers' generated images, blob: for canvas exports.
        "img-src": [SELF, "data:", "blob:", *tile_sources(tile_url)],
        "connect-src": [SELF],
        # blob: so the report form can read a chosen clip's length (a <video> of the local file).
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    # The admin too: its map widget (common.admin_widgets) passes its options as JSON data.
    return {"DIRECTIVES": directives}
