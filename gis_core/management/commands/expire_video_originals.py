"""Delete the private originals of clips past their retention (run daily)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from common.humanize import human_size
from gis_core.retention import months_ago
from gis_core.video_retention import video_originals_expire


class Command(BaseCommand):
    help = (
        "Deletes the original upload of each clip HT_VIDEO_ORIGINAL_DAYS (default 30) after "
        "its public copy is ready, and of clips of reports anonymised under "
        "HT_RETENTION_MONTHS. The public copy (no metadata) stays."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        result = video_originals_expire(
            ready_before=timezone.now() - dt.timedelta(days=settings.VIDEO_ORIGINAL_DAYS),
            anonymised_before=months_ago(settings.RETENTION_MONTHS),
            dry_run=dry_run,
        )
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            f"{result.clips} clip original(s) {verb} ({human_size(result.bytes_freed)})."
        )
