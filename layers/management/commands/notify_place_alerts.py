"""notify_place_alerts: e-mail the tourism office about places with many recent reports."""

from django.core.management.base import BaseCommand

from layers.places.alerts import notify_place_alerts


class Command(BaseCommand):
    help = (
        "E-mail the tourism office about each place with TOURISM_PLACE_ALERT_REPORTS or more "
        "reports in 30 days (once per place per 30 days). The worker also runs it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the places, send nothing")

    def handle(self, *args, dry_run: bool, **options):
        tally = notify_place_alerts(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"dry run: {len(tally.places)} places due")
            for name in tally.places:
                self.stdout.write(f"  {name}")
            return
        if tally.no_recipients:
            self.stdout.write(
                f"{len(tally.places)} places due, but no active tourism user has an e-mail."
            )
            return
        self.stdout.write(f"sent {tally.sent} alerts.")
