"""Upload attacks through the real API (multipart POST /api/v1/reports/).

Every hostile file is either refused with a 400 whose message names the file and the reason,
or made safe: re-encoded without EXIF, a bogus EXIF GPS ignored (the point then comes from
lon/lat, or the report is refused for want of one). Nothing is stored for a refusal.
"""

from __future__ import annotations

import io
import resource
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin, TiffImagePlugin

from gis_core.models import Report, ReportPhoto
from tests.gis_core.photo_factory import image_bytes

URL = "/api/v1/reports/"
POINT = {"lon": "107.9653", "lat": "21.5338"}


def stored_files(photo: ReportPhoto) -> list[bytes]:
    """Every file kept of a photo: the private original, then (after the media task has
    blurred it, run here as the worker would) the public copy and its thumbnail."""
    from gis_core.photo_redaction import photo_redact

    assert photo_redact(photo.pk) == "done"
    photo.refresh_from_db()
    return [photo.original.read(), photo.image.read(), photo.thumbnail.read()]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A real 1-bit PNG of width×height black pixels: ~110 KB that decodes to 900 Mpixels
    (2.7 GB as RGB). Compressed row by row, so making it needs little memory."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + (_png_chunk(b"IEND", b""))
    )


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that only declares its size (no pixel data at all)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IEND", b"")


def jpeg_with_gps(gps_ifd: dict) -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 60))
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van A"
    exif[0x8825] = gps_ifd
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def rational(num: int, den: int):
    return TiffImagePlugin.IFDRational(num, den)


def post(client, name: str, data: bytes, content_type: str = "image/jpeg", **fields):
    payload = {"category": "moi_truong", "description": "Ảnh thử", **fields}
    payload["photos"] = SimpleUploadedFile(name, data, content_type=content_type)
    # In English, the language these reasons are asserted in (Vietnamese is the default).
    return client.post(URL, payload, HTTP_ACCEPT_LANGUAGE="en")


def assert_refused(response, name: str, reason: str) -> None:
    assert response.status_code == 400, response.content[:500]
    messages = " ".join(response.json()["errors"]["photos"])
    assert name in messages and reason in messages, messages


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
ZIP = b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06" + b"\x00" * 18
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>window.__xss=1</script></svg>"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,data,content_type",
    [
        ("scan.jpg", PDF, "image/jpeg"),
        ("page.jpg", HTML, "image/jpeg"),
        ("archive.jpg", ZIP, "image/jpeg"),
        ("vector.svg", SVG, "image/svg+xml"),
        ("vector.png", SVG, "image/png"),
        ("empty.jpg", b"\xff\xd8\xff", "image/jpeg"),
    ],
)
def test_wrong_type_behind_a_right_extension_is_refused(client, world, name, data, content_type):
    before = Report.objects.count()
    assert_refused(post(client, name, data, content_type, **POINT), name, "not a readable")
    assert Report.objects.count() == before


@pytest.mark.django_db
def test_gif_and_tiff_renamed_jpeg_are_refused(client, world):
    for fmt, name in (("GIF", "anim.jpg"), ("TIFF", "scan.jpg"), ("BMP", "paint.png")):
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, fmt)
        assert_refused(
            post(client, name, out.getvalue(), **POINT), name, f"{fmt} images are not accepted"
        )


@pytest.mark.django_db
def test_decompression_bomb_is_refused_before_decoding(client, world):
    bomb = png_bomb()
    assert len(bomb) < 200_000
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    assert_refused(post(client, "bomb.png", bomb, "image/png", **POINT), "bomb.png", "pixels")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mib < 100, f"peak memory grew by {grown_mib:.0f} MiB: the bomb was decoded"
    # Just above our limit but below Pillow's own: refused by the pixel limit, same message.
    assert_refused(
        post(client, "big.png", png_header_only(8000, 6000), "image/png", **POINT),
        "big.png",
        "pixels is more than the limit",
    )


@pytest.mark.django_db
def test_absurd_dimensions_are_refused(client, world):
    for name, size in (("strip.png", (60_000, 1)), ("tower.png", (1, 60_000))):
        out = io.BytesIO()
        Image.new("L", size).save(out, "PNG")
        assert_refused(
            post(client, name, out.getvalue(), "image/png", **POINT), name, "side longer than"
        )
    assert_refused(
        post(client, "zero.png", png_header_only(0, 0), "image/png", **POINT),
        "zero.png",
        "zero.png",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt,name", [("JPEG", "cut.jpg"), ("PNG", "cut.png"), ("WEBP", "c.webp")])
def test_truncated_images_are_refused(client, world, fmt, name):
    whole = image_bytes(fmt, size=(400, 300))
    for cut in (len(whole) // 2, len(whole) - 200):
        response = post(client, name, whole[:cut], **POINT)
        assert response.status_code == 400, response.content
        assert name in " ".join(response.json()["errors"]["photos"])


BOGUS_GPS = {
    "latitude out of range": {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (107.9, 0.0, 0.0)},
    "longitude out of range": {1: "N", 2: (21.5, 0.0, 0.0), 3: "E", 4: (250.0, 0.0, 0.0)},
    "zero denominators": {
        1: "N",
        2: (rational(21, 0), rational(0, 0), rational(5, 0)),
        3: "E",
        4: (rational(107, 0), rational(1, 0), rational(0, 0)),
    },
    "NaN (0/0)": {1: "N", 2: (rational(0, 0), 0.0, 0.0), 3: "E", 4: (rational(0, 0), 0.0, 0.0)},
    "infinite": {1: "N", 2: (float("inf"), 0.0, 0.0), 3: "E", 4: (107.0, 0.0, 0.0)},
    "wrong arity": {1: "N", 2: (21.5,), 3: "E", 4: (107.9, 1.0)},
    "null island": {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BOGUS_GPS))
def test_bogus_exif_gps_is_ignored_and_stripped(client, world, case):
    try:
        data = jpeg_with_gps(BOGUS_GPS[case])
    except (TypeError, ValueError, struct.error) as exc:  # Pillow cannot even write it
        pytest.fail(f"Pillow refuses to write {case}: {exc}; the case tests nothing")
    # Without coordinates, the bogus GPS is not used: the point is required.
    before = Report.objects.count()
    response = post(client, "gps.jpg", data)
    assert response.status_code == 400, response.content
    assert "send a photo or video with its GPS location" in " ".join(
        response.json()["errors"]["lon"]
    )
    assert Report.objects.count() == before
    # With coordinates: accepted, at the given point, the EXIF gone from the stored file.
    response = post(client, "gps.jpg", data, **POINT)
    assert response.status_code == 201, response.content
    report = Report.objects.get(public_id=response.json()["id"])
    assert (report.location.x, report.location.y) == (107.9653, 21.5338)
    for content in stored_files(ReportPhoto.objects.get(report=report)):
        assert b"Nguyen Van A" not in content
        assert dict(Image.open(io.BytesIO(content)).getexif()) == {}


@pytest.mark.django_db
def test_garbage_exif_block_does_not_break_intake(client, world):
    """A JPEG whose APP1 Exif segment is random bytes: stored, re-encoded, no 500."""
    good = image_bytes("JPEG")
    junk = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08" + bytes(range(256)) * 4
    segment = b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk
    data = good[:2] + segment + good[2:]
    response = post(client, "junk.jpg", data, **POINT)
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert "junk.jpg" in " ".join(response.json()["errors"]["photos"])
    else:  # stored as Pillow's re-encoding: the junk segment is gone with the EXIF
        photo = ReportPhoto.objects.get(report__public_id=response.json()["id"])
        for content in stored_files(photo):
            assert junk not in content and b"Nguyen Van A" not in content


@pytest.mark.django_db
def test_polyglot_jpeg_with_html_payload_is_reencoded(client, world):
    """A valid JPEG with a script appended after its end: accepted, and the stored file is
    Pillow's re-encoding, without the payload."""
    data = image_bytes("JPEG") + b"<script>window.__xss=1</script>"
    response = post(client, "poly.jpg", data, **POINT)
    assert response.status_code == 201, response.content
    report = Report.objects.get(public_id=response.json()["id"])
    for content in stored_files(ReportPhoto.objects.get(report=report)):
        assert b"<script>" not in content and b"Nguyen Van A" not in content


# --- metadata blocks, multi-picture JPEGs, fixed messages ---------------------------------

SCRIPT = b"<script>window.__xss=1</script>"
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_markers(data: bytes) -> list[int]:
    """The segment markers of a JPEG from SOI up to its scan (SOS), in order."""
    assert data[:2] == b"\xff\xd8", data[:4]
    markers, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF, f"no marker at {i}"
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        markers.append(marker)
        if marker == 0xDA:  # the entropy-coded scan follows
            return markers
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = [], 8
    while i < len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        chunks.append(data[i + 4 : i + 8])
        i += 12 + length
    return chunks


def jpeg_with_every_block() -> bytes:
    """A photo carrying a `<script>` COM segment, XMP (APP1), an ICC profile (APP2), IPTC in
    a Photoshop APP13 block, and EXIF with the owner's name."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van A"
    Image.new("RGB", (640, 480), (200, 80, 40)).save(
        out,
        "JPEG",
        comment=SCRIPT,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SCRIPT + b"</x:xmpmeta>",
        icc_profile=SRGB_ICC,
        exif=exif.tobytes(),
    )
    data = out.getvalue()
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x26\x1c\x02\x78\x00\x22" + SCRIPT
    return data[:2] + _segment(0xED, iptc) + data[2:]


METADATA_MARKERS = {0xFE, *range(0xE1, 0xF0)}  # COM, APP1 (EXIF, XMP) ... APP15


@pytest.mark.django_db
def test_jpeg_comment_xmp_iptc_and_icc_are_gone_from_photo_and_thumbnail(client, world):
    data = jpeg_with_every_block()
    assert {0xFE, 0xE1, 0xE2, 0xED} <= set(jpeg_markers(data))  # the test carries them all
    response = post(client, "meta.jpg", data, **POINT)
    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get(report__public_id=response.json()["id"])
    for stored in stored_files(photo):
        markers = jpeg_markers(stored)
        assert not METADATA_MARKERS & set(markers), [hex(m) for m in markers]
        for trace in (b"<script", b"Photoshop", b"xmpmeta", b"ICC_PROFILE", b"Nguyen Van A"):
            assert trace not in stored, trace
        assert Image.open(io.BytesIO(stored)).getpixel((5, 5)) == pytest.approx(
            (200, 80, 40), abs=3
        )


@pytest.mark.django_db
def test_png_text_and_icc_chunks_are_gone(client, world):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("XML:com.adobe.xmp", SCRIPT.decode())
    out = io.BytesIO()
    Image.new("RGBA", (64, 48), (10, 120, 60, 128)).save(
        out, "PNG", pnginfo=info, icc_profile=SRGB_ICC
    )
    assert {b"tEXt", b"iTXt", b"iCCP"} <= set(png_chunks(out.getvalue()))
    response = post(client, "meta.png", out.getvalue(), "image/png", **POINT)
    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get(report__public_id=response.json()["id"])
    for stored in stored_files(photo):
        assert set(png_chunks(stored)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
        assert SCRIPT not in stored
        assert Image.open(io.BytesIO(stored)).getpixel((3, 3)) == (10, 120, 60, 128)


def mpo(first: tuple[int, int, int], second: tuple[int, int, int]) -> bytes:
    """A real two-picture MPO, as phones write for depth and stereo shots."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), first).save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (320, 240), second)]
    )
    return out.getvalue()


@pytest.mark.django_db
def test_multi_picture_jpeg_is_accepted_keeping_the_first_picture(client, world):
    data = mpo((220, 30, 30), (30, 30, 220))
    opened = Image.open(io.BytesIO(data))
    assert (opened.format, opened.n_frames) == ("MPO", 2)
    response = post(client, "depth.jpg", data, **POINT)
    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get(report__public_id=response.json()["id"])
    assert (photo.content_type, photo.original.name[-4:]) == ("image/jpeg", ".jpg")
    for stored in stored_files(photo):
        image = Image.open(io.BytesIO(stored))
        assert (image.format, getattr(image, "n_frames", 1)) == ("JPEG", 1)
        assert stored.count(b"\xff\xd8") == 1  # one picture: the second is not carried along
        assert 0xE2 not in jpeg_markers(stored)  # nor the MP index (APP2 "MPF")
        assert image.getpixel((5, 5)) == pytest.approx((220, 30, 30), abs=3)


HOSTILE = [
    ("vector.png", SVG, "image/png"),
    ("vector.jpg", SVG, "image/jpeg"),
    ("page.webp", HTML, "image/webp"),
    ("scan.png", PDF, "image/png"),
    ("cut.png", image_bytes("PNG", size=(400, 300))[:300], "image/png"),
    ("cut.jpg", image_bytes("JPEG", size=(400, 300))[:-300], "image/jpeg"),
]
LEAKS = ("object at 0x", "BytesIO", "Error", "Traceback", "cannot identify", "PIL")


@pytest.mark.django_db
@pytest.mark.parametrize("name,data,content_type", HOSTILE)
def test_refusals_are_fixed_messages_naming_the_file(client, world, name, data, content_type):
    """In Vietnamese (the default) and English, through the API and Open311: the message
    names the file and never carries an exception's text."""
    from open311.models import ApiKey

    payload = {"category": "moi_truong", "description": "Ảnh thử", **POINT}
    for language in ("vi", "en"):
        upload = SimpleUploadedFile(name, data, content_type=content_type)
        response = client.post(URL, {**payload, "photos": upload}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400, response.content
        [message] = response.json()["errors"]["photos"]
        assert f"“{name}”" in message, message
        assert not any(leak in message for leak in LEAKS), message
    fields = {
        "api_key": ApiKey.issue("tests")[1],
        "service_code": "moi_truong",
        "lat": POINT["lat"],
        "long": POINT["lon"],
        "description": "Ảnh thử",
        "media": SimpleUploadedFile(name, data, content_type=content_type),
    }
    answer = client.post("/open311/v2/requests.json", fields)
    assert answer.status_code == 400, answer.content
    [error] = answer.json()
    assert error["description"].startswith("media: ") and f"“{name}”" in error["description"]
    assert not any(leak in error["description"] for leak in LEAKS), error
