"""Carry out citizens' requests to erase their contact data (run at least daily: each is due
within HT_ERASURE_WORKING_DAYS working days)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gis_core.erasure import erasure_carry_out, erasures_pending


class Command(BaseCommand):
    help = (
        "Erases the contact data of every open erasure request: the account's reports keep "
        "their content but lose name, phone, e-mail and the link to the account; the account "
        "can no longer sign in. Each request is its own transaction; running it again "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument("--by", default="", help="the staff member's sign-in name, recorded")

    def handle(self, *args, dry_run: bool = False, by: str = "", **options) -> None:
        operator = None
        if by:
            operator = get_user_model().objects.filter(username=by).first()
            if operator is None:
                raise CommandError(f"No account named {by!r}.")
        now = timezone.now()
        pending = list(erasures_pending())
        for request in pending:
            late = " (overdue)" if request.deadline < now else ""
            if dry_run:
                due = f"{request.deadline:%Y-%m-%d %H:%M}"
                self.stdout.write(f"request {request.pk}: due {due}{late}")
                continue
            done = erasure_carry_out(request, by=operator)
            self.stdout.write(
                f"request {request.pk}: {done.reports} report(s) anonymised"
                f"{', account retired' if done.account_retired else ''}{late}"
            )
        verb = "open" if dry_run else "carried out"
        self.stdout.write(f"{len(pending)} erasure request(s) {verb}.")
