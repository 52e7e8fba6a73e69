"""Hotspots as GeoJSON: public, like the heatmap, since they are counts of public reports."""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.dates import date_param
from common.local_time import local_today
from gis_core.models import Category
from layers.hotspots import (
    DEFAULT_HEX_SIZE_M,
    MAX_HEX_SIZE_M,
    MIN_HEX_SIZE_M,
    HotspotResult,
    find_hotspots_cached,
)

DEFAULT_DAYS = 90
MAX_PERIOD_DAYS = 20 * 366  # twenty years: far more than any hotspot analysis needs


def parse_hotspot_params(params) -> tuple[dict, dict[str, list[str]]]:
    """category/since/until/hex_size from a query string, or errors keyed by field name."""
    errors: dict[str, list[str]] = {}
    out: dict = {"category": None}
    # The analysis compares with the period just before (as long again): date_param bounds
    # the dates so that arithmetic stays inside the calendar.
    until = date_param(params, "until", errors, default=local_today()) or local_today()
    since = date_param(params, "since", errors) or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if not errors and since > until:
        errors["since"] = [_("since phải không muộn hơn until.")]
    elif not errors and (until - since).days + 1 > MAX_PERIOD_DAYS:
        errors["since"] = [f"The period is longer than {MAX_PERIOD_DAYS:,} days."]
    out["since"], out["until"] = since, until
    raw_size = params.get("hex_size")
    out["hex_size_m"] = DEFAULT_HEX_SIZE_M
    if raw_size:
        try:
            size = float(raw_size)
        except ValueError:
            size = math.nan
        if not MIN_HEX_SIZE_M <= size <= MAX_HEX_SIZE_M:  # NaN fails too
            errors["hex_size"] = [
                f"{raw_size!r}: expected metres between {MIN_HEX_SIZE_M:g} and "
                f"{MAX_HEX_SIZE_M:g} (the width of a hex across flats)."
            ]
        else:
            out["hex_size_m"] = size
    code = params.get("category")
    if code:
        if not Category.objects.filter(code=code[:50]).exists():
            errors["category"] = [f"Unknown category {code[:50]!r}."]
        out["category"] = code[:50]
    return out, errors


def hotspots_geojson(result: HotspotResult) -> dict:
    features = [
        {
            "type": "Feature",
            "id": cluster.id,
            "geometry": cluster.geometry,
            "properties": {
                "id": cluster.id,
                "lon": cluster.lon,
                "lat": cluster.lat,
                "hex_count": cluster.hex_count,
                "report_count": cluster.report_count,
                "ward_code": cluster.ward_code,
                "ward_name": cluster.ward_name,
                "max_z": cluster.max_z,
                "previous_count": cluster.previous_count,
                "change_pct": cluster.change_pct,
                "emerging": cluster.emerging,
            },
        }
        for cluster in result.clusters
    ]
    return {
        "type": "FeatureCollection",
        "since": result.parameters["since"],
        "until": result.parameters["until"],
        "previous_since": result.previous_since.isoformat(),
        "previous_until": result.previous_until.isoformat(),
        "parameters": result.parameters,
        "features": features,
    }


class HotspotView(PublicJsonAPIView):
    """Statistically significant clusters of reports; docs/hotspots.md says how to read them."""

    @extend_schema(
        operation_id="reports_hotspots",
        summary="Hotspots of reports (Getis-Ord Gi* on hexes, FDR-corrected) as GeoJSON "
        "polygons, with ward, size, trend against the previous period and `emerging`",
        parameters=[
            OpenApiParameter("category", str, description="Category code; default all"),
            OpenApiParameter("since", OpenApiTypes.DATE, description="Default: 89 days ago"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter(
                "hex_size",
                float,
                description=f"Hex width across flats in metres, {MIN_HEX_SIZE_M:g}-"
                f"{MAX_HEX_SIZE_M:g}; default {DEFAULT_HEX_SIZE_M:g}",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params, errors = parse_hotspot_params(request.query_params)
        if errors:
            return field_errors_response(errors)
        return Response(hotspots_geojson(find_hotspots_cached(**params)))
