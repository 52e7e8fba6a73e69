"""import_pois: load points of interest (GeoJSON, CSV, GeoPackage or OpenStreetMap) into layers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from etl.osm import DEFAULT_MAPPING, is_osm_file, load_mapping, read_osm_file
from etl.pois import PoiFileError, read_poi_file
from layers.services import PoiImportRefused, osm_import, poi_import


class Command(BaseCommand):
    help = (
        "Import points of interest into a layer, matching rows by source id (OSM type/id or a "
        "source_id column) so a re-import updates instead of duplicating. One bad row refuses "
        "the whole file. OpenStreetMap files (.osm, .osm.pbf) are split into layers by a tag "
        "mapping; their untagged or unnamed features are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help=".geojson (Point features), .csv (name, lon, lat), .gpkg (a Point layer in any "
            "CRS), .osm or .osm.pbf",
        )
        parser.add_argument(
            "--layer",
            help="layer name (slug), e.g. tourism; required for GeoJSON/CSV/GeoPackage, for OSM "
            "files imports only that layer of the mapping",
        )
        parser.add_argument(
            "--gpkg-layer",
            help="GeoPackage only: the layer of the file to read (needed if it has several)",
        )
        parser.add_argument(
            "--mapping",
            help=f"OSM files only: tag-to-layer mapping JSON (default {DEFAULT_MAPPING.name})",
        )
        parser.add_argument("--source", default="", help="source for rows that name none")
        parser.add_argument("--licence", default="", help="licence for rows that name none")
        parser.add_argument(
            "--prune", action="store_true", help="delete the layer's points missing from the file"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, then roll back"
        )

    def handle(self, *args, **options):
        if is_osm_file(options["path"]):
            if options["gpkg_layer"]:
                raise CommandError("--gpkg-layer applies only to GeoPackage (.gpkg) files")
            return self._osm(options)
        if not options["layer"]:
            raise CommandError("--layer is required for GeoJSON, CSV and GeoPackage files")
        if options["mapping"]:
            raise CommandError("--mapping applies only to OpenStreetMap (.osm, .osm.pbf) files")
        try:
            records = read_poi_file(options["path"], gpkg_layer=options["gpkg_layer"])
            result = poi_import(
                records=records,
                layer=options["layer"],
                source=options["source"],
                licence=options["licence"],
                prune=options["prune"],
                dry_run=options["dry_run"],
            )
        except (PoiFileError, PoiImportRefused) as exc:
            raise CommandError(str(exc)) from exc
        self._write_layer(result)
        if result.dry_run:
            self.stdout.write(self.style.NOTICE("Dry run: nothing was saved."))

    def _osm(self, options):
        try:
            read = read_osm_file(
                options["path"],
                load_mapping(options["mapping"]),
                source=options["source"],
                licence=options["licence"],
            )
            result = osm_import(
                read=read,
                layer=options["layer"],
                source=options["source"],
                licence=options["licence"],
                prune=options["prune"],
                dry_run=options["dry_run"],
            )
        except (PoiFileError, PoiImportRefused) as exc:
            raise CommandError(str(exc)) from exc
        for layer in result.layers:
            self._write_layer(layer)
        if not result.layers:
            self.stdout.write("No feature matched the mapping.")
        self.stdout.write(
            f"Skipped {result.skipped_unmapped} feature(s) no rule maps and "
            f"{result.skipped_unnamed} mapped feature(s) without a name."
        )
        if result.dry_run:
            self.stdout.write(self.style.NOTICE("Dry run: nothing was saved."))

    def _write_layer(self, result):
        self.stdout.write(
            f"Layer {result.layer}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.deleted} deleted."
        )
