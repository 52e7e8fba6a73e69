"""Downloads: filtered reports as GeoJSON, CSV or GeoPackage (no personal data)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response, rate_limited_response
from common.db_routing import replica_reads
from common.download_cache import cached_download
from common.humanize import grouped
from etl.exports import FORMATS, REPORT_COLUMNS, download_response, frame_from_queryset
from gis_core.accounts import RateLimited
from gis_core.api.params import parse_report_filters
from gis_core.read_limits import check_read_limit, is_staff_request
from gis_core.selectors import reports_public
from ward_boundaries.api.params import PROVINCE_PARAMETER


def export_row_limit(request: Request) -> int:
    """Most rows one download may hold: building a file costs about 65 µs of CPU per row, so an
    anonymous or citizen caller gets what fits in well under a second (HT_EXPORT_MAX_ROWS_PUBLIC);
    staff get more (HT_EXPORT_MAX_ROWS_STAFF). A whole-city file of a million reports belongs to
    the export_data command, not a request."""
    if is_staff_request(request):
        return int(settings.EXPORT_MAX_ROWS_STAFF)
    return int(settings.EXPORT_MAX_ROWS_PUBLIC)


@replica_reads
class ReportExportView(PublicJsonAPIView):
    @extend_schema(
        operation_id="export_reports",
        summary="Filtered reports as GeoJSON, CSV or GeoPackage, with ward codes",
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
            OpenApiParameter("bbox", str),
            OpenApiParameter("ward", str),
            PROVINCE_PARAMETER,
            OpenApiParameter("category", str),
            OpenApiParameter("status", str),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
        ],
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY,
            400: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request, fmt: str):
        filters, errors = parse_report_filters(request.query_params)
        if errors:
            return field_errors_response(errors)
        try:
            check_read_limit(request, "export")
        except RateLimited as exc:
            return rate_limited_response(exc)
        limit = export_row_limit(request)
        parts = ["reports", fmt, *(f"{k}={filters[k]}" for k in sorted(filters))]
        return cached_download(parts, lambda: self.export(fmt, filters, limit))

    def export(self, fmt: str, filters: dict, limit: int):
        qs = reports_public(**filters)
        # One row past the limit is enough to know it is passed: no count of a million rows.
        if qs.order_by()[limit : limit + 1].exists():
            message = _(
                "Quá %(n)s phản ánh trong một tệp: hãy thu hẹp khoảng thời gian, phường "
                "hoặc vùng bản đồ."
            ) % {"n": grouped(limit)}
            return field_errors_response({"non_field_errors": [message]})
        return download_response(frame_from_queryset(qs, REPORT_COLUMNS), fmt, "reports")
