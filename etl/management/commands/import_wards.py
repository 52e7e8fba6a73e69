"""import_wards: load a boundary file as (or into) a named boundary version."""

from __future__ import annotations

from common.dates import command_day, date_option
from etl.management.import_command import ImportCommand
from etl.wards import BoundaryFileError, read_ward_file
from ward_boundaries.services import WardImportRefused, WardImportResult, ward_version_import


class Command(ImportCommand):
    refusals = (BoundaryFileError, WardImportRefused)

    help = (
        "Import ward boundaries (GeoJSON, Shapefile folder/.shp/.zip, GeoPackage; any CRS) into "
        "a boundary version, creating it or updating its wards in place by code."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django's own --version (print Django's version) would clash with ours.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", help="boundary file or Shapefile folder")
        parser.add_argument(
            "--version", required=True, help="boundary version name (slug), e.g. mong-cai-2024"
        )
        parser.add_argument("--layer", help="layer to read when the file has several")
        parser.add_argument("--code-field", default="ward_code", help="field with the GSO code")
        parser.add_argument("--name-field", default="name", help="field with the ward name")
        parser.add_argument(
            "--valid-from", type=date_option, help="first day in force (YYYY-MM-DD)"
        )
        parser.add_argument("--valid-to", type=date_option, help="last day in force (YYYY-MM-DD)")
        parser.add_argument("--description", default="")
        parser.add_argument("--source", default="", help="where the polygons come from")
        parser.add_argument("--licence", default="", help="licence of the polygons")
        self.add_dry_run_argument(parser)

    def handle(self, *args, **options):
        for key in ("valid_from", "valid_to"):  # call_command(valid_from="...") skips `type`
            options[key] = command_day(options[key], "--" + key.replace("_", "-"))
        records, repairs = self.run_import(
            lambda: read_ward_file(
                options["path"],
                layer=options["layer"],
                code_field=options["code_field"],
                name_field=options["name_field"],
            )
        )
        result = self.run_import(
            lambda: ward_version_import(
                records=records,
                repairs=repairs,
                version=options["version"],
                valid_from=options["valid_from"],
                valid_to=options["valid_to"],
                description=options["description"],
                source=options["source"],
                licence=options["licence"],
                dry_run=options["dry_run"],
            )
        )
        self._summary(result)

    def _summary(self, result: WardImportResult) -> None:
        out = self.stdout
        state = "new" if result.version_created else "existing"
        out.write(
            f"Version {result.version.name} ({state}): {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged, {result.deleted} deleted."
        )
        if result.repairs:
            out.write(f"Repairs ({len(result.repairs)}):")
            for note in result.repairs:
                out.write(f"  - {note}")
        if result.warnings:
            out.write(self.style.WARNING(f"Warnings ({len(result.warnings)}):"))
            for warning in result.warnings:
                out.write(self.style.WARNING(f"  - {warning}"))
        self.write_dry_run_notice(result.dry_run)
        if not result.dry_run:
            out.write(self.style.SUCCESS("Done."))
        out.write("Hint: run reassign_wards to re-decide the wards of existing reports.")
