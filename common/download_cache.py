"""Short-lived cache of file downloads (exports) keyed on what was asked.

Several clients (or one script) asking for the same export within a minute get the bytes
written once. Large files are not cached: they would push the map's small entries out of the
file cache, and one that big is rarely asked twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

MAX_CACHED_BYTES = 5 * 1024 * 1024


def cached_download(parts: list[str], build: Callable[[], HttpResponse]) -> HttpResponse:
    """build()'s response, or the same bytes from a request with equal `parts` made less than
    EXPORT_CACHE_SECONDS ago."""
    seconds = getattr(settings, "EXPORT_CACHE_SECONDS", 0)
    if seconds <= 0:
        return build()
    key = "download:v1:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        content, content_type, disposition = hit
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = disposition
        return response
    response = build()
    if response.status_code == 200 and len(response.content) <= MAX_CACHED_BYTES:
        entry = (response.content, response["Content-Type"], response["Content-Disposition"])
        cache.set(key, entry, seconds)
    return response
