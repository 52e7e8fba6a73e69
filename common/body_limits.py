"""Every request body is bounded before it is read: per endpoint, in the app itself.

A 40 MB JSON body used to be read, decoded, parsed, scanned for NUL and converted to text
before any rule looked at its size (31 s of CPU, 1.8 GB). Now the middleware's process_view,
which runs before CSRF, DRF or any view touches the body, knows the endpoint and refuses a
Content-Length over its limit with a 413; a chunked body (no Content-Length) is counted as it
is read and refused as soon as it passes the limit. Multipart endpoints that take files get
the streaming upload checks of common.uploads installed at the same moment.

An endpoint sets its limit with `@body_limit(...)` (a function or a view class) or the class
attributes `max_body_bytes` / `upload_limits`; every other endpoint, Open311 and pages
included, gets BODY_MAX_BYTES, and signed-in staff (the admin site, its file fields) get
STAFF_BODY_MAX_BYTES.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from common.humanize import human_size
from common.middleware import is_api_request
from common.uploads import StreamingLimitHandler, UploadLimits, UploadRefused

# The families of JSON endpoints (bytes): sign-in takes a phone and a code (16 KB still lets the
# parser, not the size, answer a body nested 5,000 deep); a report's text is at most 4,000
# characters, 24 KB even as \uXXXX escapes.
AUTH_BODY_BYTES = 16 * 1024
REPORT_JSON_BODY_BYTES = 32 * 1024
SPOOL_IN_MEMORY = 1024 * 1024  # a chunked body beyond this waits on disk, not in memory
READ_CHUNK = 64 * 1024

V = TypeVar("V")
UploadLimitsFactory = Callable[[], UploadLimits]


def body_limit(
    max_bytes: int | None = None, *, uploads: UploadLimitsFactory | None = None
) -> Callable[[V], V]:
    """Sets a view's limit: `max_bytes` for a body that is not multipart with files, and
    `uploads` (called per request, so settings changes apply) for one that is."""

    def apply(view: V) -> V:
        if max_bytes is not None:
            view.max_body_bytes = max_bytes  # type: ignore[attr-defined]
        if uploads is not None:
            view.upload_limits = staticmethod(uploads)  # type: ignore[attr-defined]
        return view

    return apply


def _view_attr(view_func: Any, name: str) -> Any:
    """The attribute on the view function, or on its class (DRF's `cls`, Django's
    `view_class`): as_view() returns a new function each time."""
    holders = (view_func, getattr(view_func, "cls", None), getattr(view_func, "view_class", None))
    for holder in holders:
        value = getattr(holder, name, None) if holder is not None else None
        if value is not None:
            return value
    return None


def _is_multipart(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")


def _is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """413 naming the limit in the user's language; nothing of the body is repeated."""
    message = _("Nội dung gửi lên quá lớn: tối đa %(limit)s.") % {"limit": human_size(limit)}
    if is_api_request(request):
        response: HttpResponse = JsonResponse(
            {
                "detail": message,
                "code": "too_large",
                "errors": {"non_field_errors": [message]},
                "max_bytes": limit,
            },
            status=413,
        )
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"  # the rest of the body is not read
    return response


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META["CONTENT_LENGTH"])
    except (KeyError, TypeError, ValueError):
        return None


def _chunked(request: HttpRequest) -> bool:
    """A body without Content-Length that the server ends for us (gunicorn sets
    wsgi.input_terminated for chunked requests); Django alone would read it as empty."""
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and bool(
        request.META.get("wsgi.input_terminated")
    )


def _spool_chunked(request: HttpRequest, limit: int) -> bool:
    """Reads a chunked body, counting, up to `limit`; False as soon as it passes. Within the
    limit the body becomes an ordinary one with a Content-Length, so every parser sees it."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # closed with the request
    source = request.META["wsgi.input"]
    size = 0
    while chunk := source.read(min(READ_CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            spool.close()
            return False
        spool.write(chunk)
    spool.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    request._stream = LimitedStream(spool, size)  # type: ignore[arg-type,assignment]
    request._body_spool = spool  # type: ignore[attr-defined]
    return True


class BodyLimitMiddleware:
    """Enforces each endpoint's body limit in process_view, before anything reads the body.

    Before CsrfViewMiddleware in MIDDLEWARE: its process_view reads request.POST.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        spool = getattr(request, "_body_spool", None)
        if spool is not None:
            spool.close()
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        length = _declared_length(request)
        chunked = length is None and _chunked(request)
        if not length and not chunked:
            return None  # no body: nothing to bound
        uploads = None
        factory = _view_attr(view_func, "upload_limits") if _is_multipart(request) else None
        if factory is not None:
            uploads = factory()
            limit = uploads.body_bytes
        else:
            own = _view_attr(view_func, "max_body_bytes")
            limit = own if own is not None else settings.BODY_MAX_BYTES
            if own is None and (chunked or (length or 0) > limit) and _is_staff(request):
                limit = max(limit, settings.STAFF_BODY_MAX_BYTES)
        if length is not None and length > limit:
            return too_large_response(request, limit)
        if chunked and not _spool_chunked(request, limit):
            return too_large_response(request, limit)
        if uploads is not None:
            request.upload_handlers = [
                StreamingLimitHandler(request, uploads),
                *request.upload_handlers,
            ]
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A file refused while streaming, in a view that is not DRF's (Open311): the API's
        400 naming the field (DRF views answer it themselves, through FieldErrors)."""
        if not isinstance(exception, UploadRefused):
            return None
        fields = ", ".join(exception.errors)
        return JsonResponse(
            {
                "detail": _("Dữ liệu không hợp lệ: %(fields)s.") % {"fields": fields},
                "code": "invalid",
                "errors": exception.errors,
            },
            status=400,
        )
