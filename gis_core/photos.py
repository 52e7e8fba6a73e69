"""Photo intake: only real JPEG/PNG/WebP images get in, re-encoded without EXIF.

Decoding the whole image (not trusting the extension or the Content-Type) refuses files that
merely look like images; re-encoding drops EXIF, so a phone's GPS track, camera serial and
owner name never reach the public. GPS is read first, because a report sent without
coordinates takes its location from the first photo.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from common.humanize import grouped, human_size

ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
GPS_IFD = 0x8825
# Longest side accepted, whatever the pixel count: a 60000×1 strip passes a pixel limit but
# is no photo, and some decoders and thumbnailers misbehave at such ratios. Phones shoot at
# most ~8000 px; panoramas ~16000.
DEFAULT_MAX_SIDE = 20_000


def _max_side() -> int:
    return int(getattr(settings, "PHOTO_MAX_SIDE", DEFAULT_MAX_SIDE))


class PhotoError(ValueError):
    """A photo that cannot be accepted; the message says why, for the uploader, in the
    active language: never an exception's text, a class name or a byte count."""


def _looks_like_video(data: bytes) -> bool:
    """MP4/MOV ('ftyp' box) or WebM/Matroska (EBML magic): a clip sent as a photo."""
    return data[4:8] == b"ftyp" or data[:4] == b"\x1a\x45\xdf\xa3"


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str
    gps: tuple[float, float] | None  # (lon, lat) from EXIF, before it was stripped


def _dms_to_degrees(dms, ref: str | None) -> float:
    degrees, minutes, seconds = (float(v) for v in dms)
    value = degrees + minutes / 60.0 + seconds / 3600.0
    return -value if ref in ("S", "W") else value


def exif_gps(image: Image.Image) -> tuple[float, float] | None:
    """(lon, lat) from EXIF GPS tags, or None when absent or nonsensical."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001 - a broken EXIF block just means "no GPS"
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    try:
        lat = _dms_to_degrees(gps[2], gps.get(1))
        lon = _dms_to_degrees(gps[4], gps.get(3))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    # NaN (a 0/0 rational) fails every comparison below, so it is refused with the rest.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return (lon, lat)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


def process_photo(data: bytes, *, name: str = "photo") -> ProcessedPhoto:
    """Verifies, normalises and re-encodes one upload; raises PhotoError naming the problem."""
    if len(data) == 0:
        raise PhotoError(_("“%(name)s”: tệp rỗng.") % {"name": name})
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise PhotoError(
            _("“%(name)s”: ảnh %(size)s, lớn hơn giới hạn %(limit)s.")
            % {
                "name": name,
                "size": human_size(len(data)),
                "limit": human_size(settings.PHOTO_MAX_BYTES),
            }
        )
    if _looks_like_video(data):
        raise PhotoError(
            _("“%(name)s” là video, không phải ảnh; hãy gửi ở mục Video.") % {"name": name}
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise PhotoError(
                    _("“%(name)s”: không nhận ảnh dạng %(format)s; hãy gửi JPEG, PNG hoặc WebP.")
                    % {"name": name, "format": fmt or "?"}
                )
            width, height = probe.size
            if max(width, height) > _max_side():
                raise PhotoError(
                    _(
                        "“%(name)s”: ảnh %(width)s×%(height)s điểm ảnh; không nhận ảnh có cạnh "
                        "dài hơn %(max)s điểm ảnh."
                    )
                    % {"name": name, "width": width, "height": height, "max": grouped(_max_side())}
                )
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise PhotoError(
                    _(
                        "“%(name)s”: ảnh %(width)s×%(height)s điểm ảnh, vượt giới hạn %(max)s "
                        "điểm ảnh."
                    )
                    % {
                        "name": name,
                        "width": width,
                        "height": height,
                        "max": grouped(settings.PHOTO_MAX_PIXELS),
                    }
                )
            probe.verify()  # structure check; the image must be reopened after verify()
            image: Image.Image = Image.open(io.BytesIO(data))
            image.load()  # full decode: truncated files fail here
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow's own guard (Image.MAX_IMAGE_PIXELS) fires in open() for images declaring
            # far more pixels than ours allows, before a byte of them is decoded.
            raise PhotoError(
                _(
                    "“%(name)s”: ảnh khai báo quá nhiều điểm ảnh (hơn %(max)s); "
                    "có thể là tệp độc hại."
                )
                % {"name": name, "max": grouped(settings.PHOTO_MAX_PIXELS)}
            ) from exc
        except UnidentifiedImageError as exc:
            raise PhotoError(
                _("“%(name)s”: không đọc được ảnh JPEG, PNG hoặc WebP.") % {"name": name}
            ) from exc
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            raise PhotoError(
                _("“%(name)s”: ảnh bị hỏng hoặc không đầy đủ.") % {"name": name}
            ) from exc
    gps = exif_gps(image)
    content_type, extension = ALLOWED_FORMATS[fmt]
    try:
        image = ImageOps.exif_transpose(image)  # keep the orientation the photographer saw
    except Exception:  # noqa: BLE001, S110 - a broken EXIF block: keep the pixels as stored
        pass
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE))
    content = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail((settings.PHOTO_THUMB_EDGE, settings.PHOTO_THUMB_EDGE))
    return ProcessedPhoto(
        content=content,
        thumbnail=_encode(thumb, fmt),
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
        gps=gps,
    )
