"""Re-writes the reports' contact columns in batches: encrypting the plain rows (gis_core
0021), decrypting them (its reverse) and re-encrypting under the newest key
(`rotate_field_keys`). Raw SQL so `updated_at`, the retention clock, is left alone."""

from __future__ import annotations

from collections.abc import Callable

from common.field_crypto import decrypt_text, encrypt_text, phone_hash, rotate_token

# (name, phone, email) as stored -> the same, rewritten, and the phone's hash (None: keep).
RowRewrite = Callable[[str, str, str], tuple[str, str, str, str | None]]

_SELECT = """
    SELECT id, contact_name, contact_phone, contact_email FROM gis_core_report
    WHERE id > %s AND (contact_name <> '' OR contact_phone <> '' OR contact_email <> '')
    ORDER BY id LIMIT %s
"""
_UPDATE = """
    UPDATE gis_core_report r
    SET contact_name = v.name, contact_phone = v.phone, contact_email = v.email,
        contact_phone_hash = coalesce(v.hash, r.contact_phone_hash)
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
         AS v(id, name, phone, email, hash)
    WHERE r.id = v.id
"""


def contacts_rewrite(cursor, rewrite: RowRewrite, *, batch: int = 2000) -> int:
    """Applies `rewrite` to every report with a contact, `batch` rows per statement; returns
    the number of rows rewritten. Runs in the caller's transaction."""
    last, done = 0, 0
    while True:
        cursor.execute(_SELECT, [last, batch])
        rows = cursor.fetchall()
        if not rows:
            return done
        columns: list[list] = [[], [], [], [], []]
        for pk, name, phone, email in rows:
            for column, value in zip(columns, (pk, *rewrite(name, phone, email)), strict=True):
                column.append(value)
        cursor.execute(_UPDATE, columns)
        last, done = rows[-1][0], done + len(rows)


def encrypt_row(name: str, phone: str, email: str) -> tuple[str, str, str, str | None]:
    """Plain contact -> tokens and the phone's hash."""
    return encrypt_text(name), encrypt_text(phone), encrypt_text(email), phone_hash(phone)


def decrypt_row(name: str, phone: str, email: str) -> tuple[str, str, str, str | None]:
    """Tokens -> plain contact (the hash column is dropped next)."""
    return decrypt_text(name), decrypt_text(phone), decrypt_text(email), None


def rotate_row(name: str, phone: str, email: str) -> tuple[str, str, str, str | None]:
    """Tokens under any key -> tokens under the first key; the hash is recomputed too, so a
    new PHONE_HASH_KEY can be brought in by the same pass."""
    return (
        rotate_token(name),
        rotate_token(phone),
        rotate_token(email),
        phone_hash(decrypt_text(phone)),
    )


def contacts_rotate(*, batch: int = 2000) -> tuple[int, int]:
    """Re-encrypts every stored contact under the first key of FIELD_ENCRYPTION_KEYS and
    recomputes the phone hashes (and citizens' usernames) under PHONE_HASH_KEY, in one
    transaction. Returns (reports, accounts) rewritten; afterwards the old keys can go."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from gis_core.models import CitizenPhone

    User = get_user_model()
    with transaction.atomic(), connection.cursor() as cursor:
        reports = contacts_rewrite(cursor, rotate_row, batch=batch)
        accounts = 0
        for row in CitizenPhone.objects.all().iterator(chunk_size=batch):
            row.save(update_fields=["phone"])  # read with any key, written with the first
            User.objects.filter(pk=row.pk).update(username=phone_hash(row.phone))
            accounts += 1
    return reports, accounts
