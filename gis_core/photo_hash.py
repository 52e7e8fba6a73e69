"""Perceptual hashes of report photos, for duplicates by meaning (issue 14, part 2).

imagehash's pHash: the 8×8 lowest frequencies of a 32×32 greyscale DCT, one bit each for
above or below their median, so a photo re-encoded, resized or lightly recompressed keeps
(nearly) the same 64 bits while its SHA-256 changes entirely. It is taken from the
thumbnail (the same pixels, smaller, so hashing costs about a millisecond), at upload where
the thumbnail is made, and by `fill_photo_hashes` for photos stored before the column. Always
of the picture as sent, never of its blurred public copy (gis_core.photo_redaction): the
private original's thumbnail when there is one, else the public thumbnail of a photo stored
before redaction existed.

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
from gis_core.video_storage import private_storage

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


def _open(storage, name: str) -> Image.Image | None:
    try:
        with storage.open(name, "rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return image


def _hash_photo(original: str, thumbnail: str, content_type: str) -> int | None:
    """The hash upload would have taken: of the original's thumbnail, encoded as stored."""
    from gis_core.photos import FORMAT_OF_TYPE, encode_public  # photos imports this module

    if original:
        image = _open(private_storage(), original)
        if image is None:
            return None
        _photo, thumb = encode_public(image, FORMAT_OF_TYPE.get(content_type, "JPEG"))
        return phash(Image.open(io.BytesIO(thumb)))
    image = _open(default_storage, thumbnail) if thumbnail else None
    return phash(image) if image is not None else None


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
            .values_list("id", "original", "thumbnail", "content_type")[:size]
        )
        if not rows:
            break
        with transaction.atomic():
            for photo_id, original, thumbnail, content_type in rows:
                value = _hash_photo(original, thumbnail, content_type)
                if value is None:
                    logger.warning("photo %s: thumbnail unreadable, no hash", photo_id)
                    unreadable += 1
                    continue
                ReportPhoto.objects.filter(pk=photo_id).update(phash=value)
                hashed += 1
        last_id = rows[-1][0]
    return hashed, unreadable
