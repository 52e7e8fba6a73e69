"""import_pois: load points of interest (GeoJSON, CSV, GeoPackage or OpenStreetMap) into layers."""

from __future__ import annotations

from django.core.management.base import CommandError

from etl.management.import_command import ImportCommand
from etl.osm import DEFAULT_MAPPING, is_osm_file, load_mapping, read_osm_file
from etl.pois import PoiFileError, read_poi_file
from layers.services import PoiImportRefused, osm_import, poi_import


class Command(ImportCommand):
    refusals = (PoiFileError, PoiImportRefused)

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
        self.add_dry_run_argument(parser)

    def handle(self, *args, **options):
        if is_osm_file(options["path"]):
            if options["gpkg_layer"]:
                raise CommandError("--gpkg-layer applies only to GeoPackage (.gpkg) files")
            return self._osm(options)
        if not options["layer"]:
            raise CommandError("--layer is required for GeoJSON, CSV and GeoPackage files")
        if options["mapping"]:
            raise CommandError("--mapping applies only to OpenStreetMap (.osm, .osm.pbf) files")
        result = self.run_import(
            lambda: poi_import(
                records=read_poi_file(options["path"], gpkg_layer=options["gpkg_layer"]),
                layer=options["layer"],
                source=options["source"],
                licence=options["licence"],
                prune=options["prune"],
                dry_run=options["dry_run"],
            )
        )
        self._write_layer(result)
        self.write_dry_run_notice(result.dry_run)

    def _osm(self, options):
        source, licence = options["source"], options["licence"]
        result = self.run_import(
            lambda: osm_import(
                read=read_osm_file(
                    options["path"],
                    load_mapping(options["mapping"]),
                    source=source,
                    licence=licence,
                ),
                layer=options["layer"],
                source=source,
                licence=licence,
                prune=options["prune"],
                dry_run=options["dry_run"],
            )
        )
        for layer in result.layers:
            self._write_layer(layer)
        if not result.layers:
            self.stdout.write("No feature matched the mapping.")
        self.stdout.write(
            f"Skipped {result.skipped_unmapped} feature(s) no rule maps and "
            f"{result.skipped_unnamed} mapped feature(s) without a name."
        )
        self.write_dry_run_notice(result.dry_run)

    def _write_layer(self, result):
        self.stdout.write(
            f"Layer {result.layer}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.deleted} deleted."
        )
