"""Downloads: filtered reports or a map layer as GeoJSON, CSV or GeoPackage (no personal data)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from etl.exports import (
    CONTENT_TYPES,
    FORMATS,
    POI_COLUMNS,
    REPORT_COLUMNS,
    WIFI_COLUMNS,
    frame_from_queryset,
    write,
)
from gis_core.api.params import parse_report_filters
from gis_core.selectors import reports_public
from layers.models import Layer, PointOfInterest, WifiSite

# A whole-city download of a million reports belongs to the export_data command, not a request.
MAX_EXPORT_ROWS = 100_000


def _download(frame, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(write(frame, fmt, layer=name), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class ReportExportView(PublicJsonAPIView):
    @extend_schema(
        operation_id="export_reports",
        summary="Filtered reports as GeoJSON, CSV or GeoPackage, with ward codes",
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
            OpenApiParameter("bbox", str),
            OpenApiParameter("ward", str),
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
        },
    )
    def get(self, request: Request, fmt: str):
        filters, errors = parse_report_filters(request.query_params)
        if errors:
            return field_errors_response(errors)
        qs = reports_public(**filters)
        if qs.count() > MAX_EXPORT_ROWS:
            return field_errors_response(
                {
                    "non_field_errors": [
                        f"More than {MAX_EXPORT_ROWS:,} reports: narrow the period or area, "
                        "or use the export_data command."
                    ]
                }
            )
        return _download(frame_from_queryset(qs, REPORT_COLUMNS), fmt, "reports")


class LayerExportView(PublicJsonAPIView):
    @extend_schema(
        operation_id="export_layer",
        summary="A public map layer's features as GeoJSON, CSV or GeoPackage",
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
        ],
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY,
            404: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request, key: str, fmt: str):
        layer = Layer.objects.filter(key=key, audience=Layer.Audience.PUBLIC).first()
        if layer is None or layer.kind not in (Layer.Kind.WIFI, Layer.Kind.POINTS_OF_INTEREST):
            raise Http404("No public layer with features under this key.")
        if layer.kind == Layer.Kind.WIFI:
            frame = frame_from_queryset(WifiSite.objects.order_by("id"), WIFI_COLUMNS)
        else:
            qs = PointOfInterest.objects.filter(layer=layer.poi_layer).order_by("id")
            frame = frame_from_queryset(qs, POI_COLUMNS)
        return _download(frame, fmt, key)
