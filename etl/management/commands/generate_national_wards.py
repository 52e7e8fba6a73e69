"""generate_national_wards: write the synthetic national partition as a GeoJSON for import_wards."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from etl.national_partition import (
    DEFAULT_SEED,
    MONG_CAI_2025,
    cached_national_file,
    write_national_file,
)


class Command(BaseCommand):
    help = (
        "Write the synthetic partition of Vietnam (34 provinces, 3,321 communes; "
        "etl.national_partition) as GeoJSON, by default cached under var/national/, and print "
        "the import_wards command that loads it as its own boundary version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--mong-cai-hole",
            action="store_true",
            help="leave out the area of the demo's Móng Cái 2025 wards (and their count from "
            "Quảng Ninh), so both versions can be in force on the same day",
        )
        parser.add_argument(
            "--hole-file",
            default=str(MONG_CAI_2025),
            help="boundary file whose union is the hole (with --mong-cai-hole)",
        )
        parser.add_argument(
            "--output", help="file to write (default: a cached file under var/national/)"
        )

    def handle(self, *args, **options):
        hole = options["hole_file"] if options["mong_cai_hole"] else None
        if options["output"]:
            path = write_national_file(
                options["output"], seed=options["seed"], mong_cai_hole_path=hole
            )
        else:
            path = cached_national_file(
                Path(settings.VAR_DIR) / "national", seed=options["seed"], mong_cai_hole_path=hole
            )
        self.stdout.write(str(path))
        self.stdout.write(
            f"Import: manage.py import_wards {path} --version vn-national-2025 "
            "--valid-from 2025-07-01 --source 'synthetic (etl.national_partition)'"
        )
