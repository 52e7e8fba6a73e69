"""API keys for Open311 clients. Only a SHA-256 hash of each key is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models

KEY_PREFIX_CHARS = 8


def hash_key(raw: str) -> str:
    """SHA-256 is enough: keys are 256 random bits, so there is nothing to brute-force."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """A key an Open311 client sends as `api_key` to POST service requests."""

    name = models.CharField(max_length=120, help_text="Who holds the key (an app, a partner).")
    prefix = models.CharField(
        max_length=KEY_PREFIX_CHARS, help_text="The key's first characters, to recognise it."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "Open311 API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str) -> tuple[ApiKey, str]:
        """Creates a key; returns it with the raw key, which is never retrievable again."""
        raw = secrets.token_urlsafe(32)
        key = cls.objects.create(name=name, prefix=raw[:KEY_PREFIX_CHARS], key_hash=hash_key(raw))
        return key, raw

    @classmethod
    def authenticate(cls, raw: str | None) -> ApiKey | None:
        """The active key matching `raw`, or None."""
        if not raw or len(raw) > 200:
            return None
        return cls.objects.filter(key_hash=hash_key(raw), is_active=True).first()
