"""Photo intake: real images only, EXIF stripped, GPS read before stripping."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from PIL import Image

from gis_core.photos import PhotoError, process_photo
from tests.gis_core.photo_factory import image_bytes


@pytest.mark.parametrize(
    "fmt,content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_accepted_formats_are_reencoded_without_exif(fmt, content_type):
    photo = process_photo(image_bytes(fmt, gps=(107.97, 21.53)), name="a")
    assert photo.content_type == content_type
    assert photo.gps == pytest.approx((107.97, 21.53), abs=1e-4)
    stored = Image.open(io.BytesIO(photo.content))
    assert dict(stored.getexif()) == {}
    assert b"Nguyen Van A" not in photo.content and b"Nguyen Van A" not in photo.thumbnail
    assert max(Image.open(io.BytesIO(photo.thumbnail)).size) <= 320


def test_refusals_name_the_file_and_the_problem(settings):
    """In the user's language, never an exception text, a class name or a byte count."""
    with translation.override("en"):
        with pytest.raises(
            PhotoError, match=r"“x\.jpg”: not a readable JPEG, PNG or WebP image\.$"
        ):
            process_photo(b"<svg onload=alert(1)></svg>", name="x.jpg")
        gif = io.BytesIO()
        Image.new("RGB", (4, 4)).save(gif, "GIF")
        with pytest.raises(PhotoError, match=r"“g\.png”: GIF images are not accepted"):
            process_photo(gif.getvalue(), name="g.png")
        with pytest.raises(PhotoError, match=r"“t\.jpg”: the image is damaged or truncated\.$"):
            process_photo(image_bytes("JPEG", size=(400, 300))[:-400], name="t.jpg")
        with pytest.raises(PhotoError, match=r"“e\.jpg”: the file is empty"):
            process_photo(b"", name="e.jpg")
        with pytest.raises(PhotoError, match=r"“c\.mp4” is a video, not a photo"):
            process_photo(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, name="c.mp4")
        settings.PHOTO_MAX_BYTES = 8 * 1024 * 1024
        big = image_bytes("PNG") + b"\x00" * (12 * 1024 * 1024)
        with pytest.raises(
            PhotoError, match=r"the photo is 12\.\d MB, larger than the limit of 8\.0 MB"
        ):
            process_photo(big, name="big.png")
    with pytest.raises(PhotoError) as refused:
        process_photo(big, name="big.png")
    assert str(refused.value) == "“big.png”: ảnh 12,0 MB, lớn hơn giới hạn 8,0 MB."
    with pytest.raises(PhotoError) as refused:
        process_photo(b"<svg onload=alert(1)></svg>", name="x.jpg")
    assert str(refused.value) == "“x.jpg”: không đọc được ảnh JPEG, PNG hoặc WebP."


def test_huge_dimensions_are_refused_before_decoding(settings):
    settings.PHOTO_MAX_PIXELS = 1000
    with (
        translation.override("en"),
        pytest.raises(PhotoError, match="64×48 pixels is more than the limit of 1,000"),
    ):
        process_photo(image_bytes("PNG"), name="wide.png")
