"""Contact data at rest: Fernet tokens under rotating keys, and the phone's keyed hash.

Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) under a MultiFernet:
the first key of FIELD_ENCRYPTION_KEYS encrypts, every key decrypts, so a new key can be put
first and the old ones re-encrypted away (`rotate_field_keys`). The phone is also kept as an
HMAC-SHA256 of its normalised form under a separate PHONE_HASH_KEY: equal phones give equal
hashes, which is what sign-in needs to find earlier reports, and the hash reveals nothing
without that key. Empty text stays empty, so "has a contact" stays a plain comparison.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import time
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.phones import normalize_phone

KEYS_VARIABLE = "HT_FIELD_KEYS"
HASH_KEY_VARIABLE = "HT_PHONE_HASH_KEY"


class FieldKeyError(ImproperlyConfigured):
    """A stored token no key opens: a key is missing from HT_FIELD_KEYS (or the row was
    altered). Raised instead of showing ciphertext or an empty contact."""


def parse_field_keys(text: str, variable: str = KEYS_VARIABLE) -> list[str]:
    """The comma-separated Fernet keys of `text`, newest first; ImproperlyConfigured naming
    `variable` (never echoing a key) if there is none or one is not a Fernet key."""
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(f"{variable} holds no key.")
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{variable}: key {position} of {len(keys)} is not a Fernet key (32 bytes in "
                "url-safe base64, as Fernet.generate_key() prints)."
            )
    return keys


@functools.cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in parse_field_keys(",".join(keys))])


@functools.cache
def _primary(key: str) -> Fernet:
    return Fernet(key)


def field_cipher() -> MultiFernet:
    """The MultiFernet of the current settings (cached per key list, so tests may override)."""
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    """A Fernet token of `value`; '' stays ''."""
    if not value:
        return value
    return field_cipher().encrypt(value.encode()).decode("ascii")


def encrypt_many(values: Iterable[str]) -> list[str]:
    """encrypt_text for a column (the bulk importer): one key lookup and clock read for all."""
    primary = _primary(settings.FIELD_ENCRYPTION_KEYS[0])
    now = int(time.time())
    return [primary.encrypt_at_time(v.encode(), now).decode("ascii") if v else "" for v in values]


def decrypt_text(token: str) -> str:
    """The text of a token; '' stays ''. FieldKeyError when no key opens it."""
    if not token:
        return token
    try:
        return field_cipher().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise FieldKeyError(
            f"A stored contact cannot be decrypted: is a key missing from {KEYS_VARIABLE}?"
        ) from exc


def rotate_token(token: str) -> str:
    """The same text under the first key (MultiFernet.rotate); '' stays ''."""
    if not token:
        return token
    try:
        return field_cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise FieldKeyError(
            f"A stored contact cannot be decrypted: is a key missing from {KEYS_VARIABLE}?"
        ) from exc


@functools.cache
def _hasher(key: str) -> hmac.HMAC:
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def phone_hash(phone: str | None) -> str:
    """HMAC-SHA256 (hex) of the normalised phone under PHONE_HASH_KEY; '' for no phone.

    Text that is not a Vietnamese number is hashed as given (stripped), so it still matches
    itself."""
    if not phone or not phone.strip():
        return ""
    mac = _hasher(settings.PHONE_HASH_KEY).copy()
    mac.update((normalize_phone(phone) or phone.strip()).encode())
    return mac.hexdigest()
