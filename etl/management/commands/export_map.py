"""export_map --out map.html [--province CODE] [--ward CODE] [--since D --until D] [--layers ...]:
an offline map."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.dates import command_day
from web_map.map_export import EXPORT_LAYERS, MAX_REPORTS, MapExportError, export_city_map

LAYERS = EXPORT_LAYERS


class Command(BaseCommand):
    help = (
        "Write a standalone HTML map (folium) of the city, one province or one ward, for a "
        "period, with the chosen layers and a legend. It opens offline (Leaflet is inlined) "
        "and stays small."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--ward", help="ward code (today's boundaries): only that ward")
        parser.add_argument("--province", help="province code: only that province's wards")
        parser.add_argument("--since")
        parser.add_argument("--until")
        parser.add_argument("--layers", default=",".join(LAYERS), help=",".join(LAYERS))
        parser.add_argument("--tiles", action="store_true", help="add the basemap (online)")

    def handle(self, *args, out, ward, province, since, until, layers, tiles, **options):
        try:
            result = export_city_map(
                ward=ward,
                province=province or None,
                since=command_day(since, "--since"),
                until=command_day(until, "--until"),
                layers=layers.split(","),
                tiles=tiles,
            )
        except MapExportError as exc:
            raise CommandError(str(exc)) from exc
        out.write_text(result.html, encoding="utf-8")
        count = result.report_count
        self.stdout.write(
            f"{out}: {len(result.html.encode()) / 1024:,.0f} KB, {count} reports"
            + (f" (the {MAX_REPORTS} most recent)" if count == MAX_REPORTS else "")
            + f", layers: {', '.join(result.layers)}."
        )
