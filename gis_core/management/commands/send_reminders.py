"""send_reminders: e-mail agencies about reports due soon and overdue (run it from cron)."""

from django.core.management.base import BaseCommand

from gis_core.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind agencies of reports due within REMINDER_BEFORE_HOURS and of overdue ones, "
        "once each per due time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, dry_run: bool, **options):
        tally = send_reminders(dry_run=dry_run)
        prefix = "dry run: would send" if dry_run else "sent"
        self.stdout.write(
            f"{prefix} {tally.before_due} due-soon and {tally.overdue} overdue reminders"
            + (f"; {tally.no_address} reports' agencies have no e-mail" if tally.no_address else "")
            + "."
        )
