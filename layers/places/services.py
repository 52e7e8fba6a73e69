"""The tourism office's writes to places, prices and photos: the one path they change by.

Every function is keyword-only and atomic, checks its input (FieldErrors, keyed by field,
messages in Vietnamese) and writes a PlaceChange with the changed fields before and after,
so "who changed this price, when, from what" is always answerable. Prices are never edited
in place: price_set closes the current row of the same item and unit the day before the new
one starts, so the list on any past day can be shown again (an overcharging report is
judged against the price listed on its day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from common.srid import WGS84
from common.validation import FieldErrors, validate_lon_lat
from gis_core.models import Agency
from layers.models import (
    AccommodationType,
    PlaceChange,
    PlaceKind,
    PlacePhoto,
    PlacePrice,
    PointOfInterest,
)
from layers.places.hours import hours_problems

# What the office edits (lon and lat together move `location`).
TEXT_FIELDS = (
    "name",
    "name_en",
    "name_zh",
    "description",
    "description_en",
    "description_zh",
    "address",
    "phone",
    "website",
    "accessibility",
    "accessibility_en",
    "accessibility_zh",
    "photo_credit",
    "licence",
    "category",
)
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "kind",
    "accommodation_type",
    "star_rating",
    "ocop_stars",
    "hours",
    "verified_at",
    "verified_by",
    "location",
    "is_demo",
)
OFFICE_SOURCE = "office"
OFFICE_LAYER = "tourism"


def _jsonable(value: Any) -> Any:
    """A field's value as the audit's JSON: dates as ISO text, a point as [lon, lat], the
    verifying office as its code."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Point):
        return [value.x, value.y]
    if isinstance(value, Agency):
        return value.code
    return value


def _max_length(model, name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def _snapshot(obj: Any, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def _audit(
    *, place: PointOfInterest | None, public_id, user, action: str, before=None, after=None
) -> PlaceChange:
    return PlaceChange.objects.create(
        place=place,
        place_public_id=public_id,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        before=before,
        after=after,
    )


def _stars(value: Any, field: str, errors: dict[str, list[str]]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors[field] = [_("%(field)s phải là số nguyên từ 1 đến 5.") % {"field": field}]
        return None
    return value


def _texts(values: Mapping[str, Any], clean: dict, errors: dict[str, list[str]]) -> None:
    for name in TEXT_FIELDS:
        if name not in values:
            continue
        text = "" if values[name] is None else str(values[name]).strip()
        max_length = _max_length(PointOfInterest, name)
        if max_length is not None and len(text) > max_length:
            errors[name] = [
                _("%(field)s dài tối đa %(max)s ký tự.") % {"field": name, "max": max_length}
            ]
        clean[name] = text
    if clean.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(clean["website"])
        except ValidationError:
            errors["website"] = [_("website phải là địa chỉ http:// hoặc https:// hợp lệ.")]


def _kinds(values: Mapping[str, Any], clean: dict, errors: dict, *, creating: bool) -> None:
    if "kind" in values or creating:
        kind = values.get("kind") or PlaceKind.ATTRACTION
        if kind not in PlaceKind.values:
            errors["kind"] = [_("kind (loại địa điểm) không hợp lệ: %(value)s.") % {"value": kind}]
        clean["kind"] = kind
    if "accommodation_type" in values:
        kind_of_stay = values["accommodation_type"] or ""
        if kind_of_stay and kind_of_stay not in AccommodationType.values:
            errors["accommodation_type"] = [
                _("accommodation_type phải là hotel, guesthouse hoặc homestay.")
            ]
        clean["accommodation_type"] = kind_of_stay
    for name in ("star_rating", "ocop_stars"):
        if name in values:
            clean[name] = _stars(values[name], name, errors)


def _hours_and_verification(values: Mapping[str, Any], clean: dict, errors: dict) -> None:
    if "hours" in values:
        hours = values["hours"] if values["hours"] is not None else {}
        if hours_problems(hours):
            errors["hours"] = [
                _(
                    'hours (giờ mở cửa) không đúng dạng: {"mon": [["08:00", "17:30"]], ...,'
                    ' "always": false}, giờ HH:MM.'
                )
            ]
        clean["hours"] = hours
    if "verified_at" in values:
        day = values["verified_at"]
        if day is not None and not isinstance(day, dt.date):
            errors["verified_at"] = [_("verified_at phải là một ngày (YYYY-MM-DD).")]
        clean["verified_at"] = day
    if "verified_by" in values:
        agency = values["verified_by"]
        if agency is not None and not isinstance(agency, Agency):
            errors["verified_by"] = [_("verified_by phải là một cơ quan (đơn vị) có thật.")]
        clean["verified_by"] = agency
    if "is_demo" in values:
        clean["is_demo"] = bool(values["is_demo"])


def _location(values: Mapping[str, Any], clean: dict, errors: dict, *, creating: bool) -> None:
    if "location" in values:
        point = values["location"]
        if not isinstance(point, Point):
            errors["location"] = [_("location phải là một điểm.")]
        clean["location"] = point
    elif "lon" in values or "lat" in values or creating:
        try:
            lon, lat = validate_lon_lat(values.get("lon"), values.get("lat"))
            clean["location"] = Point(lon, lat, srid=WGS84)
        except FieldErrors as exc:
            errors.update(exc.errors)


def _clean(values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Model field values from the office's input; raises FieldErrors naming each field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for key in sorted(set(values) - {*EDITABLE_FIELDS, "lon", "lat"}):
        errors[key] = [_("%(field)s: không có trường này.") % {"field": key}]
    _texts(values, clean, errors)
    if (creating or "name" in values) and not clean.get("name"):
        errors["name"] = [_("name (tên địa điểm) là bắt buộc.")]
    _kinds(values, clean, errors, creating=creating)
    _hours_and_verification(values, clean, errors)
    _location(values, clean, errors, creating=creating)
    if errors:
        raise FieldErrors(errors)
    return clean


def _refresh_ward(place: PointOfInterest) -> None:
    # The ward columns are written by the database trigger (ward_boundaries.WardAssigned).
    place.refresh_from_db(fields=["ward", "ward_match", "ward_distance_m"])


@transaction.atomic
def place_create(
    *,
    user,
    values: Mapping[str, Any],
    source: str = OFFICE_SOURCE,
    source_id: str = "",
    layer: str = OFFICE_LAYER,
    action: str = PlaceChange.Action.CREATE,
) -> PointOfInterest:
    """A new place from `values` (model fields, or lon/lat for the location); its source
    id defaults to "office/<public id>". The database assigns its ward."""
    clean = _clean(values, creating=True)
    place = PointOfInterest(layer=layer, source=source, **clean)
    place.source_id = source_id or f"{source}/{place.public_id}"
    if PointOfInterest.objects.filter(layer=layer, source_id=place.source_id).exists():
        raise FieldErrors({"source_id": [_("Đã có địa điểm với mã nguồn này.")]})
    place.save()
    _refresh_ward(place)
    after = _snapshot(place, [*clean, "source", "source_id"])
    _audit(place=place, public_id=place.public_id, user=user, action=action, after=after)
    return place


@transaction.atomic
def place_update(
    *,
    user,
    place: PointOfInterest,
    values: Mapping[str, Any],
    action: str = PlaceChange.Action.UPDATE,
) -> list[str]:
    """Changes the given fields of `place`; returns the names of those that changed (none:
    nothing written, no audit row)."""
    clean = _clean(values, creating=False)
    locked = PointOfInterest.objects.select_for_update().get(pk=place.pk)
    changed = [
        name
        for name, value in clean.items()
        if (
            not getattr(locked, name).equals_exact(value, 0)
            if name == "location"
            else getattr(locked, name) != value
        )
    ]
    if not changed:
        return []
    before = _snapshot(locked, changed)
    for name in changed:
        setattr(place, name, clean[name])
    place.save(update_fields=changed)
    if "location" in changed:
        _refresh_ward(place)
    _audit(
        place=place,
        public_id=place.public_id,
        user=user,
        action=action,
        before=before,
        after=_snapshot(place, changed),
    )
    return changed


@transaction.atomic
def place_delete(*, user, place: PointOfInterest) -> None:
    """Deletes the place with its prices and photos; the audit keeps what it was."""
    fields = [f for f in EDITABLE_FIELDS if f != "location"]
    before = {
        **_snapshot(place, fields),
        "location": _jsonable(place.location),
        "source": place.source,
        "source_id": place.source_id,
        "prices": place.prices.count(),
        "photos": place.photos.count(),
    }
    _audit(
        place=place,
        public_id=place.public_id,
        user=user,
        action=PlaceChange.Action.DELETE,
        before=before,
    )
    place.delete()


PRICE_FIELDS = (
    "item",
    "item_en",
    "item_zh",
    "unit",
    "unit_en",
    "unit_zh",
    "price_vnd",
    "ocop_stars",
    "valid_from",
    "valid_to",
)


def _price_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in ("item", "item_en", "item_zh", "unit", "unit_en", "unit_zh"):
        text = str(values.get(name) or "").strip()
        max_length = _max_length(PlacePrice, name)
        if max_length is not None and len(text) > max_length:
            errors[name] = [
                _("%(field)s dài tối đa %(max)s ký tự.") % {"field": name, "max": max_length}
            ]
        clean[name] = text
    if not clean["item"]:
        errors["item"] = [_("item (tên mặt hàng, dịch vụ) là bắt buộc.")]
    price = values.get("price_vnd")
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        errors["price_vnd"] = [_("price_vnd phải là số nguyên không âm (đồng).")]
    clean["price_vnd"] = price
    clean["ocop_stars"] = _stars(values.get("ocop_stars"), "ocop_stars", errors)
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    if not isinstance(valid_from, dt.date):
        errors["valid_from"] = [_("valid_from (áp dụng từ ngày) là bắt buộc, dạng YYYY-MM-DD.")]
    if valid_to is not None and not isinstance(valid_to, dt.date):
        errors["valid_to"] = [_("valid_to phải là một ngày (YYYY-MM-DD) hoặc để trống.")]
    elif isinstance(valid_from, dt.date) and valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("valid_to phải bằng hoặc sau valid_from.")]
    clean["valid_from"], clean["valid_to"] = valid_from, valid_to
    if errors:
        raise FieldErrors(errors)
    return clean


@transaction.atomic
def price_set(
    *, user, place: PointOfInterest, values: Mapping[str, Any]
) -> tuple[PlacePrice, bool]:
    """Lists a price: a new row from valid_from, closing the current row of the same item
    and unit the day before (valid_to = valid_from - 1 day). Returns (the row, whether
    anything was written).

    The same row again (item, unit, day, price, end) writes nothing, so an import can be
    run twice; the same day with another price corrects that day's row (audited). A row of
    the item starting later than valid_from is refused: close it first."""
    clean = _price_values(values)
    same = PlacePrice.objects.select_for_update().filter(
        place=place, item=clean["item"], unit=clean["unit"]
    )
    today_row = same.filter(valid_from=clean["valid_from"]).first()
    changed = [f for f in PRICE_FIELDS if getattr(today_row, f) != clean[f]] if today_row else []
    if today_row is not None and not changed:
        return today_row, False
    later = same.filter(valid_from__gt=clean["valid_from"]).order_by("valid_from").first()
    if later is not None:
        raise FieldErrors(
            {
                "valid_from": [
                    _(
                        "Đã có giá của “%(item)s” áp dụng từ ngày %(day)s, sau ngày này:"
                        " hãy kết thúc giá đó trước."
                    )
                    % {"item": clean["item"], "day": later.valid_from.isoformat()}
                ]
            }
        )
    if today_row is not None:
        before = _snapshot(today_row, ["id", *changed])
        for name in changed:
            setattr(today_row, name, clean[name])
        today_row.save(update_fields=changed)
        _audit(
            place=place,
            public_id=place.public_id,
            user=user,
            action=PlaceChange.Action.PRICE_ADD,
            before=before,
            after=_snapshot(today_row, ["id", *changed]),
        )
        return today_row, True
    day_before = clean["valid_from"] - dt.timedelta(days=1)
    closing = list(
        same.filter(valid_from__lt=clean["valid_from"]).exclude(valid_to__lt=clean["valid_from"])
    )
    closed_before = [{"id": row.pk, "valid_to": _jsonable(row.valid_to)} for row in closing]
    for row in closing:
        row.valid_to = day_before
        row.save(update_fields=["valid_to"])
    price = PlacePrice.objects.create(
        place=place, created_by=user if getattr(user, "is_authenticated", False) else None, **clean
    )
    after = {
        **_snapshot(price, ["id", *PRICE_FIELDS]),
        "closed": [{"id": row.pk, "valid_to": day_before.isoformat()} for row in closing],
    }
    _audit(
        place=place,
        public_id=place.public_id,
        user=user,
        action=PlaceChange.Action.PRICE_ADD,
        before={"closed": closed_before} if closing else None,
        after=after,
    )
    return price, True


@transaction.atomic
def price_close(*, user, price: PlacePrice, valid_to: dt.date) -> PlacePrice:
    """Ends a listed price on `valid_to` (the last day it applies)."""
    if not isinstance(valid_to, dt.date) or valid_to < price.valid_from:
        raise FieldErrors({"valid_to": [_("valid_to phải bằng hoặc sau valid_from.")]})
    before = _snapshot(price, ["id", "item", "unit", "valid_to"])
    price.valid_to = valid_to
    price.save(update_fields=["valid_to"])
    place = price.place
    _audit(
        place=place,
        public_id=place.public_id,
        user=user,
        action=PlaceChange.Action.PRICE_CLOSE,
        before=before,
        after=_snapshot(price, ["id", "item", "unit", "valid_to"]),
    )
    return price


@transaction.atomic
def photo_add(
    *, user, place: PointOfInterest, image: File, credit: str, sort_order: int = 0
) -> PlacePhoto:
    """Adds a photo; its credit (author and licence) is required."""
    credit = (credit or "").strip()
    errors: dict[str, list[str]] = {}
    if not credit:
        errors["credit"] = [_("credit (tác giả và giấy phép của ảnh) là bắt buộc.")]
    elif len(credit) > 200:
        errors["credit"] = [
            _("%(field)s dài tối đa %(max)s ký tự.") % {"field": "credit", "max": 200}
        ]
    if not image:
        errors["image"] = [_("image (tệp ảnh) là bắt buộc.")]
    if errors:
        raise FieldErrors(errors)
    photo = PlacePhoto(place=place, credit=credit, sort_order=sort_order)
    photo.image.save(getattr(image, "name", None) or "photo.jpg", image, save=False)
    photo.save()
    _audit(
        place=place,
        public_id=place.public_id,
        user=user,
        action=PlaceChange.Action.PHOTO_ADD,
        after={"id": photo.pk, "image": photo.image.name, "credit": credit},
    )
    return photo


@transaction.atomic
def photo_remove(*, user, photo: PlacePhoto) -> None:
    """Removes a photo and its file (after the transaction commits)."""
    place = photo.place
    before = {"id": photo.pk, "image": photo.image.name, "credit": photo.credit}
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    _audit(
        place=place,
        public_id=place.public_id,
        user=user,
        action=PlaceChange.Action.PHOTO_REMOVE,
        before=before,
    )
    if name:
        transaction.on_commit(lambda: storage.delete(name))
