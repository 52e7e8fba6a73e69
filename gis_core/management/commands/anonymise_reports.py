"""Blank the contact data of reports closed more than HT_RETENTION_MONTHS ago, and purge the
contact access log older than HT_CONTACT_ACCESS_LOG_MONTHS (run daily)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gis_core.contact_access import access_log_purge
from gis_core.retention import months_ago, reports_anonymise


class Command(BaseCommand):
    help = (
        "Blanks contact name, phone and e-mail, and unlinks the reporter's account, of reports "
        "resolved or rejected more than HT_RETENTION_MONTHS (default 24) months ago. One "
        "transaction; running it again changes nothing. Also deletes contact access log rows "
        "older than HT_CONTACT_ACCESS_LOG_MONTHS (default 24)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="override HT_RETENTION_MONTHS for this run",
        )

    def handle(self, *args, dry_run: bool = False, months: int | None = None, **options) -> None:
        months = settings.RETENTION_MONTHS if months is None else months
        if months < 1:
            raise ValueError("The retention period must be at least one month.")
        cutoff = months_ago(months)
        result = reports_anonymise(cutoff=cutoff, dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"{result.reports} report(s) closed before {cutoff:%Y-%m-%d} {verb} "
            f"(retention {months} months); {result.unlinked_reporters} unlinked from a "
            f"citizen account, {result.unlinked_ratings} rating(s) unlinked from the rater."
        )
        log_cutoff = months_ago(settings.CONTACT_ACCESS_LOG_MONTHS)
        purged = access_log_purge(before=log_cutoff, dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            f"{purged} contact access log row(s) older than {log_cutoff:%Y-%m-%d} {verb} "
            f"(kept {settings.CONTACT_ACCESS_LOG_MONTHS} months)."
        )
