"""Give a POI a real small PNG in MEDIA_ROOT through its photo field."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from layers.models import PointOfInterest


def png_bytes(size: tuple[int, int] = (8, 6), color: str = "#2b8cbe") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def give_photo(poi: PointOfInterest, monkeypatch=None, name: str = "pois/test-photo.png") -> str:
    """Store a PNG and attach it to `poi`; returns the stored name."""
    stored = default_storage.save(name, ContentFile(png_bytes()))
    poi.photo = stored
    poi.save()
    return stored
