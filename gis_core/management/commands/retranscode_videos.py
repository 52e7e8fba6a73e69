"""Queue clips for transcoding again (after the cause of their failure is fixed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gis_core.video_processing import videos_requeue


class Command(BaseCommand):
    help = (
        "Puts video clips back to 'processing' with a new transcode job for the worker: the "
        "clips given by id, or every failed one with --failed. Ready clips are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="ReportVideo ids")
        parser.add_argument("--failed", action="store_true", help="every failed clip")

    def handle(self, *args, ids: list[int], failed: bool, **options) -> None:
        if not ids and not failed:
            raise CommandError("Give clip ids, or --failed for every failed clip.")
        queued = videos_requeue(video_ids=ids or None, failed=failed)
        self.stdout.write(f"{len(queued)} clip(s) queued for transcoding: {queued}")
