"""Settings fragment (storage): where photos live, and an optional upload quota.

HT_STORAGE=local (default) keeps photos under MEDIA_ROOT; HT_STORAGE=s3 puts them in an
S3-compatible bucket (AWS, MinIO, Viettel/FPT object storage) through django-storages, which
the optional extra installs: pip install -e '.[s3]'. Imported by privacy.py.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

STATICFILES_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        # A clear error at start-up, not a 500 at the first photo.
        raise ValueError(f"HT_STORAGE=s3 needs {name} (see README: Configuration).")
    return value


def storages_from_env(env: Mapping[str, str]) -> dict[str, dict]:
    """Django's STORAGES for HT_STORAGE=local|s3 and the HT_S3_* variables.

    Photos are public by design (EXIF stripped), so S3 URLs are plain, unsigned URLs
    (querystring_auth off) and never overwrite an existing object (names carry a hash).
    """
    kind = env.get("HT_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        default: dict[str, object] = {"BACKEND": "common.atomic_storage.AtomicFileSystemStorage"}
    elif kind == "s3":
        options: dict[str, object] = {
            "bucket_name": _required(env, "HT_S3_BUCKET"),
            "access_key": _required(env, "HT_S3_ACCESS_KEY_ID"),
            "secret_key": _required(env, "HT_S3_SECRET_ACCESS_KEY"),
            "location": env.get("HT_S3_PREFIX", "media").strip("/"),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        }
        for variable, option in (
            ("HT_S3_ENDPOINT_URL", "endpoint_url"),
            ("HT_S3_REGION", "region_name"),
            ("HT_S3_CUSTOM_DOMAIN", "custom_domain"),
        ):
            if env.get(variable, "").strip():
                options[option] = env[variable].strip()
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    else:
        raise ValueError(f"HT_STORAGE={kind!r}: expected 'local' or 's3'.")
    return {"default": default, "staticfiles": {"BACKEND": STATICFILES_BACKEND}}


STORAGES = storages_from_env(os.environ)

# Optional cap on the bytes stored under MEDIA_ROOT/reports (photos and thumbnails). Unset:
# no quota. When reached, submissions with photos get a retryable 503 (StorageFull) instead
# of filling the disk the database and logs share.
MEDIA_QUOTA_BYTES = (
    int(os.environ["HT_MEDIA_QUOTA_BYTES"])
    if os.environ.get("HT_MEDIA_QUOTA_BYTES", "").strip()
    else None
)
# Measuring the folder walks it; each worker re-measures at most this often and adds its own
# writes in between (so several workers may overshoot by what they store in that time).
MEDIA_QUOTA_RECHECK_SECONDS = float(os.environ.get("HT_MEDIA_QUOTA_RECHECK_SECONDS", "10"))

# `backup` writes dated folders here; `backup`/`restore` use the pg_dump/pg_restore of the
# server's major version (/usr/lib/postgresql/<major>/bin) unless HT_PG_BIN_DIR names one.
BACKUP_DIR = Path(
    os.environ.get("HT_BACKUP_DIR")
    or Path(os.environ.get("HT_VAR_DIR", Path(__file__).resolve().parents[2] / "var")) / "backups"
)
PG_BIN_DIR = os.environ.get("HT_PG_BIN_DIR", "")
