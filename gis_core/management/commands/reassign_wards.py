"""reassign_wards [--version V] [--since D --until D]: re-decide report wards in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from common.dates import command_day, date_option
from common.local_time import local_midnight
from gis_core.services import reports_reassign_wards
from ward_boundaries.models import BoundaryVersion


class Command(BaseCommand):
    help = (
        "Re-decide the ward of existing reports with the current boundaries (set-based, one "
        "transaction). --version forces one boundary version whatever the report dates."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django's own --version (print Django's version) would clash with ours.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--version", dest="boundary_version", help="boundary version name")
        parser.add_argument(
            "--since", type=date_option, help="only reports made on or after this day (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--until", type=date_option, help="only reports made on or before this day (YYYY-MM-DD)"
        )

    def handle(self, *args, boundary_version=None, since=None, until=None, **options):
        version_id = None
        if boundary_version:
            version = BoundaryVersion.objects.filter(name=boundary_version).first()
            if version is None:
                known = ", ".join(
                    BoundaryVersion.objects.order_by("name").values_list("name", flat=True)
                )
                raise CommandError(
                    f"Unknown version {boundary_version!r}. Known: {known or 'none'}."
                )
            version_id = version.pk
        start = command_day(since, "--since")
        end = command_day(until, "--until")
        if start and end and start > end:
            raise CommandError("--since is after --until.")
        examined, changed = reports_reassign_wards(
            version_id=version_id,
            since=local_midnight(start) if start else None,
            until=local_midnight(end + dt.timedelta(days=1)) if end else None,
        )
        self.stdout.write(f"{changed} of {examined} reports changed ward.")
