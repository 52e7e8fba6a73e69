"""Every API error is JSON: {"detail": "...", "errors": {"field": ["message", ...]}}."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.validation import FieldErrors


def field_errors_response(errors: dict[str, list[str]]) -> Response:
    fields = ", ".join(errors)
    return Response(
        {"detail": _("Dữ liệu không hợp lệ: %(fields)s.") % {"fields": fields}, "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def idempotency_conflict_response(exc: Exception) -> Response:
    """409: the idempotency key was already used for another submission (its message says
    so, naming the field; the stored report is not revealed)."""
    message = str(exc)
    return Response(
        {"detail": message, "errors": {"idempotency_key": [message]}},
        status=status.HTTP_409_CONFLICT,
    )


def json_exception_handler(exc, context):
    if isinstance(exc, FieldErrors):
        return field_errors_response(exc.errors)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in data.items()}
        return field_errors_response(errors)
    if not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response


def rate_limited_response(exc) -> Response:
    """429 with Retry-After (seconds) in the header and the body, for clients that read either."""
    response = Response(
        {"detail": str(exc), "retry_after": exc.retry_after},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response
