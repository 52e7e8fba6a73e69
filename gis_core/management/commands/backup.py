"""Back up the database and the photos into one dated folder (see gis_core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gis_core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "pg_dump (custom format) of the database plus a tar of MEDIA_ROOT, with a manifest "
        "(row counts, checksums), into HT_BACKUP_DIR/hientruong-YYYYmmdd-HHMMSS/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, default=None, help="default HT_BACKUP_DIR")

    def handle(self, *args, output_dir: Path | None = None, **options) -> None:
        try:
            folder = backup_create(output_dir=output_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {folder}")
