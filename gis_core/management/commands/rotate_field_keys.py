"""Re-encrypt reporters' contact data under the newest key (after prepending one to
HT_FIELD_KEYS), so the older keys can then be removed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gis_core.contact_crypto import contacts_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypts every report's contact name, phone and e-mail and every citizen's phone "
        "under the first key of HT_FIELD_KEYS, and recomputes the phone hashes under "
        "HT_PHONE_HASH_KEY. One transaction; afterwards the keys after the first can be "
        "removed from HT_FIELD_KEYS."
    )

    def handle(self, *args, **options) -> None:
        reports, accounts = contacts_rotate()
        self.stdout.write(
            f"{reports} report(s) and {accounts} citizen account(s) re-encrypted under the "
            "first key of HT_FIELD_KEYS."
        )
