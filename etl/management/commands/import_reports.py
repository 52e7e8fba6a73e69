"""import_reports PATH: migrate a legacy system's reports (CSV or GeoJSON) through the bulk path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from etl.reports import ReportFileError, RowError, iter_report_tables, validate_reports
from gis_core.bulk_import import StreamedReportImport
from gis_core.models import Category, ReportStatus
from layers.report_cells import fold_all_pending

# Files smaller than this import without a progress bar (about 20,000 rows).
PROGRESS_ABOVE_BYTES = 3 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import reports from CSV (category, description, lon, lat[, reported_at, status, id, "
        "contact_*]) or a GeoJSON FeatureCollection of points. Bad rows are listed by row "
        "number and skipped; good rows land in one transaction; rows whose id was imported "
        "before are skipped. A CSV is read in chunks (IMPORT_CHUNK_ROWS), so any number of "
        "rows fits in memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate only, store nothing (a row repeating one in an earlier chunk of a "
            "large file is found only by the real run)",
        )
        parser.add_argument("--max-errors-shown", type=int, default=50)

    def handle(self, *args, path: Path, dry_run: bool, max_errors_shown: int, **options):
        category_ids = dict(Category.objects.values_list("code", "id"))
        statuses = set(ReportStatus.values)
        default_reported_at = pd.Timestamp(timezone.now())
        total = good = inserted = already = bad_rows = shown = hidden = 0
        big = path.is_file() and path.stat().st_size > PROGRESS_ABOVE_BYTES
        try:
            with (
                transaction.atomic(),
                tqdm(unit="rows", disable=not big or dry_run, file=self.stderr) as bar,
            ):
                importer = StreamedReportImport()
                for table in iter_report_tables(path):
                    batch = validate_reports(
                        table,
                        category_ids=category_ids,
                        statuses=statuses,
                        default_reported_at=default_reported_at,
                        description_max=settings.REPORT_DESCRIPTION_MAX_CHARS,
                        first_row=total + 1,
                    )
                    total += batch.total_rows
                    if dry_run:
                        result = importer.screen(batch.frame)[1]
                    else:
                        result = importer.add(batch.frame, progress=bar.update)
                    refused = [RowError(r.row, r.field, r.message) for r in result.refused]
                    errors = sorted([*batch.errors, *refused], key=lambda e: e.row)
                    bad_rows += len({e.row for e in errors})
                    good += len(batch) - len({r.row for r in refused})
                    inserted += result.inserted
                    already += result.already
                    for error in errors:
                        if shown < max_errors_shown:
                            self.stderr.write(str(error))
                            shown += 1
                        else:
                            hidden += 1
                if dry_run:
                    transaction.set_rollback(True)
        except ReportFileError as exc:
            raise CommandError(str(exc)) from exc
        if hidden:
            self.stderr.write(f"... and {hidden} more row errors")
        if dry_run:
            self.stdout.write(f"dry run: {good} good rows, {bad_rows} bad rows; nothing stored.")
            return
        folded = fold_all_pending(lock_timeout_ms=10_000) if inserted else 0
        self.stdout.write(
            f"{inserted} reports imported, {bad_rows} bad rows skipped"
            + (f", {already} already imported before" if already else "")
            + f" (of {total} rows)."
        )
        if folded is None:
            self.stdout.write(
                "The map's report cells are busy; run compact_report_cells to fold them in "
                "(maps stay exact meanwhile, only slower)."
            )
