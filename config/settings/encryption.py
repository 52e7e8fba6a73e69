"""Settings fragment (encryption at rest): keys of the reporters' contact columns.

Star-imported at the end of base.py. Development and tests use the fixed keys below;
config.settings.prod requires both variables and refuses these (SECURITY.md, "Encryption at
rest").
"""

import os

from common.field_crypto import HASH_KEY_VARIABLE, KEYS_VARIABLE, parse_field_keys

DEV_FIELD_KEY = "V-iK5ZtC6I0lu4XhZwbKKejA9PVXPpM4P94DXK2gqlc="  # refused by config.settings.prod
DEV_PHONE_HASH_KEY = "dev-only-phone-hash-key-change-me"  # refused by config.settings.prod

# Fernet keys, comma-separated, newest first: the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = parse_field_keys(
    os.environ.get(KEYS_VARIABLE, "") or DEV_FIELD_KEY, KEYS_VARIABLE
)
# The key of the phone's HMAC (sign-in finds earlier reports by it); changing it orphans
# every stored hash, so it is not rotated with the Fernet keys.
PHONE_HASH_KEY = os.environ.get(HASH_KEY_VARIABLE, "") or DEV_PHONE_HASH_KEY
