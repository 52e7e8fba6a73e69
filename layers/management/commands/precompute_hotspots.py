"""Stores the API's default hotspot answers for anonymous callers (cron, every hour)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gis_core.models import Category
from layers.hotspot_snapshots import DEFAULT_DAYS, precompute_defaults, precomputed_provinces
from layers.hotspots import ALLOWED_HEX_SIZES_M
from ward_boundaries.selectors import province_codes


class Command(BaseCommand):
    help = (
        f"Runs the hotspot analysis of the last {DEFAULT_DAYS} days for every allowed hex size "
        "and every category (and all together) and stores the answers: /api/v1/hotspots/ "
        "serves anonymous callers from them and never starts an analysis for them. By default "
        "the whole country and, when more than one province is in force, each of them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            metavar="CODE",
            help="Only this province (repeatable); the country-wide answers are left as they are.",
        )
        parser.add_argument(
            "--country-only",
            action="store_true",
            help="Only the country-wide answers, no province's.",
        )

    def handle(self, *args, **options) -> None:
        chosen: list[str] = options["province"]
        if chosen and options["country_only"]:
            raise CommandError("--province and --country-only exclude each other.")
        unknown = sorted(set(chosen) - set(province_codes()))
        if unknown:
            raise CommandError(f"Unknown province code(s): {', '.join(unknown)}.")
        provinces = (
            list(dict.fromkeys(chosen))
            if chosen
            else ([] if options["country_only"] else precomputed_provinces())
        )
        codes = list(Category.objects.filter(is_active=True).values_list("code", flat=True))
        done = precompute_defaults(
            hex_sizes=ALLOWED_HEX_SIZES_M,
            categories=[None, *codes],
            country=not chosen,
            provinces=provinces,
        )
        worst = max((ms for _, ms in done), default=0)
        total = sum(ms for _, ms in done)
        self.stdout.write(
            f"{len(done)} hotspot answer(s) stored in {total / 1000:.1f} s "
            f"(slowest {worst / 1000:.1f} s; {len(provinces)} province(s)"
            f"{'' if chosen else ' besides the country'})"
        )
