"""Restore a backup folder into an empty database, then its photos (see gis_core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gis_core.backup import (
    BackupError,
    Connection,
    backup_restore,
    media_root,
    private_media_root,
)


class Command(BaseCommand):
    help = (
        "Restores PATH (a folder written by `backup`) into the database named by "
        "--database-url (a postgis:// URL, or 'default' for this project's), which must be "
        "empty unless --force; PostGIS is created first. Photos go to MEDIA_ROOT, the private "
        "originals to PRIVATE_MEDIA_ROOT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--database-url", default="default", help="URL or 'default'")
        parser.add_argument("--media-root", type=Path, default=None, help="default MEDIA_ROOT")
        parser.add_argument(
            "--private-media-root",
            type=Path,
            default=None,
            help="where the private originals go; default PRIVATE_MEDIA_ROOT",
        )
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--force", action="store_true", help="restore into a non-empty database (replaces)"
        )

    def handle(self, *args, path: Path, database_url: str, **options) -> None:
        target = Connection.parse(database_url)
        media = None if options["no_media"] else (options["media_root"] or media_root())
        private = (
            None if options["no_media"] else (options["private_media_root"] or private_media_root())
        )
        if not options["yes"]:
            answer = input(
                f"Restore {path} into database {target.name!r}"
                + (f" and photos into {media}" if media else "")
                + (f" and private originals into {private}" if private else "")
                + "? Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Not confirmed; nothing changed.")
        try:
            manifest = backup_restore(
                folder=path,
                target=target,
                media_dir=media,
                private_dir=private,
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = ", ".join(f"{n} {t}" for t, n in manifest["tables"].items())
        self.stdout.write(
            f"Restored {path.name} into {target.name!r} ({tables}); "
            + (f"{manifest['media_files']} photo files into {media}" if media else "no photos")
            + (
                f", {manifest.get('private_files', 0)} private originals into {private}."
                if private
                else "."
            )
        )
        if media is None and settings.MEDIA_ROOT and not options["no_media"]:
            self.stdout.write("Photos are in object storage: restore the bucket separately.")
