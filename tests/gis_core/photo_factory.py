"""Real images made with Pillow, with or without EXIF GPS, for upload tests."""

from __future__ import annotations

import io
from fractions import Fraction

from PIL import Image


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = Fraction((minutes_float - minutes) * 60).limit_denominator(10000)
    return (Fraction(degrees), Fraction(minutes), seconds)


def image_bytes(fmt: str = "JPEG", size=(64, 48), gps: tuple[float, float] | None = None) -> bytes:
    """An image in `fmt`; with `gps` = (lon, lat) it carries EXIF GPS and a camera owner name."""
    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van A"  # Artist: personal data that must be stripped
    if gps is not None:
        lon, lat = gps
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(lat),
            3: "E" if lon >= 0 else "W",
            4: _dms(lon),
        }
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def publish_pending_photos() -> int:
    """Runs the media task's work (blur, publish) on every photo still pending, as the worker
    would once the upload committed (tests/gis_core/test_photo_blur.py runs the worker itself).
    Returns how many were published."""
    from gis_core.models import ReportPhoto
    from gis_core.photo_redaction import photo_redact

    pending = ReportPhoto.objects.filter(redaction=ReportPhoto.Redaction.PENDING)
    return sum(photo_redact(pk) == "done" for pk in pending.values_list("pk", flat=True))
