"""Hash the photos stored before perceptual hashes existed (gis_core 0041), in batches."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from gis_core.photo_hash import photo_hashes_fill


class Command(BaseCommand):
    help = (
        "Computes the perceptual hash (pHash) of every report photo that has none, from its "
        "thumbnail, one transaction per batch. Running it again hashes only what is left; "
        "unreadable files are logged and left for the next run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--limit", type=int, default=None, help="stop after this many")

    def handle(self, *args, batch_size: int = 200, limit: int | None = None, **options) -> None:
        if batch_size < 1:
            raise ValueError("The batch size must be at least 1.")
        hashed, unreadable = photo_hashes_fill(batch_size=batch_size, limit=limit)
        self.stdout.write(f"{hashed} photo(s) hashed, {unreadable} unreadable.")
