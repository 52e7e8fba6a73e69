"""The office's JSON bodies as the places services take them: every value checked for its
type (text is text, a day is YYYY-MM-DD, numbers are numbers) and reported under its name.

The services do the rest (lengths, kinds, hours, ranges), so both paths say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from common.dates import date_in_range, not_a_date_message
from common.strict_types import TypeProblem, parse_bool, parse_int
from common.validation import FieldErrors
from layers.places.services import EDITABLE_FIELDS, PRICE_FIELDS, TEXT_FIELDS

# What the page may send for a place: the services' fields, the point as lon/lat, and not
# the server's own (location as an object, verified_by, the old single photo's credit).
SERVER_OWN = ("location", "verified_by", "photo_credit", "licence")
PLACE_INPUT = (*(f for f in EDITABLE_FIELDS if f not in SERVER_OWN), "lon", "lat")
INTEGER_FIELDS = ("star_rating", "ocop_stars", "price_vnd")
DATE_FIELDS = ("verified_at", "valid_from", "valid_to")


def _day(value: object, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors[name] = [not_a_date_message()]
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = [not_a_date_message()]
        return None
    return day if date_in_range(day, name, errors) else None


def _value(name: str, value: Any, errors: dict[str, list[str]]) -> Any:
    try:
        if name in DATE_FIELDS:
            return _day(value, name, errors)
        if name in INTEGER_FIELDS:
            return None if value is None or value == "" else parse_int(value)
        if name == "is_demo":
            return parse_bool(value)
        if name == "hours":
            if value is not None and not isinstance(value, Mapping):
                errors[name] = [_("hours (giờ mở cửa) phải là một đối tượng JSON.")]
            return value
        if (
            name in TEXT_FIELDS
            or name in ("kind", "accommodation_type")
            or name.startswith(("item", "unit"))
        ):
            if value is not None and not isinstance(value, str):
                errors[name] = [_("%(field)s phải là chuỗi văn bản.") % {"field": name}]
            return value
    except TypeProblem as exc:
        errors[name] = [exc.message]
    return value  # lon, lat: checked by the services (common.validation.validate_lon_lat)


def _parse(body: object, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise FieldErrors({"body": [_("Nội dung gửi lên phải là một đối tượng JSON.")]})
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for key in sorted(body):
        if key not in allowed:
            errors[str(key)] = [_("%(field)s: không có trường này.") % {"field": key}]
            continue
        values[key] = _value(key, body[key], errors)
    if errors:
        raise FieldErrors(errors)
    return values


def place_values(body: object) -> dict[str, Any]:
    """A place's fields from a create or (partial) update body."""
    return _parse(body, PLACE_INPUT)


def price_values(body: object) -> dict[str, Any]:
    """A listed price from the "Thêm giá" body."""
    return _parse(body, PRICE_FIELDS)


def close_day(body: object) -> dt.date:
    """The last day a price applies, from {"valid_to": "YYYY-MM-DD"}."""
    values = _parse(body, ("valid_to",))
    if values.get("valid_to") is None:
        raise FieldErrors({"valid_to": [_("valid_to (ngày cuối áp dụng) là bắt buộc.")]})
    return values["valid_to"]
