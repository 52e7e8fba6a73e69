"""The office's JSON bodies as the places services take them: every value checked for its
type (text is text, a day is YYYY-MM-DD, numbers are numbers) and reported under its name.

The services do the rest (lengths, kinds, hours, ranges), so both paths say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from common.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
)
from common.api.serializers import StrictSerializer, strict_data
from common.dates import date_in_range, not_a_date_message
from common.validation import FieldErrors
from layers.places.services import EDITABLE_FIELDS, PRICE_FIELDS

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


def _body_serializer(name: str, fields: tuple[str, ...]) -> type[StrictSerializer]:
    """A StrictSerializer for a body of `fields` (the one input mechanism of every write
    endpoint, tests/security/test_strict_types.py): numbers are numbers, text is text; days
    come as text and are read by _day, the hours as a JSON object checked below."""
    declared: dict[str, serializers.Field] = {}
    for field in fields:
        if field in INTEGER_FIELDS:
            declared[field] = StrictIntegerField(required=False, allow_null=True)
        elif field in ("lon", "lat"):
            declared[field] = StrictFloatField(required=False, allow_null=True)
        elif field == "is_demo":
            declared[field] = StrictBooleanField(required=False)
        elif field == "hours":
            declared[field] = serializers.JSONField(required=False, allow_null=True)
        else:
            declared[field] = StrictCharField(required=False, allow_blank=True, allow_null=True)
    return type(name, (StrictSerializer,), declared)


PlaceBodySerializer = _body_serializer("PlaceBodySerializer", PLACE_INPUT)
PriceBodySerializer = _body_serializer("PriceBodySerializer", PRICE_FIELDS)
PriceCloseSerializer = _body_serializer("PriceCloseSerializer", ("valid_to",))


class PhotoBodySerializer(StrictSerializer):
    """The photo form (multipart): the image and its credit."""

    image = serializers.ImageField(required=False)
    credit = StrictCharField(required=False, allow_blank=True, allow_null=True)


class ImportBodySerializer(StrictSerializer):
    """The import form (multipart): a places CSV (and prices CSV) or a GeoPackage."""

    places = serializers.FileField(required=False)
    prices = serializers.FileField(required=False)
    gpkg = serializers.FileField(required=False)
    dry_run = StrictBooleanField(required=False)


def _parse(
    body: object, serializer: type[StrictSerializer], allowed: tuple[str, ...]
) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise FieldErrors({"body": [_("Nội dung gửi lên phải là một đối tượng JSON.")]})
    errors: dict[str, list[str]] = {}
    for key in sorted(body):
        if key not in allowed:
            errors[str(key)] = [_("%(field)s: không có trường này.") % {"field": key}]
    # A form's empty number box means "none", as null does.
    data = {
        key: None if key in INTEGER_FIELDS and value == "" else value
        for key, value in body.items()
        if key in allowed
    }
    try:
        values = strict_data(serializer, data, partial=True)
    except FieldErrors as exc:
        errors.update(exc.errors)
        # The days are still read, so one answer names every bad field.
        values = {k: data[k] for k in DATE_FIELDS if k in data and k not in errors}
    for name in DATE_FIELDS:
        if name in values:
            values[name] = _day(values[name], name, errors)
    hours = values.get("hours")
    if hours is not None and not isinstance(hours, Mapping):
        errors["hours"] = [_("hours (giờ mở cửa) phải là một đối tượng JSON.")]
    if errors:
        raise FieldErrors(errors)
    return values


def place_values(body: object) -> dict[str, Any]:
    """A place's fields from a create or (partial) update body."""
    return _parse(body, PlaceBodySerializer, PLACE_INPUT)


def price_values(body: object) -> dict[str, Any]:
    """A listed price from the "Thêm giá" body."""
    return _parse(body, PriceBodySerializer, PRICE_FIELDS)


def close_day(body: object) -> dt.date:
    """The last day a price applies, from {"valid_to": "YYYY-MM-DD"}."""
    values = _parse(body, PriceCloseSerializer, ("valid_to",))
    if values.get("valid_to") is None:
        raise FieldErrors({"valid_to": [_("valid_to (ngày cuối áp dụng) là bắt buộc.")]})
    return values["valid_to"]
