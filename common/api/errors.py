"""Every API error is JSON: {"detail": "...", "code": "...", "errors": {"field": [...]}}.

`detail` and the field messages are for people, in the request's language; `code` is for
programs and never changes with the language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.validation import FieldErrors

# DRF messages that quote the client's value ('"{input}" is not a valid choice.'): replaced by
# fixed ones, so an error names the field and what is wrong, never repeats the input.
_QUOTING_CODES = {
    "invalid_choice": gettext_lazy("Giá trị không nằm trong các lựa chọn cho phép."),
    "does_not_exist": gettext_lazy("Không tìm thấy đối tượng được chỉ định."),
}
MAX_MESSAGES_PER_FIELD = 5

# The stable, machine-readable `code` of an error answer, by HTTP status.
ERROR_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}


def error_code(status_code: int) -> str:
    """The `code` for an error status: programs branch on it, not on the translated detail."""
    return ERROR_CODES.get(status_code, "error")


def add_error_code(data: Any, status_code: int) -> Any:
    """`data` with `code` beside `detail` when it is an error body that has none yet."""
    if status_code >= 400 and isinstance(data, dict) and "detail" in data and "code" not in data:
        data = {"detail": data["detail"], "code": error_code(status_code)} | data
    return data


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for child in value.values():
            yield from _walk(child)
    elif isinstance(value, (list, tuple)):
        for child in value:
            yield from _walk(child)
    else:
        fixed = _QUOTING_CODES.get(getattr(value, "code", None) or "")
        yield str(fixed if fixed is not None else value)


def field_messages(value: Any) -> list[str]:
    """One field's messages, flat, each once, at most MAX_MESSAGES_PER_FIELD: DRF reports a
    list-valued field item by item ({0: [...], 1: [...]}), and str() of that was a repr as
    long as the input."""
    seen: dict[str, None] = {}
    for message in _walk(value):
        seen.setdefault(message, None)
        if len(seen) >= MAX_MESSAGES_PER_FIELD:
            break
    return list(seen)


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
        errors = {str(k): field_messages(v) for k, v in data.items()}
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
