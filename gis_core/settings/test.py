"""pytest: its own database (test_hientruong), media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
MEDIA_ROOT = tempfile.mkdtemp(prefix="hientruong-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
SMS_BACKEND = "gis_core.sms.LocmemSmsBackend"
