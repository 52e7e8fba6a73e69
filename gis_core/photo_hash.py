"""Perceptual hashes of report photos, for duplicates by meaning (issue 14, part 2).

imagehash's pHash: the 8×8 lowest frequencies of a 32×32 greyscale DCT, one bit each for
above or below their median, so a photo re-encoded, resized or lightly recompressed keeps
(nearly) the same 64 bits while its SHA-256 changes entirely. It is taken from the
thumbnail (the same pixels, smaller, so hashing costs about a millisecond), at upload where
the thumbnail is made, and by `fill_photo_hashes` for photos stored before the column.

Stored as a signed 64-bit integer (PostgreSQL bigint); `hamming` compares two of them.
"""

from __future__ import annotations

import io
import logging

import imagehash
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from gis_core.models import ReportPhoto

logger = logging.getLogger(__name__)

BITS = 64
_MASK = (1 << BITS) - 1


def phash(image: Image.Image) -> int:
    """The image's 64-bit pHash as a signed integer (what a bigint column holds)."""
    value = int(str(imagehash.phash(image)), 16)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def hamming(a: int, b: int) -> int:
    """How many of the 64 bits differ between two stored hashes (0 = the same picture)."""
    return ((a & _MASK) ^ (b & _MASK)).bit_count()


def _hash_file(name: str) -> int | None:
    try:
        with default_storage.open(name, "rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return phash(image)


def photo_hashes_fill(*, batch_size: int = 200, limit: int | None = None) -> tuple[int, int]:
    """Hashes photos stored without one, `batch_size` per transaction, from their thumbnail
    file; (hashed, unreadable). An unreadable or missing file is logged and left null, so the
    next run tries it again. Safe to run while reports arrive (each row is updated alone)."""
    hashed = unreadable = 0
    last_id = 0
    while limit is None or hashed + unreadable < limit:
        size = batch_size if limit is None else min(batch_size, limit - hashed - unreadable)
        rows = list(
            ReportPhoto.objects.filter(phash__isnull=True, id__gt=last_id)
            .order_by("id")
            .values_list("id", "thumbnail")[:size]
        )
        if not rows:
            break
        with transaction.atomic():
            for photo_id, thumbnail in rows:
                value = _hash_file(thumbnail)
                if value is None:
                    logger.warning("photo %s: thumbnail unreadable, no hash", photo_id)
                    unreadable += 1
                    continue
                ReportPhoto.objects.filter(pk=photo_id).update(phash=value)
                hashed += 1
        last_id = rows[-1][0]
    return hashed, unreadable
