"""notify_staff: e-mail each staff member the new and overdue reports of their queue."""

from django.core.management.base import BaseCommand

from gis_core.staff_notifications import notify_staff


class Command(BaseCommand):
    help = "Send each staff member a digest: new reports in their queue and overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, dry_run: bool, **options):
        tally = notify_staff(dry_run=dry_run)
        prefix = "dry run: would send" if dry_run else "sent"
        self.stdout.write(
            f"{prefix} {tally.sent} digests; {tally.nothing_new} staff with nothing new"
            + (f"; {tally.no_address} without e-mail" if tally.no_address else "")
            + "."
        )
