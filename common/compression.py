"""gzip for what the map downloads: the page, the API's JSON and GeoJSON, tiles, the catalog.

Static files are compressed ahead of time by whitenoise (production) and never reach this
middleware (whitenoise answers before it). Everything else left the app uncompressed: 300
report features are 244 KB of GeoJSON and 20 KB gzipped, which is seconds on a 1.6 Mbps phone
link. nginx does not compress proxied responses unless told to (docs/deploy.md), so the app
does it, for GET and HEAD only: a submission (POST) pays one comparison and nothing else, so
the submission benchmark's path is untouched.

Compressed: responses of at least MIN_BYTES, of a compressible type, that the client accepts
gzip for, not already encoded, not partial (range requests of videos). Django's GZipMiddleware
does the work (Vary: Accept-Encoding, weak ETags, and random bytes in the gzip header against
BREACH on pages that carry a CSRF token).
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

MIN_BYTES = 1024
COMPRESSIBLE = (
    "application/json",
    "application/geo+json",
    "application/vnd.mapbox-vector-tile",
    "application/javascript",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
    "text/",
)


class GzipGetMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if request.method not in ("GET", "HEAD"):
            return response
        if response.status_code == 206 or response.has_header("Content-Range"):
            return response
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE):
            return response
        if not response.streaming and len(response.content) < MIN_BYTES:
            return response
        return super().process_response(request, response)


def weak_match(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag`, also as the weak tag W/"..." that the
    gzip middleware turned it into (RFC 9110: If-None-Match compares weakly)."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
