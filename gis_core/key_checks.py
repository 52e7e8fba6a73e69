"""System check: HT_FIELD_KEYS must open the stored contacts.

A key left out of HT_FIELD_KEYS (or a wrong one) would make every staff page that shows a
contact fail; `manage.py check --database default` and `migrate` (run on every release,
docs/deploy.md) say so before the new workers start. A database check, so plain `check` and
the test run do not query.
"""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError, connection

from common.field_crypto import KEYS_VARIABLE, FieldKeyError, decrypt_text

# The newest and the oldest encrypted phone: a key rotated in and one never rotated away.
_SAMPLE_SQL = """
    (SELECT contact_phone FROM gis_core_report WHERE contact_phone <> '' ORDER BY id DESC LIMIT 1)
    UNION ALL
    (SELECT contact_phone FROM gis_core_report WHERE contact_phone <> '' ORDER BY id LIMIT 1)
"""


@checks.register(checks.Tags.database)
def field_keys_open_stored_contacts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not kwargs.get("databases"):
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(_SAMPLE_SQL)
            tokens = [row[0] for row in cursor.fetchall()]
    except DatabaseError:
        return []  # not migrated yet: nothing stored to open
    try:
        for token in tokens:
            decrypt_text(token)
    except FieldKeyError:
        return [
            checks.Error(
                f"No key in {KEYS_VARIABLE} decrypts the stored contact phones.",
                hint=f"Put back the key that was removed from {KEYS_VARIABLE} (any position "
                "after the first decrypts); `rotate_field_keys` re-encrypts under the first.",
                id="gis_core.E020",
            )
        ]
    return []
