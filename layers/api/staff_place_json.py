"""The office's view of a place as JSON: every field it edits, the whole price history,
photos and the audit trail (who, when, what before and after). Staff only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from common.local_time import local_today
from layers.api.place_views import public_price_item
from layers.models import PlaceChange, PlaceKind, PlacePrice, PointOfInterest
from layers.places.office import is_current
from layers.places.selectors import is_stale, prices_updated_at

PLACE_FIELDS = (
    "name",
    "name_en",
    "name_zh",
    "kind",
    "accommodation_type",
    "star_rating",
    "ocop_stars",
    "address",
    "phone",
    "website",
    "hours",
    "accessibility",
    "accessibility_en",
    "accessibility_zh",
    "description",
    "description_en",
    "description_zh",
    "is_demo",
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def kind_label(kind: str) -> str:
    return str(PlaceKind(kind).label) if kind in PlaceKind.values else kind


def list_item(place: PointOfInterest) -> dict[str, Any]:
    """One marker of the office's map (layers.places.office.office_places' annotations)."""
    return {
        "id": str(place.public_id),
        "name": place.name,
        "name_en": place.name_en,
        "name_zh": place.name_zh,
        "kind": place.kind,
        "kind_label": kind_label(place.kind),
        "lon": place.location.x,
        "lat": place.location.y,
        "address": place.address,
        "is_demo": place.is_demo,
        "source": place.source,
        "stale": getattr(place, "stale", False),
        "prices": getattr(place, "n_prices", 0),
        "photos": getattr(place, "n_photos", 0),
        "prices_updated_at": _iso(getattr(place, "prices_updated_at", None)),
    }


def price_item(price: PlacePrice, today: dt.date) -> dict[str, Any]:
    return {
        **public_price_item(price),
        "current": is_current(price, today),
        "created_at": _iso(price.created_at),
        "created_by": _username(price.created_by),
    }


def change_item(change: PlaceChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "at": change.at.isoformat(),
        "user": _username(change.user),
        "action": change.action,
        "action_label": str(PlaceChange.Action(change.action).label),
        "before": change.before,
        "after": change.after,
    }


def place_detail(
    place: PointOfInterest,
    prices: list[PlacePrice],
    changes: list[PlaceChange],
) -> dict[str, Any]:
    today = local_today()
    return {
        "id": str(place.public_id),
        **{name: getattr(place, name) for name in PLACE_FIELDS},
        "accommodation_type": place.accommodation_type or "",
        "hours": place.hours or {},
        "kind_label": kind_label(place.kind),
        "lon": place.location.x,
        "lat": place.location.y,
        "source": place.source,
        "source_id": place.source_id,
        "ward": place.ward.name if place.ward is not None else None,
        "verified_at": _iso(place.verified_at),
        "verified_by": place.verified_by.name if place.verified_by is not None else None,
        "stale": is_stale(place),
        "prices_updated_at": _iso(prices_updated_at(place)),
        "prices": [price_item(p, today) for p in prices],
        "photos": [
            {"id": p.pk, "url": p.image.url, "credit": p.credit}
            for p in place.photos.all()
            if p.image
        ],
        "changes": [change_item(c) for c in changes],
    }
