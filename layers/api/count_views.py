"""GET /api/v1/reports/count/: how many reports a map view holds (markers or tiles?)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.compression import weak_match
from common.db_routing import replica_reads
from gis_core.api.params import parse_report_filters
from gis_core.models import ReportStatus
from layers.report_count import COUNT_CELLS_ACROSS, report_count_in_view
from layers.tiles import tile_generation
from ward_boundaries.api.params import PROVINCE_PARAMETER

# As the tiles: a browser may reuse an answer for a minute (a report sent meanwhile is drawn
# by the page itself), then revalidates with If-None-Match.
CACHE_CONTROL = "public, max-age=60"


@replica_reads
class ReportCountView(PublicJsonAPIView):
    @extend_schema(
        operation_id="reports_count_in_view",
        summary="How many reports a map view holds, from the pre-aggregated cells",
        description="Sums the cells covering the bbox (about "
        f"{COUNT_CELLS_ACROSS} across its longer side): at least the reports in the bbox, at "
        "most one cell more at each edge; `covered` is the covering cells' bbox. Bounded work "
        "however many reports there are; the map asks it on every pan to choose markers "
        "(few reports) or vector tiles. Filters as in the report list.",
        parameters=[
            OpenApiParameter("bbox", str, required=True, description="minlon,minlat,maxlon,maxlat"),
            OpenApiParameter("category", str),
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("ward", str, description="Ward code"),
            PROVINCE_PARAMETER,
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
        ],
        responses={200: OpenApiTypes.OBJECT, 304: None, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        filters, errors = parse_report_filters(request.query_params)
        if "bbox" not in filters and "bbox" not in errors:
            errors["bbox"] = [_("Bắt buộc: minlon,minlat,maxlon,maxlat (vùng bản đồ đang xem).")]
        if errors:
            return field_errors_response(errors)
        bbox = filters.pop("bbox")
        result = report_count_in_view(bbox=bbox, generation=tile_generation(), **filters)
        # The answer itself names the content: equal answers share the tag.
        corners = "_".join(f"{v:g}" for v in result.covered)
        etag = f'"count-{result.count}-{result.level}-{corners}"'
        if weak_match(request.headers.get("If-None-Match"), etag):
            response = Response(status=304)
        else:
            response = Response(
                {"count": result.count, "covered": list(result.covered), "level": result.level}
            )
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        return response
