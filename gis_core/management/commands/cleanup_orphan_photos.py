"""Delete photo files that no report references (left by failed or interrupted uploads):
public copies under MEDIA_ROOT/reports and private originals under photo-originals."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from gis_core.photo_storage import (
    orphan_original_files,
    orphan_photo_files,
    remove_empty_photo_folders,
)
from gis_core.video_storage import private_storage


class Command(BaseCommand):
    help = (
        "Deletes files under MEDIA_ROOT/reports, and private originals, that no ReportPhoto "
        "row references and that are older than --older-than-hours (default 6), so an upload "
        "still in flight is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-hours", type=float, default=6.0)
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *args, older_than_hours: float, dry_run: bool, **options) -> None:
        verbosity = options.get("verbosity", 1)
        if older_than_hours < 1:
            # A photo is written before its row commits: a short threshold would race uploads.
            raise ValueError("--older-than-hours must be at least 1.")
        age = dt.timedelta(hours=older_than_hours)
        found = [(default_storage, o) for o in orphan_photo_files(older_than=age)]
        originals = [(private_storage(), o) for o in orphan_original_files(older_than=age)]
        orphans = [o for _storage, o in found]
        total = sum(o.size for o in orphans)
        for storage, orphan in found + originals:
            if verbosity > 1 or dry_run:
                when = f"{orphan.modified:%Y-%m-%d %H:%M}"
                self.stdout.write(f"  {orphan.name} ({orphan.size:,} bytes, {when})")
            if not dry_run:
                storage.delete(orphan.name)
        folders = 0 if dry_run else remove_empty_photo_folders()
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            f"{len(orphans)} orphan photo file(s), {total:,} bytes, {verb}"
            + (f"; {folders} empty folder(s) removed." if not dry_run else ".")
        )
        self.stdout.write(
            f"{len(originals)} orphan private original(s), "
            f"{sum(o.size for _s, o in originals):,} bytes, {verb}."
        )
