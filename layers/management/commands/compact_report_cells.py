"""Folds the heatmap cells' delta rows together (run hourly or nightly from cron)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from layers.report_cells import compact_report_cells, rebuild_report_cells


class Command(BaseCommand):
    help = (
        "Compacts layers_reportcell: every report write appends delta rows, which readers "
        "sum; folding them keeps heatmaps and tiles fast. --rebuild recounts from the reports."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Recount every cell from the reports (a repair; blocks report writes meanwhile)",
        )

    def handle(self, *args, rebuild: bool = False, **options) -> None:
        start = time.perf_counter()
        if rebuild:
            rows = rebuild_report_cells()
            self.stdout.write(f"Rebuilt {rows:,} cell rows in {time.perf_counter() - start:.1f} s.")
            return
        before, after = compact_report_cells()
        self.stdout.write(
            f"Compacted {before:,} cell rows into {after:,} in {time.perf_counter() - start:.1f} s."
        )
