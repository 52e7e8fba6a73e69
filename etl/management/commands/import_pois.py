"""import_pois: load points of interest (GeoJSON points or CSV lon/lat) into a map layer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from etl.pois import PoiFileError
from layers.services import PoiImportRefused, poi_import


class Command(BaseCommand):
    help = (
        "Import points of interest into a layer, matching rows by source id (OSM type/id or a "
        "source_id column) so a re-import updates instead of duplicating. One bad row refuses "
        "the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=".geojson (Point features) or .csv (name, lon, lat)")
        parser.add_argument("--layer", required=True, help="layer name (slug), e.g. tourism")
        parser.add_argument("--source", default="", help="source for rows that name none")
        parser.add_argument("--licence", default="", help="licence for rows that name none")
        parser.add_argument(
            "--prune", action="store_true", help="delete the layer's points missing from the file"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, then roll back"
        )

    def handle(self, *args, **options):
        try:
            result = poi_import(
                path=options["path"],
                layer=options["layer"],
                source=options["source"],
                licence=options["licence"],
                prune=options["prune"],
                dry_run=options["dry_run"],
            )
        except (PoiFileError, PoiImportRefused) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Layer {result.layer}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.deleted} deleted."
        )
        if result.dry_run:
            self.stdout.write(self.style.NOTICE("Dry run: nothing was saved."))
