"""Report counts summed into cells on the server: the heatmap's points and the grid's squares.

Both read the same report-cell tables with the same filters and zoom; they differ only in
how the cells are drawn, so one base parses the request and each view shapes its answer.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.db_routing import replica_reads
from common.validation import is_ascii_digits
from gis_core.api.params import parse_report_filters
from gis_core.models import ReportStatus
from layers.heat import report_grid, report_heat
from ward_boundaries.api.params import PROVINCE_PARAMETER

DEFAULT_ZOOM, MAX_ZOOM = 12, 20

REPORT_FILTER_PARAMETERS = [
    OpenApiParameter("zoom", int, description="Map zoom 0-20; default 12"),
    OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
    OpenApiParameter("category", str),
    OpenApiParameter("status", str, enum=ReportStatus.values),
    OpenApiParameter("ward", str, description="Ward code"),
    PROVINCE_PARAMETER,
    OpenApiParameter("since", OpenApiTypes.DATE),
    OpenApiParameter("until", OpenApiTypes.DATE),
]


def zoom_param(params: Any, errors: dict[str, list[str]]) -> int:
    raw = params.get("zoom") or str(DEFAULT_ZOOM)
    if not is_ascii_digits(raw) or not 0 <= int(raw) <= MAX_ZOOM:
        errors["zoom"] = [_("Mức zoom phải là một số nguyên từ 0 đến 20.")]
        return DEFAULT_ZOOM
    return int(raw)


class CellCountView(PublicJsonAPIView):
    """GET with report filters and ?zoom=: the subclass turns the counted cells into JSON."""

    def get(self, request: Request) -> Response:
        filters, errors = parse_report_filters(request.query_params)
        zoom = zoom_param(request.query_params, errors)
        if errors:
            return field_errors_response(errors)
        return Response(self.answer(zoom=zoom, filters=filters))

    def answer(self, *, zoom: int, filters: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


def _totals(cells: list[tuple[Any, Any, int]]) -> dict[str, int]:
    return {"total": sum(n for _, _, n in cells), "max": max((n for _, _, n in cells), default=0)}


@extend_schema_view(
    get=extend_schema(
        operation_id="reports_heat",
        summary="Report counts summed on the server into cells for a heatmap (lat, lon, count)",
        description="Cells are about 8 px at the zoom, coarser when more than 20,000.",
        parameters=REPORT_FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
)
@replica_reads
class ReportHeatView(CellCountView):
    def answer(self, *, zoom: int, filters: dict[str, Any]) -> dict[str, Any]:
        cell, cells = report_heat(zoom=zoom, **filters)
        return {"cell_deg": cell, **_totals(cells), "cells": [list(c) for c in cells]}


def _square(cx: int, cy: int, size: float) -> list[list[list[float]]]:
    x0, y0 = round(cx * size, 7), round(cy * size, 7)
    x1, y1 = round((cx + 1) * size, 7), round((cy + 1) * size, 7)
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


@extend_schema_view(
    get=extend_schema(
        operation_id="reports_grid",
        summary="Report counts on a square grid (cells of about 16 px at the zoom), as GeoJSON "
        "polygons with a count, for the planner's grid layer",
        parameters=REPORT_FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
)
@replica_reads
class ReportGridView(CellCountView):
    def answer(self, *, zoom: int, filters: dict[str, Any]) -> dict[str, Any]:
        size, cells = report_grid(zoom=zoom, **filters)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": _square(cx, cy, size)},
                "properties": {"count": n},
            }
            for cx, cy, n in cells
        ]
        return {
            "type": "FeatureCollection",
            "cell_deg": size,
            **_totals(cells),
            "features": features,
        }
