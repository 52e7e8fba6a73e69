"""/media/ without a proxy (make demo, tests): files by byte range, so a phone can seek a clip.

django.views.static.serve answers every request with the whole file; a <video> element asks
for `Range: bytes=…` and cannot seek (Safari will not even play) without a 206. This view
serves one range per request (what browsers send for media), answers 416 when the range
lies past the end, advertises `Accept-Ranges: bytes`, and refuses any path that leaves
MEDIA_ROOT. In production nginx serves /media/ itself, ranges included (docs/deploy.md).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
)
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _resolve(path: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    if "\x00" in path:
        raise Http404("No such file.")
    full = (root / path.lstrip("/")).resolve()
    if root not in full.parents or not full.is_file():
        raise Http404("No such file.")
    return full


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) byte of a single `bytes=a-b` range; None to send the whole file (no or
    unusable header, e.g. several ranges); "unsatisfiable" when it starts past the end."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return (max(size - length, 0), size - 1)
    start = int(first)
    if start >= size:
        return "unsatisfiable"
    end = int(last) if last else size - 1
    if end < start:
        return None  # invalid: ignore the header, as RFC 9110 allows
    return (start, min(end, size - 1))


class _Slice:
    """Reads [start, start+length) of a file in chunks, for a streaming response."""

    def __init__(self, path: Path, start: int, length: int):
        self._file = open(path, "rb")  # closed by FileResponse / close()
        self._file.seek(start)
        self._left = length

    def read(self, size: int = CHUNK) -> bytes:
        if self._left <= 0:
            return b""
        data = self._file.read(min(size if size > 0 else CHUNK, self._left))
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._file.close()


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    full = _resolve(path)
    stat = full.stat()
    size = stat.st_size
    last_modified = http_date(stat.st_mtime)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and int(stat.st_mtime) <= since and "Range" not in request.headers:
        return HttpResponseNotModified()
    content_type = mimetypes.guess_type(str(full))[0] or "application/octet-stream"
    wanted = parse_range(request.headers.get("Range", ""), size)
    if isinstance(wanted, str):  # "unsatisfiable"
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    if wanted is None:
        response = FileResponse(open(full, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        length = last - first + 1
        body = _Slice(full, first, length)
        response = FileResponse(body, status=206, content_type=content_type)
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = last_modified
    response["X-Content-Type-Options"] = "nosniff"
    if request.method == "HEAD":
        response.streaming_content = []
    return response
