"""Photo files in storage: the upload quota, and finding files no row references.

Kept apart from gis_core.photos (decoding and validation) so each can change alone.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from common.storage_errors import StorageFull

PHOTO_DIR = "reports"  # photo_redaction writes the public copies to reports/<public_id>/
# The unblurred originals, in private storage (gis_core.video_storage.private_storage).
PHOTO_ORIGINAL_DIR = "photo-originals"


class _Usage:
    """This process's idea of the bytes used: a measured value plus its own writes since."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.measured_at = float("-inf")
        self.bytes = 0

    def reset(self) -> None:
        with self.lock:
            self.measured_at = float("-inf")
            self.bytes = 0


_usage = _Usage()


def _walk_bytes(root: str) -> int:
    total = 0
    stack = [root]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
            except FileNotFoundError:  # deleted meanwhile (cleanup, a failed upload)
                continue
    return total


def media_usage_bytes() -> int:
    """Bytes under MEDIA_ROOT/reports (local storage) or recorded photo sizes (other storage:
    listing a bucket is slow and billed)."""
    if isinstance(default_storage, FileSystemStorage):
        return _walk_bytes(os.path.join(default_storage.location, PHOTO_DIR))
    from django.db.models import Sum

    from gis_core.models import ReportPhoto

    return int(ReportPhoto.objects.aggregate(n=Sum("size_bytes"))["n"] or 0)


def check_media_quota(incoming_bytes: int) -> None:
    """Raises StorageFull if storing `incoming_bytes` more would pass HT_MEDIA_QUOTA_BYTES.

    Called before any file is written; the answer is a retryable 503, so a client that keeps
    its idempotency key gets its report in once space is freed."""
    quota = settings.MEDIA_QUOTA_BYTES
    if quota is None:
        return
    now = time.monotonic()
    with _usage.lock:
        if now - _usage.measured_at > settings.MEDIA_QUOTA_RECHECK_SECONDS:
            _usage.bytes = media_usage_bytes()
            _usage.measured_at = now
        if _usage.bytes + incoming_bytes > quota:
            raise StorageFull(
                f"Photo storage is full ({_usage.bytes:,} of {quota:,} bytes used); "
                "please try again later."
            )
        _usage.bytes += incoming_bytes


@dataclass(frozen=True)
class OrphanFile:
    name: str
    size: int
    modified: dt.datetime


def _walk_storage(storage, path: str) -> Iterator[str]:
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for directory in directories:
        yield from _walk_storage(storage, f"{path}/{directory}")


def _orphans(
    storage, root: str, referenced: set[str], older_than: dt.timedelta
) -> list[OrphanFile]:
    if not storage.exists(root):
        return []
    cutoff = timezone.now() - older_than
    orphans = []
    for name in _walk_storage(storage, root):
        if name in referenced:
            continue
        modified = storage.get_modified_time(name)
        if modified < cutoff:
            orphans.append(OrphanFile(name, storage.size(name), modified))
    return orphans


def orphan_photo_files(*, older_than: dt.timedelta) -> list[OrphanFile]:
    """Files under reports/ that no ReportPhoto row references, last modified before
    now - older_than. A photo is written before its row commits, so the age threshold is what
    keeps an upload in flight from being taken for an orphan."""
    from gis_core.models import ReportPhoto

    referenced: set[str] = set()
    for image, thumbnail in ReportPhoto.objects.values_list("image", "thumbnail").iterator():
        referenced.add(image)
        referenced.add(thumbnail)
    return _orphans(default_storage, PHOTO_DIR, referenced, older_than)


def orphan_original_files(*, older_than: dt.timedelta) -> list[OrphanFile]:
    """The same for the private originals (photo-originals/ in private storage): left when a
    process died between writing the original and committing its row."""
    from gis_core.models import ReportPhoto
    from gis_core.video_storage import private_storage

    referenced = set(ReportPhoto.objects.exclude(original="").values_list("original", flat=True))
    return _orphans(private_storage(), PHOTO_ORIGINAL_DIR, referenced, older_than)


def remove_empty_photo_folders() -> int:
    """Empty reports/<id>/ folders left behind (local storage only; buckets have no folders)."""
    if not isinstance(default_storage, FileSystemStorage):
        return 0
    root = os.path.join(default_storage.location, PHOTO_DIR)
    removed = 0
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        if dirpath != root and not dirnames and not filenames:
            try:
                os.rmdir(dirpath)
                removed += 1
            except OSError:  # a file arrived meanwhile
                continue
    return removed
