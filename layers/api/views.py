"""Public map-layer endpoints: POI search and the nearest free-WiFi sites, as GeoJSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView, PublicJsonAPIView
from common.api.errors import field_errors_response
from common.db_routing import replica_reads
from common.validation import lon_lat_params
from layers.api.params import parse_limit, parse_near
from layers.models import PointOfInterest, WifiSite
from layers.poi_categories import poi_category_properties
from layers.selectors import layers_for, nearest, pois_matching

POI_DEFAULT_LIMIT = 20
POI_MAX_LIMIT = 200
WIFI_DEFAULT_LIMIT = 5
WIFI_MAX_LIMIT = 50


def _ward(obj: PointOfInterest | WifiSite) -> dict | None:
    # The ward's code, not its database id: codes are stable across boundary reloads.
    if obj.ward is None:
        return None
    return {"code": obj.ward.code, "name": obj.ward.name}


def _feature(obj: PointOfInterest | WifiSite, properties: dict) -> dict:
    properties.update(
        ward=_ward(obj),
        ward_match=obj.ward_match,
        ward_distance_m=obj.ward_distance_m,
        is_demo=obj.is_demo,
    )
    return {
        "type": "Feature",
        "id": obj.pk,
        "geometry": {"type": "Point", "coordinates": [obj.location.x, obj.location.y]},
        "properties": properties,
    }


def poi_photo_url(poi: PointOfInterest, request: Request | None) -> str | None:
    """The POI photo's absolute URL, or None; absolute so a shared GeoJSON still shows it."""
    if not poi.photo:
        return None
    url = poi.photo.url
    return request.build_absolute_uri(url) if request is not None else url


def poi_feature(
    poi: PointOfInterest, distance_m: float | None, request: Request | None = None
) -> dict:
    return _feature(
        poi,
        {
            "name": poi.name,
            "name_en": poi.name_en,
            "name_zh": poi.name_zh,
            "description": poi.description,
            "description_en": poi.description_en,
            "description_zh": poi.description_zh,
            "layer": poi.layer,
            "category": poi.category,
            **poi_category_properties(poi.category),
            "tags": [t for t in poi.tags.split(";") if t],
            "address": poi.address,
            "opening_hours": poi.opening_hours,
            "phone": poi.phone,
            "website": poi.website,
            "price_range": poi.price_range,
            "ocop_stars": poi.ocop_stars,
            "photo_url": poi_photo_url(poi, request),
            "photo_credit": poi.photo_credit,
            "source": poi.source,
            "source_url": poi.source_url,
            "licence": poi.licence,
            "distance_m": distance_m,
        },
    )


def wifi_feature(site: WifiSite, distance_m: float) -> dict:
    return _feature(
        site,
        {
            "name": site.name,
            "ssid": site.ssid,
            "provider": site.provider,
            "hours": site.hours,
            "coverage_radius_m": site.coverage_radius_m,
            "notes": site.notes,
            "notes_en": site.notes_en,
            "notes_zh": site.notes_zh,
            "distance_m": distance_m,
        },
    )


@replica_reads
class PoiListView(PublicJsonAPIView):
    @extend_schema(
        operation_id="pois_list",
        summary="Points of interest as GeoJSON: search by name, nearest first with ?near=",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Name (Vietnamese, English or Chinese) contains: any case, with or"
                " without diacritics",
            ),
            OpenApiParameter("layer", str, description="Layer slug, e.g. tourism"),
            OpenApiParameter("category", str, description="Category, e.g. bai_bien"),
            OpenApiParameter("near", str, description="lon,lat: nearest first, with distance_m"),
            OpenApiParameter(
                "limit", int, description=f"1-{POI_MAX_LIMIT}, default {POI_DEFAULT_LIMIT}"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        near = parse_near(params.get("near"), errors)
        limit = parse_limit(
            params.get("limit"), errors, default=POI_DEFAULT_LIMIT, high=POI_MAX_LIMIT
        )
        if errors:
            return field_errors_response(errors)
        queryset = pois_matching(
            q=params.get("q", "")[:200],
            layer=params.get("layer", "")[:50],
            category=params.get("category", "")[:50],
        )
        if near is None:
            features = [poi_feature(p, None, request) for p in queryset[:limit]]
        else:
            found = nearest(queryset=queryset, lon=near[0], lat=near[1], limit=limit)
            features = [poi_feature(n.obj, n.distance_m, request) for n in found]
        return Response({"type": "FeatureCollection", "features": features})


@replica_reads
class WifiNearestView(PublicJsonAPIView):
    @extend_schema(
        operation_id="wifi_nearest",
        summary="The free-WiFi sites nearest to a point, as GeoJSON with distance_m",
        parameters=[
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter(
                "limit", int, description=f"1-{WIFI_MAX_LIMIT}, default {WIFI_DEFAULT_LIMIT}"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        point = lon_lat_params(params, errors)
        limit = parse_limit(
            params.get("limit"), errors, default=WIFI_DEFAULT_LIMIT, high=WIFI_MAX_LIMIT
        )
        if errors or point is None:
            return field_errors_response(errors)
        queryset = WifiSite.objects.select_related("ward")
        found = nearest(queryset=queryset, lon=point[0], lat=point[1], limit=limit)
        features = [wifi_feature(n.obj, n.distance_m) for n in found]
        return Response({"type": "FeatureCollection", "features": features})


@replica_reads
class LayerListView(JsonAPIView):
    """Session-aware (staff see staff layers), so not a PublicJsonAPIView."""

    @extend_schema(
        operation_id="layers_list",
        summary="The map's layers in order, with names, kind, style and default visibility",
        responses={200: {"type": "array", "items": {"type": "object"}}},
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "key": layer.key,
                    "name_vi": layer.name_vi,
                    "name_en": layer.name_en,
                    "name_zh": layer.name_zh,
                    "kind": layer.kind,
                    "poi_layer": layer.poi_layer or None,
                    "color": layer.color,
                    "icon": layer.icon or None,
                    "audience": layer.audience,
                    "visible_by_default": layer.visible_by_default,
                }
                for layer in layers_for(request.user)
            ]
        )
