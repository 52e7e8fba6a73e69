"""The ward lookup: which ward a point belongs to, by the rule that assigns reports."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.dates import date_param
from common.validation import lon_lat_params
from ward_boundaries.api.params import version_param
from ward_boundaries.api.serializers import ward_properties
from ward_boundaries.selectors import ward_for_point


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
