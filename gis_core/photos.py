"""Photo intake: only real JPEG/PNG/WebP images get in, re-encoded as pixels alone.

Decoding the whole image (not trusting the extension or the Content-Type) refuses files that
merely look like images; re-encoding from the pixels alone drops every metadata block (EXIF,
XMP, IPTC, JPEG comments, PNG text, ICC profiles), so a phone's GPS track, camera serial and
owner name never reach the public, nor does a `<script>` hidden in a comment. GPS is read
first, because a report sent without coordinates takes its location from the first photo;
the EXIF orientation is applied to the pixels before it goes; an embedded colour profile
(iPhones shoot Display P3) is applied too, converting the pixels to sRGB, which is what a
browser assumes for an image without one, so the colours stay as shot.

A multi-picture JPEG (MPO: phones' depth or stereo shots, Pillow's format "MPO") is taken as
a JPEG: its first picture is kept, the others are never decoded.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from common.humanize import grouped, human_size
from gis_core.photo_hash import phash

ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),  # stored as a JPEG of its first picture
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
STORED_FORMAT = {"MPO": "JPEG"}
# What survives re-encoding besides the pixels: a PNG's transparent colour is pixel data.
KEPT_INFO = ("transparency",)
# Display P3 and sRGB profiles are 0.5-4 KB; a larger one is not worth parsing.
MAX_ICC_BYTES = 64 * 1024
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
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
    # The thumbnail's perceptual hash (gis_core.photo_hash): near-identical photos, duplicates.
    phash: int | None = None


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


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The pixels converted from the embedded profile to sRGB; unchanged without a usable one
    (a broken profile just means "assume sRGB", as a browser would)."""
    if not icc or len(icc) > MAX_ICC_BYTES or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, _SRGB, outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _pixels_only(image: Image.Image) -> Image.Image:
    """The image with every metadata block dropped: the encoders write what `info` holds
    (a JPEG comment, a PNG's ICC profile), so only pixel data is left in it."""
    image.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    return image


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
        except MemoryError:
            raise
        except Exception as exc:
            # Any decoder failure on these bytes means a broken file, and the decoder's text
            # (which may hold `<_io.BytesIO object at 0x…>`) is never shown: the message is
            # fixed, naming only the file.
            raise PhotoError(_corrupt(name)) from exc
    gps = exif_gps(image)
    content_type, extension = ALLOWED_FORMATS[fmt]
    stored_format = STORED_FORMAT.get(fmt, fmt)
    try:
        content, thumbnail, image, thumb_hash = _reencode(image, stored_format)
    except MemoryError:
        raise
    except Exception as exc:  # as above: a fixed message, never the decoder's text
        raise PhotoError(_corrupt(name)) from exc
    return ProcessedPhoto(
        content=content,
        thumbnail=thumbnail,
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
        gps=gps,
        phash=thumb_hash,
    )


def _corrupt(name: str) -> str:
    return _("“%(name)s”: ảnh bị hỏng hoặc không đầy đủ.") % {"name": name}


def encode_public(image: Image.Image, fmt: str) -> tuple[bytes, bytes]:
    """(photo, thumbnail) bytes of an already normalised image (the blurred copy,
    gis_core.photo_redaction): pixels only, so the public files carry no metadata either."""
    image = _pixels_only(image)
    thumb = image.copy()
    thumb.thumbnail((settings.PHOTO_THUMB_EDGE, settings.PHOTO_THUMB_EDGE))
    return _encode(image, fmt), _encode(_pixels_only(thumb), fmt)


FORMAT_OF_TYPE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def _reencode(image: Image.Image, fmt: str) -> tuple[bytes, bytes, Image.Image, int]:
    """(photo, thumbnail, the photo's image, the thumbnail's pHash): oriented, in sRGB,
    resized, pixels only."""
    icc = image.info.get("icc_profile")
    try:
        image = ImageOps.exif_transpose(image)  # keep the orientation the photographer saw
    except Exception:  # noqa: BLE001, S110 - a broken EXIF block: keep the pixels as stored
        pass
    if image.mode == "CMYK":  # its profile is a CMYK one: apply it before leaving CMYK
        image = _to_srgb(image, icc)
        icc = None
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE))
    image = _pixels_only(_to_srgb(image, icc))
    content = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail((settings.PHOTO_THUMB_EDGE, settings.PHOTO_THUMB_EDGE))
    thumbnail = _encode(_pixels_only(thumb), fmt)
    # Hashed as stored (decoded again, ~1 ms), so fill_photo_hashes finds the same bits.
    return content, thumbnail, image, phash(Image.open(io.BytesIO(thumbnail)))
