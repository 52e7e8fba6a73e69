"""Recomputes the operations centre's emerging-hotspot alert (cron, every 10 minutes)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from layers.hotspots import ALERT_DAYS, refresh_hotspot_alert


class Command(BaseCommand):
    help = (
        f"Runs the hotspot analysis of the last {ALERT_DAYS} days (all categories) and stores "
        "its emerging hotspots for the operations queue page, so no page load pays for it."
    )

    def handle(self, *args, **options) -> None:
        start = time.perf_counter()
        alerts = refresh_hotspot_alert()
        self.stdout.write(
            f"{len(alerts)} emerging hotspot(s) in {time.perf_counter() - start:.1f} s: "
            + (
                ", ".join(f"{a.ward_name or '?'} ({a.report_count} reports)" for a in alerts)
                or "none"
            )
        )
