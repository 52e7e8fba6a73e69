"""Public place endpoints (PLACES.md): the visitor's list with search and filters, and one
place's details with its hours, photos and current listed prices. No personal data: no
staff names, no user ids, only the verifying office's name."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.db_routing import replica_reads
from layers.api.place_params import (
    PLACE_DEFAULT_LIMIT,
    PLACE_MAX_LIMIT,
    parse_place_filters,
    parse_place_limit,
)
from layers.models import PlacePrice, PointOfInterest
from layers.place_kinds import place_kind_properties
from layers.places.hours import is_open, today_key
from layers.places.report_counts import open_reports_of
from layers.places.selectors import (
    current_prices,
    is_stale,
    list_places,
    place_by_public_id,
    prices_updated_at,
)


def _absolute(url: str, request: Request | None) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def _photos(place: PointOfInterest, request: Request | None) -> list[dict]:
    photos = [
        {"url": _absolute(p.image.url, request), "credit": p.credit}
        for p in place.photos.all()
        if p.image
    ]
    if not photos and place.photo:  # the older single photo of a POI
        photos = [{"url": _absolute(place.photo.url, request), "credit": place.photo_credit}]
    # No thumbnail pipeline for place photos yet: the thumbnail is the photo itself.
    return [{**p, "thumbnail": p["url"]} for p in photos]


def place_properties(place: PointOfInterest, request: Request | None, at: dt.datetime) -> dict:
    """The list's properties of a place (PLACES.md); `price_from_vnd`, `open_now` and
    `open_reports` are read from the annotations list_places sets when present."""
    photos = _photos(place, request)
    # list_places sets open_now; a place read alone is judged here.
    open_now = place.open_now if hasattr(place, "open_now") else is_open(place.hours, at)
    properties = {
        "id": str(place.public_id),
        "kind": place.kind,
        **place_kind_properties(place.kind),
        "name": place.name,
        "name_en": place.name_en,
        "name_zh": place.name_zh,
        "address": place.address,
        "phone": place.phone,
        "website": place.website,
        "accommodation_type": place.accommodation_type or None,
        "star_rating": place.star_rating,
        "ocop_stars": place.ocop_stars,
        "open_now": open_now,
        "price_from_vnd": getattr(place, "price_from_vnd", None),
        # Open public reports filed here: a number only, nothing of who sent them.
        "open_reports": open_reports_of(place),
        "photo": photos[0]["thumbnail"] if photos else None,
        "is_demo": place.is_demo,
    }
    if hasattr(place, "score"):
        properties["score"] = place.score
    return properties


def _feature(place: PointOfInterest, properties: dict) -> dict:
    return {
        "type": "Feature",
        "id": str(place.public_id),
        "geometry": {"type": "Point", "coordinates": [place.location.x, place.location.y]},
        "properties": properties,
    }


def public_price_item(price: PlacePrice) -> dict:
    """A listed price as the public sees it (the office's list adds its own columns)."""
    return {
        "id": price.pk,  # what a report filed here names as `price`
        "item": price.item,
        "item_en": price.item_en,
        "item_zh": price.item_zh,
        "unit": price.unit,
        "unit_en": price.unit_en,
        "unit_zh": price.unit_zh,
        "price_vnd": price.price_vnd,
        "ocop_stars": price.ocop_stars,
        "valid_from": price.valid_from.isoformat(),
        "valid_to": price.valid_to.isoformat() if price.valid_to else None,
    }


def place_detail(place: PointOfInterest, request: Request | None, at: dt.datetime) -> dict:
    """One place as a Feature with everything its page shows (PLACES.md)."""
    day = timezone.localdate(at)
    updated = prices_updated_at(place)
    office = place.verified_by
    properties = {
        **place_properties(place, request, at),
        "description": place.description,
        "description_en": place.description_en,
        "description_zh": place.description_zh,
        "accessibility": place.accessibility,
        "accessibility_en": place.accessibility_en,
        "accessibility_zh": place.accessibility_zh,
        "hours": place.hours,
        "hours_today": today_key(at),
        "photos": _photos(place, request),
        "prices": {
            "updated_at": timezone.localdate(updated).isoformat() if updated else None,
            "stale": is_stale(place, at),
            "items": [public_price_item(p) for p in current_prices(place, day)],
        },
        "verified_at": place.verified_at.isoformat() if place.verified_at else None,
        "verified_by": (
            {"name": office.name, "name_en": office.name_en, "name_zh": office.name_zh}
            if office is not None
            else None
        ),
        "source": place.source,
        "licence": place.licence,
    }
    return _feature(place, properties)


@replica_reads
class PlaceListView(PublicJsonAPIView):
    """Small answers (at most 200 places of a few hundred in the city, one indexed query
    and a price subquery), so no read limit is charged; the pois list has none either."""

    @extend_schema(
        operation_id="places_list",
        summary="Places for visitors as GeoJSON: search, kinds, open now, price range, bbox",
        parameters=[
            OpenApiParameter("q", str, description="Names in vi/en/zh and kind names, ranked"),
            OpenApiParameter("kind", str, description="Kinds, comma-separated, e.g. food,market"),
            OpenApiParameter("open_now", str, description="1: open now; 0: closed now"),
            OpenApiParameter("price_min", int, description="VND: a current price at least"),
            OpenApiParameter("price_max", int, description="VND: a current price at most"),
            OpenApiParameter("bbox", str, description="west,south,east,north (WGS84)"),
            OpenApiParameter(
                "limit", int, description=f"1-{PLACE_MAX_LIMIT}, default {PLACE_DEFAULT_LIMIT}"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        errors: dict[str, list[str]] = {}
        filters = parse_place_filters(request.query_params, errors)
        limit = parse_place_limit(request.query_params.get("limit"), errors)
        if errors:
            return field_errors_response(errors)
        now = timezone.now()
        found = list_places(filters, limit=limit, at=now)
        features = [_feature(p, place_properties(p, request, now)) for p in found.places]
        return Response({"type": "FeatureCollection", "count": found.count, "features": features})


@replica_reads
class PlaceDetailView(PublicJsonAPIView):
    @extend_schema(
        operation_id="places_detail",
        summary="One place: hours, photos, current listed prices, verification",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, public_id) -> Response:
        now = timezone.now()
        place = place_by_public_id(public_id, on=timezone.localdate(now))
        if place is None:
            raise Http404(_("Không có địa điểm với mã này."))
        return Response(place_detail(place, request, now))
