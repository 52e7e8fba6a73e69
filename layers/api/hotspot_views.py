"""Hotspots as GeoJSON: public, like the heatmap, since they are counts of public reports.

Anonymous callers get stored answers only (layers.hotspot_snapshots): the default period is
precomputed by `precompute_hotspots`; any other parameter set needs a signed-in staff member
to be analysed first. Every caller is rate-limited (gis_core.read_limits).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response, rate_limited_response
from common.dates import date_param
from common.db_routing import replica_reads
from common.local_time import local_today
from gis_core.accounts import RateLimited
from gis_core.models import Category
from gis_core.read_limits import check_read_limit, is_staff_request
from layers.hotspot_snapshots import (
    DEFAULT_DAYS,
    cached_answer,
    is_default_period,
    precomputed_provinces,
    stored_answer,
)
from layers.hotspots import ALLOWED_HEX_SIZES_M, DEFAULT_HEX_SIZE_M, MAX_PERIOD_DAYS
from ward_boundaries.api.params import PROVINCE_PARAMETER, province_param

# Plain ASCII metres, optionally with a zero fraction ("500", "500.0"): float() would also
# take fullwidth digits, "5e2" or "500.0001", each a new cache key.
_HEX_SIZE = re.compile(r"^[0-9]{1,5}(\.0{1,3})?$")
# When the precompute command runs again (cron, docs/hotspots.md): the Retry-After of a
# default-period answer not stored yet.
PRECOMPUTE_RETRY_SECONDS = 600


def _allowed_sizes() -> str:
    return ", ".join(f"{size:g}" for size in ALLOWED_HEX_SIZES_M)


def parse_hotspot_params(params) -> tuple[dict, dict[str, list[str]]]:
    """category/since/until/hex_size/province from a query string, or errors keyed by field
    name. A province makes its wards the study area (its own grid and FDR step)."""
    errors: dict[str, list[str]] = {}
    out: dict = {"category": None}
    # The analysis compares with the period just before (as long again): date_param bounds
    # the dates so that arithmetic stays inside the calendar.
    until = date_param(params, "until", errors, default=local_today()) or local_today()
    since = date_param(params, "since", errors) or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if not errors and since > until:
        errors["since"] = [_("since phải không muộn hơn until.")]
    elif not errors and (until - since).days + 1 > MAX_PERIOD_DAYS:
        errors["since"] = [
            _("Khoảng thời gian dài quá %(days)s ngày (tối đa một năm).")
            % {"days": MAX_PERIOD_DAYS}
        ]
    out["since"], out["until"] = since, until
    raw_size = (params.get("hex_size") or "").strip()
    out["hex_size_m"] = DEFAULT_HEX_SIZE_M
    if raw_size:
        size = float(raw_size) if _HEX_SIZE.match(raw_size) else None
        if size not in ALLOWED_HEX_SIZES_M:
            errors["hex_size"] = [
                _("hex_size phải là một trong các giá trị: %(sizes)s (mét).")
                % {"sizes": _allowed_sizes()}
            ]
        else:
            out["hex_size_m"] = size
    code = params.get("category")
    if code:
        if not Category.objects.filter(code=code[:50]).exists():
            errors["category"] = [_("Không có lĩnh vực này.")]
        out["category"] = code[:50]
    out["province"] = province_param(params, errors)
    return out, errors


def not_stored_response(params: dict) -> Response:
    """404: no stored answer, and an anonymous caller may not start an analysis. The body
    says what is precomputed; for the default period, Retry-After says when it will be."""
    default = is_default_period(params)
    body: dict = {
        "detail": _(
            "Chưa có kết quả điểm nóng tính sẵn cho các tham số này. Kết quả %(days)s ngày "
            "gần nhất được tính sẵn định kỳ cho mọi lĩnh vực với hex_size %(sizes)s; kỳ khác "
            "cần cán bộ đăng nhập để tính."
        )
        % {"days": DEFAULT_DAYS, "sizes": _allowed_sizes()},
        "precomputed": {
            "days": DEFAULT_DAYS,
            "hex_sizes": [int(size) for size in ALLOWED_HEX_SIZES_M],
        },
    }
    provinces = precomputed_provinces()
    if provinces:  # the provinces stored too (a one-province deployment stores none apart)
        body["precomputed"]["provinces"] = provinces
    if not default:
        message = _("Kỳ này chưa được tính sẵn; hãy bỏ since/until để xem %(days)s ngày gần nhất.")
        body["errors"] = {"since": [message % {"days": DEFAULT_DAYS}]}
    response = Response(body, status=404)
    if default:
        response["Retry-After"] = str(PRECOMPUTE_RETRY_SECONDS)
    return response


@replica_reads
class HotspotView(PublicJsonAPIView):
    """Statistically significant clusters of reports; docs/hotspots.md says how to read them."""

    @extend_schema(
        operation_id="reports_hotspots",
        summary="Hotspots of reports (Getis-Ord Gi* on hexes, FDR-corrected) as GeoJSON "
        "polygons, with ward, size, trend against the previous period and `emerging`",
        description="Anonymous callers are answered from precomputed results only (the last "
        f"{DEFAULT_DAYS} days for every hex size and category, country-wide and for each "
        "province in force, or what staff analysed); "
        "otherwise 404 with what is precomputed.",
        parameters=[
            OpenApiParameter("category", str, description="Category code; default all"),
            OpenApiParameter("since", OpenApiTypes.DATE, description="Default: 89 days ago"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter(
                "hex_size",
                float,
                description=f"Hex width across flats in metres, one of {_allowed_sizes()}; "
                f"default {DEFAULT_HEX_SIZE_M:g}",
                enum=list(ALLOWED_HEX_SIZES_M),
            ),
            PROVINCE_PARAMETER,
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request) -> Response:
        params, errors = parse_hotspot_params(request.query_params)
        if errors:
            return field_errors_response(errors)
        try:
            check_read_limit(request, "hotspots")
        except RateLimited as exc:
            return rate_limited_response(exc)
        if is_staff_request(request):
            return Response(cached_answer(params))
        answer = stored_answer(params)
        if answer is None:
            return not_stored_response(params)
        return Response(answer)
