"""Stores the API's default hotspot answers for anonymous callers (cron, every hour)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gis_core.models import Category
from layers.hotspot_snapshots import DEFAULT_DAYS, precompute_defaults
from layers.hotspots import ALLOWED_HEX_SIZES_M


class Command(BaseCommand):
    help = (
        f"Runs the hotspot analysis of the last {DEFAULT_DAYS} days for every allowed hex size "
        "and every category (and all together) and stores the answers: /api/v1/hotspots/ "
        "serves anonymous callers from them and never starts an analysis for them."
    )

    def handle(self, *args, **options) -> None:
        codes = list(Category.objects.filter(is_active=True).values_list("code", flat=True))
        done = precompute_defaults(hex_sizes=ALLOWED_HEX_SIZES_M, categories=[None, *codes])
        worst = max((ms for _, ms in done), default=0)
        total = sum(ms for _, ms in done)
        self.stdout.write(
            f"{len(done)} hotspot answer(s) stored in {total / 1000:.1f} s "
            f"(slowest {worst / 1000:.1f} s)"
        )
