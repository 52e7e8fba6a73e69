"""The API's JSON parser: well-formed JSON is not enough, it must also be text we can store.

Two classes of body used to give a 500: nesting deeper than Python's recursion limit (a
RecursionError inside json) and strings holding lone surrogates, which no UTF-8 response,
database or log line can carry. Both become a 400 with the API's error shape here, once for
every endpoint, before any view sees the data.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser

from common.validation import FieldErrors

MAX_DEPTH = 32  # far deeper than any honest request (a report is two levels)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _too_deep() -> FieldErrors:
    return FieldErrors(
        {"non_field_errors": [_("JSON lồng nhau quá %(n)s cấp.") % {"n": MAX_DEPTH}]}
    )


def _check(value: Any, field: str, depth: int) -> None:
    """FieldErrors for a lone surrogate anywhere in `value` (named by its top-level field)
    or for nesting deeper than MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, str):
        if _has_surrogate(value):
            raise FieldErrors({field: [_("Văn bản có ký tự Unicode không hợp lệ.")]})
    elif isinstance(value, dict):
        for key, child in value.items():
            name = field if depth else str(key)
            if _has_surrogate(str(key)):
                raise FieldErrors({"non_field_errors": [_("Tên trường không hợp lệ.")]})
            _check(child, name, depth + 1)
    elif isinstance(value, list):
        for child in value:
            _check(child, field, depth + 1)


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise _too_deep() from exc
        _check(data, "non_field_errors", 0)
        return data
