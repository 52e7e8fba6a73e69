"""What the import commands share: read a file, call the owning app's service, summarise.

A bad file or a refused import becomes a CommandError with the reader's or the service's own
message (nothing was stored); a dry run says so after its summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError

T = TypeVar("T")


class ImportCommand(BaseCommand):
    """Subclasses name the exceptions that mean "bad input, nothing stored" in `refusals`."""

    refusals: tuple[type[Exception], ...] = ()

    def add_dry_run_argument(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, then roll back"
        )

    def run_import(self, work: Callable[[], T]) -> T:
        try:
            return work()
        except self.refusals as exc:
            raise CommandError(str(exc)) from exc

    def write_dry_run_notice(self, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(self.style.NOTICE("Dry run: nothing was saved."))
