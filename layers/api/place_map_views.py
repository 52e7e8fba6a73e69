"""GET /api/v1/staff/places/map/: every place with its kind and how many visitors' reports were
filed at it in a period, for the planner's two layers (places by kind; reports by place).

Staff only, like the planner; counts only (no report, no reporter), one query, at most
MAX_PLACES places. Rejected reports are not counted (layers.places.report_selectors).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.errors import field_errors_response
from common.dates import period_params
from common.local_time import local_midnight
from gis_core.staff import staff_role
from layers.place_kinds import PLACE_KIND_NAMES
from layers.places.report_selectors import places_with_report_counts

DEFAULT_DAYS = 90
MAX_PLACES = 2_000


class StaffPlaceMapView(JsonAPIView):
    @extend_schema(
        operation_id="staff_place_map",
        summary="Places by kind with their visitors' report counts in a period (staff)",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="Default: 90 days ago"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Default: today"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        if staff_role(request.user) is None:
            detail = _("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ.")
            return Response({"detail": detail}, status=403)
        errors: dict[str, list[str]] = {}
        today = timezone.localdate()
        since, until = period_params(
            request.query_params,
            errors,
            since_default=today - dt.timedelta(days=DEFAULT_DAYS - 1),
            until_default=today,
        )
        if errors or since is None or until is None:
            return field_errors_response(errors)
        rows = places_with_report_counts(
            since=local_midnight(since),
            until=local_midnight(until + dt.timedelta(days=1)),
            limit=MAX_PLACES,
        )
        places = [
            {
                "id": str(r["public_id"]),
                "name": r["name"],
                "name_en": r["name_en"],
                "name_zh": r["name_zh"],
                "kind": r["kind"],
                "lon": round(r["lon"], 6),
                "lat": round(r["lat"], 6),
                "reports": r["reports"],
            }
            for r in rows
        ]
        kinds = {
            code: {"name_vi": n.vi, "name_en": n.en, "name_zh": n.zh}
            for code, n in PLACE_KIND_NAMES.items()
        }
        response = Response(
            {
                "since": since.isoformat(),
                "until": until.isoformat(),
                "kinds": kinds,
                "places": places,
                "truncated": len(places) == MAX_PLACES,
            }
        )
        response["Cache-Control"] = "private, no-cache"
        return response
