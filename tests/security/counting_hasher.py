"""A real password hasher (Django's MD5, as in the test settings) that counts its hashes, so a
test can show that a refused sign-in checked no password at all."""

from __future__ import annotations

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5PasswordHasher(MD5PasswordHasher):
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)
