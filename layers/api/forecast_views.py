"""GET /api/v1/staff/forecasts/: one series' weekly forecast for the planner's chart (staff).

Any staff role, like the planner page: the answer is counts per week, codes and names, never a
report. `ward` is a code of today's wards ("" or absent: the whole city), `category` a
category code ("" or absent: every category); anything else is a 400 naming the parameter.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.errors import field_errors_response
from gis_core.staff import staff_role
from layers.forecast_read import category_names, series_json, series_label, ward_names

CODE_MAX_CHARS = 50


def parse_series_params(params) -> tuple[str, str, dict[str, list[str]]]:
    """(ward code, category code, errors by parameter): each a known code or ""."""
    errors: dict[str, list[str]] = {}
    known = {"ward": ward_names(), "category": category_names()}
    values = {}
    for name in ("ward", "category"):
        raw = (params.get(name) or "").strip()
        if len(raw) > CODE_MAX_CHARS:
            errors[name] = [_("Tối đa %(n)s ký tự.") % {"n": CODE_MAX_CHARS}]
        elif raw and raw not in known[name]:
            errors[name] = [
                _("Không có phường/xã với mã này.")
                if name == "ward"
                else _("Không có lĩnh vực với mã này.")
            ]
        values[name] = raw if name not in errors else ""
    return values["ward"], values["category"], errors


class StaffForecastView(JsonAPIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if staff_role(request.user) is None:
            raise PermissionDenied(_("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ."))

    @extend_schema(
        operation_id="staff_forecast",
        summary="One series' weekly counts, its 8-week forecast with the interval, the method "
        "served and the backtest errors of the model and the seasonal-naive baseline",
        parameters=[
            OpenApiParameter("ward", str, description="a ward code of today; empty: the city"),
            OpenApiParameter("category", str, description="a category code; empty: all"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        ward, category, errors = parse_series_params(request.query_params)
        if errors:
            return field_errors_response(errors)
        label = series_label(ward, category, ward_names(), category_names())
        response = Response(
            {
                "ward": ward,
                "category": category,
                "label": label,
                "series": series_json(ward, category),
            }
        )
        response["Cache-Control"] = "private, no-cache"
        return response
