"""Issues an Open311 API key and prints it once: only its hash is stored."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from open311.models import ApiKey


class Command(BaseCommand):
    help = "Create an Open311 API key for a client; the key is printed once and never again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Who holds the key, e.g. 'Móng Cái Smart app'.")

    def handle(self, *args, name: str, **options) -> None:
        key, raw = ApiKey.issue(name)
        self.stderr.write(f"Created key {key.prefix}… for {key.name!r}. Store it now:")
        self.stdout.write(raw)
