"""pytest: its own database (test_hientruong), media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
MEDIA_ROOT = tempfile.mkdtemp(prefix="hientruong-media-")
CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="hientruong-cache-")  # noqa: F405
CACHES["tiles"]["LOCATION"] = tempfile.mkdtemp(prefix="hientruong-tiles-")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
SMS_BACKEND = "gis_core.sms.LocmemSmsBackend"
