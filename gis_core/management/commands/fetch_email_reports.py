"""fetch_email_reports: turn the reports mailbox's unseen messages into reports (run it
from cron; docs/email-channel.md)."""

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from gis_core.email_intake import handle_message
from gis_core.email_mailbox import Mailbox, MailboxError
from gis_core.models import Category


class Command(BaseCommand):
    help = (
        "Read the unseen messages of the IMAP mailbox (HT_IMAP_*): each becomes a report in "
        "'received' answered with its reference, or is refused, answered and flagged."
    )

    def handle(self, *args, **options):
        if not settings.IMAP_HOST:
            raise CommandError("HT_IMAP_HOST is not set: the e-mail channel is off.")
        if not Category.objects.filter(
            code=settings.EMAIL_DEFAULT_CATEGORY, is_active=True
        ).exists():
            raise CommandError("HT_EMAIL_DEFAULT_CATEGORY names no active category.")
        tally: Counter[str] = Counter()
        try:
            with Mailbox() as mailbox, translation.override(settings.LANGUAGE_CODE):
                for uid in mailbox.unseen()[: settings.IMAP_MAX_MESSAGES_PER_RUN]:
                    tally[handle_message(mailbox, uid).outcome] += 1
        except MailboxError as exc:
            raise CommandError(f"IMAP mailbox: {exc}") from exc
        self.stdout.write(
            f"{tally['stored']} stored, {tally['repeat']} already stored, "
            f"{tally['refused']} refused, {tally['later']} left for the next run."
        )
