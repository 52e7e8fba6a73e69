"""export_data reports|LAYER --format geojson|csv|gpkg --out PATH [filters]: public exports."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.dates import command_day
from etl.exports import (
    FORMATS,
    POI_COLUMNS,
    REPORT_COLUMNS,
    WIFI_COLUMNS,
    frame_from_queryset,
    write,
)
from gis_core.selectors import reports_public
from layers.models import Layer, PointOfInterest, WifiSite


class Command(BaseCommand):
    help = (
        "Export reports (filtered) or a map layer as GeoJSON, CSV or GeoPackage, with ward "
        "codes and without any personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", help="'reports', or a layer key (e.g. tourism, wifi)")
        parser.add_argument("--format", choices=FORMATS, default="geojson", dest="fmt")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--since")
        parser.add_argument("--until")
        parser.add_argument("--ward", help="ward code")
        parser.add_argument("--category")
        parser.add_argument("--status")

    def handle(self, *args, what, fmt, out, since, until, ward, category, status, **options):
        if what == "reports":
            qs = reports_public(
                since=command_day(since, "--since"),
                until=command_day(until, "--until"),
                ward_code=ward,
                category=category,
                status=status,
            )
            frame = frame_from_queryset(qs, REPORT_COLUMNS)
        else:
            layer = Layer.objects.filter(key=what).first()
            if layer is None:
                known = ", ".join(["reports", *Layer.objects.values_list("key", flat=True)])
                raise CommandError(f"Unknown export {what!r}. Known: {known}.")
            if layer.kind == Layer.Kind.WIFI:
                frame = frame_from_queryset(WifiSite.objects.order_by("id"), WIFI_COLUMNS)
            elif layer.kind == Layer.Kind.POINTS_OF_INTEREST:
                pois = PointOfInterest.objects.filter(layer=layer.poi_layer).order_by("id")
                frame = frame_from_queryset(pois, POI_COLUMNS)
            else:
                raise CommandError(f"Layer {what!r} ({layer.kind}) has no features to export.")
        out.write_bytes(write(frame, fmt, layer=what))
        self.stdout.write(f"{len(frame)} features written to {out} ({fmt}).")
