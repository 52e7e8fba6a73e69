"""The ward lookup (which ward a point belongs to, by the rule that assigns reports) and the
outlines the planner draws (ward_boundaries.outlines)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.compression import weak_match
from common.dates import date_param
from common.db_routing import replica_reads
from common.validation import lon_lat_params
from ward_boundaries.api.params import PROVINCE_PARAMETER, province_param, version_param
from ward_boundaries.api.serializers import ward_properties
from ward_boundaries.outlines import COUNTRY_TOLERANCE_M, outline_state, outlines_body
from ward_boundaries.selectors import ward_for_point

# Boundaries change a few times a year: a browser reuses the outlines for five minutes, then
# revalidates with If-None-Match (a 304 without the body).
OUTLINES_CACHE_CONTROL = "public, max-age=300"


class WardLookupView(PublicJsonAPIView):
    @extend_schema(
        summary="The ward a point belongs to (the same rule that assigns reports)",
        parameters=[
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter("version", str, description="Use this boundary version only"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        point = lon_lat_params(params, errors)
        version = version_param(params, errors)
        day = date_param(params, "date", errors)
        if errors or point is None:
            return field_errors_response(errors)
        lon, lat = point
        result = ward_for_point(lon=lon, lat=lat, at=day, version=version)
        if result is None:
            return Response(
                {"detail": _("Không phường nào chứa điểm này hay nằm trong khoảng dung sai.")},
                status=404,
            )
        data = ward_properties(result.ward)
        data.update(
            {
                "match": result.match,
                "distance_m": round(result.distance_m, 1)
                if result.distance_m is not None
                else None,
            }
        )
        return Response(data)


@replica_reads
class WardOutlinesView(PublicJsonAPIView):
    @extend_schema(
        summary="Outlines for drawing: the country's provinces, or one province's wards",
        description=(
            "Without `province`: each province of the versions in force today, its wards "
            f"dissolved and simplified to {COUNTRY_TOLERANCE_M:g} m (`view`: country); where "
            "those versions hold one province only, every ward in force at full detail "
            "(`view`: wards). With `province`: that province's wards in force at full detail, "
            "coordinates rounded to 6 decimals. For drawing only: the ward lookup always uses "
            "the full polygons."
        ),
        parameters=[PROVINCE_PARAMETER],
        responses={
            200: OpenApiTypes.OBJECT,
            304: OpenApiResponse(description="Not modified (If-None-Match)"),
            400: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        province = province_param(request.query_params, errors)
        if errors:
            return field_errors_response(errors)
        state = outline_state()
        etag = state.etag(province)
        response: HttpResponse
        # Weakly: behind the gzip middleware the browser sends back W/"...".
        if weak_match(request.headers.get("If-None-Match"), etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(outlines_body(state, province), content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = OUTLINES_CACHE_CONTROL
        return response
