"""Vector tile endpoints: /tiles/{reports|pois}/{z}/{x}/{y}.pbf (Mapbox Vector Tile)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.compression import weak_match
from common.db_routing import replica_reads
from gis_core.api.params import parse_report_filters
from gis_core.models import ReportStatus
from layers.tiles import MAX_ZOOM, POI_LAYER, REPORT_LAYER, cached_tile, valid_tile
from ward_boundaries.api.params import PROVINCE_PARAMETER

MVT = "application/vnd.mapbox-vector-tile"
# Browsers may reuse a tile for a minute, then revalidate with If-None-Match (cheap: 304).
CACHE_CONTROL = "public, max-age=60"

TILE_PATH_PARAMETERS = [
    OpenApiParameter("z", int, OpenApiParameter.PATH, description=f"Zoom 0-{MAX_ZOOM}"),
    OpenApiParameter("x", int, OpenApiParameter.PATH),
    OpenApiParameter("y", int, OpenApiParameter.PATH),
]
TILE_RESPONSES = {
    (200, MVT): OpenApiResponse(OpenApiTypes.BINARY, description="Mapbox Vector Tile"),
    304: OpenApiResponse(description="Not modified (If-None-Match)"),
    400: OpenApiTypes.OBJECT,
}


def _tile_response(request: Request, data: bytes, etag: str) -> HttpResponse:
    # Weakly: behind the gzip middleware the browser sends back W/"...".
    response: HttpResponse
    if weak_match(request.headers.get("If-None-Match"), etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type=MVT)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _tile_errors(z: int, x: int, y: int) -> dict[str, list[str]]:
    if valid_tile(z, x, y):
        return {}
    message = _("Không phải ô bản đồ: zoom từ 0 đến %(max)s, x và y từ 0 đến 2^zoom - 1.")
    return {"tile": [message % {"max": MAX_ZOOM}]}


@replica_reads
class ReportTileView(PublicJsonAPIView):
    @extend_schema(
        operation_id="tiles_reports",
        summary="Reports as a vector tile (layer 'reports')",
        description="Up to zoom 14 one point per cell of about 8 px with its `count`; finer "
        "zooms carry the reports (`id`, `category`, `status`), at most 5,000 per tile, newest "
        "first. Filters as in the report list.",
        parameters=[
            *TILE_PATH_PARAMETERS,
            OpenApiParameter("category", str),
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("ward", str, description="Ward code"),
            PROVINCE_PARAMETER,
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
            OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
        ],
        responses=TILE_RESPONSES,
    )
    def get(self, request: Request, z: int, x: int, y: int) -> HttpResponse:
        filters, errors = parse_report_filters(request.query_params)
        errors.update(_tile_errors(z, x, y))
        if errors:
            return field_errors_response(errors)
        data, etag = cached_tile(REPORT_LAYER, z, x, y, filters)
        return _tile_response(request, data, etag)


@replica_reads
class PoiTileView(PublicJsonAPIView):
    @extend_schema(
        operation_id="tiles_pois",
        summary="Points of interest as a vector tile (layer 'pois')",
        parameters=[
            *TILE_PATH_PARAMETERS,
            OpenApiParameter("layer", str, description="POI layer, e.g. tourism"),
            OpenApiParameter("category", str),
        ],
        responses=TILE_RESPONSES,
    )
    def get(self, request: Request, z: int, x: int, y: int) -> HttpResponse:
        errors = _tile_errors(z, x, y)
        if errors:
            return field_errors_response(errors)
        params = request.query_params
        filters = {
            "layer": (params.get("layer") or "")[:50],
            "category": (params.get("category") or "")[:50],
        }
        data, etag = cached_tile(POI_LAYER, z, x, y, filters)
        return _tile_response(request, data, etag)
