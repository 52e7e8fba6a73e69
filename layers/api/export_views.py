"""Downloads: a public map layer's features as GeoJSON, CSV or GeoPackage."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from common.api.base import PublicJsonAPIView
from common.api.errors import rate_limited_response
from common.db_routing import replica_reads
from common.download_cache import cached_download
from etl.exports import FORMATS, POI_COLUMNS, WIFI_COLUMNS, download_response, frame_from_queryset
from gis_core.accounts import RateLimited
from gis_core.read_limits import check_read_limit
from layers.models import Layer, PointOfInterest, WifiSite


@replica_reads
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
            429: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request, key: str, fmt: str):
        layer = Layer.objects.filter(key=key, audience=Layer.Audience.PUBLIC).first()
        if layer is None or layer.kind not in (Layer.Kind.WIFI, Layer.Kind.POINTS_OF_INTEREST):
            raise Http404(_("Không có lớp bản đồ công khai nào có đối tượng với khoá này."))
        try:
            check_read_limit(request, "export")
        except RateLimited as exc:
            return rate_limited_response(exc)
        return cached_download(["layer", key, fmt], lambda: self.export(layer, key, fmt))

    def export(self, layer: Layer, key: str, fmt: str):
        if layer.kind == Layer.Kind.WIFI:
            frame = frame_from_queryset(WifiSite.objects.order_by("id"), WIFI_COLUMNS)
        else:
            qs = PointOfInterest.objects.filter(layer=layer.poi_layer).order_by("id")
            frame = frame_from_queryset(qs, POI_COLUMNS)
        return download_response(frame, fmt, key)
