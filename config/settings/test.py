"""pytest: its own database (test_hientruong), media in a temporary folder."""

import os
import tempfile

from .base import *  # noqa: F403
from .caches import TEST_REDIS_DB_OFFSET, cache_settings

DEBUG = False
# The worker subprocess of the video tests (tests/gis_core/worker.py) is given the folders of
# the test run that started it through these two variables.
MEDIA_ROOT = os.environ.get("HT_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="hientruong-media-")
PRIVATE_MEDIA_ROOT = os.environ.get("HT_TEST_PRIVATE_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="hientruong-private-"
)
if CACHE_MODE == "redis":  # noqa: F405
    # Databases of their own, so a test run never empties a running demo's caches.
    CACHES.update(  # noqa: F405
        cache_settings(var_dir=VAR_DIR, mode="redis", db_offset=TEST_REDIS_DB_OFFSET)  # noqa: F405
    )
else:
    CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="hientruong-cache-")  # noqa: F405
    CACHES["tiles"]["LOCATION"] = tempfile.mkdtemp(prefix="hientruong-tiles-")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
# In-process tests read the locmem outbox; a worker subprocess writes files the test reads.
SMS_BACKEND = os.environ.get("HT_TEST_SMS_BACKEND", "gis_core.sms.LocmemSmsBackend")
SMS_FILE_PATH = os.environ.get("HT_TEST_SMS_DIR") or tempfile.mkdtemp(prefix="hientruong-sms-")
# E-mail the same way: a worker subprocess writes files where the test that started it reads.
EMAIL_FILE_PATH = os.environ.get("HT_TEST_MAIL_DIR") or tempfile.mkdtemp(prefix="hientruong-mail-")
# Tests ask for several codes in a row; the 60 s resend wait has a test of its own.
LOGIN_CODE_RESEND_SECONDS = 0
# The hostile-input and fuzz suites send hundreds of exports and list pages from one address;
# tests/security/test_read_limits.py turns the heavy-read limits back on where it tests them.
READ_LIMIT_EXPORT = READ_LIMIT_LIST = READ_LIMIT_HOTSPOTS = READ_LIMIT_STAFF = None
EXPORT_CACHE_SECONDS = 0
LEAGUE_CACHE_SECONDS = 0  # tests change reports between requests; their own turn it on
