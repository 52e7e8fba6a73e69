"""Settings for soak.py: the dev settings with DEBUG off, served by gunicorn on loopback.

All the load comes from one loopback address, so the per-address submission limit is lifted
here; everything else (idempotency, photo checks, the upload quota) is as in production.
"""

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
