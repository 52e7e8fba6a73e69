"""The league table endpoints: JSON for clients, CSV for spreadsheets. Only unit-level
aggregates leave here: no report, reporter or staff member is ever named."""

from __future__ import annotations

import dataclasses

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.errors import field_errors_response
from common.csv_safe import rows_to_csv
from common.db_routing import replica_reads
from gis_core.league import (
    GROUPINGS,
    LeagueQuery,
    LeagueRow,
    league_table_cached,
    parse_league_query,
)
from ward_boundaries.api.params import PROVINCE_PARAMETER

# The spreadsheet keeps its columns: the names in Vietnamese (the JSON also has name_en/_zh).
CSV_COLUMNS = tuple(
    f.name for f in dataclasses.fields(LeagueRow) if f.name not in ("name_en", "name_zh")
)
# Moved to the front of the CSV, where a reader looks first.
CSV_HEADER = ("rank", *(c for c in CSV_COLUMNS if c != "rank"))

LEAGUE_PARAMETERS = [
    OpenApiParameter("by", str, enum=list(GROUPINGS), description="Default: agency"),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Local date; default 90 days ago"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Local date; default today"),
    PROVINCE_PARAMETER,
]


def league_rows(query: LeagueQuery) -> list[LeagueRow]:
    return league_table_cached(
        by=query.by, since=query.since, until=query.until, province=query.province
    )


@replica_reads
class LeagueTableView(JsonAPIView):
    @extend_schema(
        operation_id="league_table",
        summary="Units ranked by on-time resolution over a period",
        parameters=LEAGUE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        query, errors = parse_league_query(request.query_params, user=request.user)
        if query is None:
            return field_errors_response(errors)
        return Response(
            {
                "by": query.by,
                "since": query.since.isoformat(),
                "until": query.until.isoformat(),
                "province": query.province,
                "rows": [dataclasses.asdict(r) for r in league_rows(query)],
            }
        )


def _cell(value: object) -> object:
    """below_threshold as 1/0, which a spreadsheet filters and sums."""
    return int(value) if isinstance(value, bool) else value


def league_csv_filename(query: LeagueQuery) -> str:
    province = f"-{query.province}" if query.province else ""
    return f"league-{query.by}{province}-{query.since.isoformat()}-{query.until.isoformat()}.csv"


@replica_reads
class LeagueTableCsvView(JsonAPIView):
    @extend_schema(
        operation_id="league_table_csv",
        summary="The league table as CSV (UTF-8 with BOM, for Excel)",
        parameters=LEAGUE_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.STR, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> HttpResponse | Response:
        query, errors = parse_league_query(request.query_params, user=request.user)
        if query is None:
            return field_errors_response(errors)
        tables = (dataclasses.asdict(row) for row in league_rows(query))
        body = rows_to_csv(CSV_HEADER, ([_cell(data[c]) for c in CSV_HEADER] for data in tables))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{league_csv_filename(query)}"'
        return response
