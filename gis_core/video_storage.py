"""Where clip files live: originals in private storage, transcoded copies in public media.

An original as the phone recorded it carries its GPS track, device make and model and
creation time, so it is stored under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: no URL serves it
and `url()` refuses. It is local disk whatever HT_STORAGE says, because ffmpeg reads a path.
Transcoded files and posters go to the default (public) storage under videos/, apart from
the photos' reports/ folder that cleanup_orphan_photos sweeps.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.atomic_storage import AtomicFileSystemStorage

PUBLIC_VIDEO_DIR = "videos"
ORIGINAL_DIR = "originals"


class PrivateStorage(AtomicFileSystemStorage):
    """Atomic local storage with no URL: a private file is reached by staff tools only."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


@lru_cache(maxsize=4)
def _storage_for(location: str, media_root: str) -> PrivateStorage:
    if _inside(Path(location), Path(media_root)):
        raise ImproperlyConfigured(
            f"PRIVATE_MEDIA_ROOT ({location}) is inside MEDIA_ROOT ({media_root}): original "
            "clips would be served publicly. Set HT_PRIVATE_MEDIA_ROOT elsewhere."
        )
    os.makedirs(location, mode=0o700, exist_ok=True)
    return PrivateStorage(location=location, file_permissions_mode=0o600)


def private_storage() -> PrivateStorage:
    """The storage of original clips (refuses to exist inside the public media folder)."""
    return _storage_for(str(settings.PRIVATE_MEDIA_ROOT), str(settings.MEDIA_ROOT))
