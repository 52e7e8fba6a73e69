"""import_reports PATH: migrate a legacy system's reports (CSV or GeoJSON) through the bulk path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from etl.reports import ReportFileError, read_report_table, validate_reports
from gis_core.bulk_import import reports_bulk_insert
from gis_core.models import Category, ReportStatus
from layers.report_cells import fold_pending


class Command(BaseCommand):
    help = (
        "Import reports from CSV (category, description, lon, lat[, reported_at, status, id, "
        "contact_*]) or a GeoJSON FeatureCollection of points. Bad rows are listed by row "
        "number and skipped; good rows land in one transaction; rows whose id was imported "
        "before are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate only, store nothing")
        parser.add_argument("--max-errors-shown", type=int, default=50)

    def handle(self, *args, path: Path, dry_run: bool, max_errors_shown: int, **options):
        try:
            table = read_report_table(path)
            batch = validate_reports(
                table,
                category_ids=dict(Category.objects.values_list("code", "id")),
                statuses=set(ReportStatus.values),
                default_reported_at=pd.Timestamp(timezone.now()),
                description_max=settings.REPORT_DESCRIPTION_MAX_CHARS,
            )
        except ReportFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in batch.errors[:max_errors_shown]:
            self.stderr.write(str(error))
        if len(batch.errors) > max_errors_shown:
            self.stderr.write(f"... and {len(batch.errors) - max_errors_shown} more row errors")
        bad_rows = len({e.row for e in batch.errors})
        if dry_run:
            self.stdout.write(
                f"dry run: {len(batch)} good rows, {bad_rows} bad rows; nothing stored."
            )
            return
        with tqdm(
            total=len(batch), unit="rows", disable=len(batch) < 20_000, file=self.stderr
        ) as bar:
            inserted = reports_bulk_insert(batch.frame, progress=bar.update)
        folded = fold_pending(lock_timeout_ms=10_000) if inserted else 0
        skipped = len(batch) - inserted
        self.stdout.write(
            f"{inserted} reports imported, {bad_rows} bad rows skipped"
            + (f", {skipped} already imported before" if skipped else "")
            + f" (of {batch.total_rows} rows)."
        )
        if folded is None:
            self.stdout.write(
                "The map's report cells are busy; run compact_report_cells to fold them in "
                "(maps stay exact meanwhile, only slower)."
            )
