"""Request ids, and clean retryable 503 answers when the database or photo storage is down."""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

from common.observability import REQUEST_ID, valid_request_id
from common.storage_errors import is_storage_full

logger = logging.getLogger("gis_core.serving")

REQUEST_ID_HEADER = "X-Request-ID"
# Paths whose clients are programs: they get JSON they can parse and retry on.
API_PREFIXES = ("/api/", "/tiles/", "/open311/", "/healthz")


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID (validated) or makes one; logs and the response carry it.

    First in MIDDLEWARE, so every log record of the request, other middleware's included, has it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def unavailable_reason(exc: BaseException | None) -> str | None:
    """'database' or 'storage' when the error is ours and transient, None for anything else."""
    current, depth = exc, 0
    while current is not None and depth < 8:
        if isinstance(current, (OperationalError, InterfaceError)):
            return "database"
        current = current.__cause__ or current.__context__
        depth += 1
    if exc is not None and is_storage_full(exc):
        return "storage"
    return None


_DETAIL = {
    "database": gettext_lazy(
        "Hệ thống tạm thời gián đoạn (cơ sở dữ liệu). Hãy thử lại sau ít giây."
    ),
    "storage": gettext_lazy("Kho ảnh tạm thời đầy. Hãy thử lại sau với cùng yêu cầu."),
}
_PAGE = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
    "<title>503 · Tạm thời gián đoạn</title></head><body>"
    "<h1>Hệ thống tạm thời gián đoạn</h1><p>Vui lòng thử lại sau ít giây.</p>"
    '<p lang="en">The service is temporarily unavailable. Please retry in a few seconds.</p>'
    "</body></html>"
)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES) or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_response(request: HttpRequest, reason: str) -> HttpResponse:
    """503 + Retry-After: JSON with `retryable` for API clients, a short page for people."""
    retry_after = str(getattr(settings, "SERVICE_UNAVAILABLE_RETRY_AFTER", 5))
    if is_api_request(request):
        response: HttpResponse = JsonResponse(
            {"detail": str(_DETAIL[reason]), "code": "unavailable", "retryable": True}, status=503
        )
    else:
        response = HttpResponse(_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    # Logged once, as a warning, by the caller: not again as a django.request error per request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class ServiceUnavailableMiddleware:
    """Maps a view's database outage or full storage to a retryable 503 instead of a 500.

    The broken connection is discarded by Django at the end of the request (its errors mark it
    unusable) and CONN_HEALTH_CHECKS replaces a stale one, so the next request reconnects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not getattr(settings, "SERVICE_UNAVAILABLE_ON_OUTAGE", True):
            return None
        reason = unavailable_reason(exception)
        if reason is None:
            return None
        # The exception class and the path only: messages may quote SQL parameters.
        logger.warning(
            "%s unavailable: %s on %s %s; answered 503",
            reason,
            type(exception).__name__,
            request.method,
            request.path,
        )
        return unavailable_response(request, reason)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the same 503 for outages raised outside views (e.g. saving the session)."""
    exc = sys.exc_info()[1]
    reason = (
        unavailable_reason(exc)
        if getattr(settings, "SERVICE_UNAVAILABLE_ON_OUTAGE", True)
        else None
    )
    if reason is not None:
        return unavailable_response(request, reason)
    return defaults.server_error(request)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: programs asking an API path that does not exist get JSON, people a page.
    Open311 keeps its own error format (its views answer their own 404s)."""
    if request.path.startswith(("/api/", "/tiles/")):
        return JsonResponse({"detail": _("Không tìm thấy."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


class RefuseNulMiddleware:
    """A NUL character in the path or query string is a 400 for every view, pages included.

    PostgreSQL refuses NUL in text, so a filter carrying one would otherwise end as a 500; the
    API also checks bodies field by field (common.validation.nul_errors).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if request.path.startswith("/open311/"):
            return self.get_response(request)  # Open311 answers in its own error format
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            detail = _("Không được có ký tự NUL trong tham số này.")
            errors = {
                name: [detail]
                for name, values in request.GET.lists()
                if "\x00" in name or any("\x00" in value for value in values)
            }
            if "\x00" in request.path or not errors:
                errors["path"] = [_("Không được có ký tự NUL trong địa chỉ.")]
            names = ", ".join(sorted(errors))
            invalid = _("Dữ liệu không hợp lệ: %(fields)s.") % {"fields": names}
            if is_api_request(request):
                return JsonResponse(
                    {"detail": invalid, "code": "invalid", "errors": errors}, status=400
                )
            text = _("Không được có ký tự NUL trong: %(fields)s.") % {"fields": names}
            return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
