"""The ward list for the maps: outlines (optionally simplified) with report counts."""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.dates import date_param
from common.db_routing import replica_reads
from layers.ward_counts import ward_report_counts
from ward_boundaries.api.params import (
    PROVINCE_PARAMETER,
    SIMPLIFY_MAX_M,
    SIMPLIFY_MIN_M,
    province_param,
    simplify_param,
    version_param,
)
from ward_boundaries.api.serializers import ward_properties
from ward_boundaries.selectors import ward_outlines_geojson, wards_for_map


@replica_reads
class WardListView(PublicJsonAPIView):
    @extend_schema(
        summary="Wards as GeoJSON (the versions valid today, or ?version= / ?date=)",
        parameters=[
            OpenApiParameter("version", str, description="Boundary version name"),
            PROVINCE_PARAMETER,
            OpenApiParameter("date", OpenApiTypes.DATE, description="Wards valid on this day"),
            OpenApiParameter(
                "simplify",
                float,
                description=f"Outlines simplified to this tolerance in metres "
                f"({SIMPLIFY_MIN_M:g}-{SIMPLIFY_MAX_M:g}), coordinates rounded to 6 decimals: "
                "for drawing (the map asks about half a pixel of its zoom). Default: the full "
                "polygons, which the ward lookup always uses.",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        errors: dict[str, list[str]] = {}
        version = version_param(request.query_params, errors)
        day = date_param(request.query_params, "date", errors)
        tolerance = simplify_param(request.query_params, errors)
        province = province_param(request.query_params, errors)
        if errors:
            return field_errors_response(errors)
        wards = list(
            wards_for_map(version=version, day=day, province_code=province).order_by("code")
        )
        counts = ward_report_counts([w.id for w in wards])
        outlines = (
            ward_outlines_geojson(wards, tolerance_m=tolerance) if tolerance is not None else {}
        )
        features = []
        for ward in wards:
            by_status = counts.get(ward.id, {})
            properties = ward_properties(ward)
            properties["report_counts"] = {"total": sum(by_status.values()), "by_status": by_status}
            outline = outlines.get(ward.id)
            features.append(
                {
                    "type": "Feature",
                    "id": ward.code,
                    "geometry": json.loads(outline if outline else ward.geom.json),
                    "properties": properties,
                }
            )
        return Response({"type": "FeatureCollection", "features": features})
