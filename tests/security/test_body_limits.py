"""Request bodies bounded per endpoint before they are read, and files checked as they stream.

Each hostile body is a stream made on demand (never whole in memory, here or in the app) that
counts what the app read of it: a refusal shows both the answer and how little was read.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.test.client import encode_multipart
from PIL import Image
from rest_framework import serializers

from common.api.errors import json_exception_handler
from common.body_limits import AUTH_BODY_BYTES, READ_CHUNK
from gis_core.models import Report, ReportPhoto, ReportVideo
from tests.gis_core.clip_factory import make_clip
from tests.gis_core.photo_factory import image_bytes

REPORTS = "/api/v1/reports/"
SIGN_IN_CODE = "/api/v1/auth/code/"
OPEN311 = "/open311/v2/requests.json"
POINT = {"lon": "107.9653", "lat": "21.5338"}
BOUNDARY = "ht-body-limits-boundary"
MB = 1024 * 1024


@dataclass(frozen=True)
class Repeat:
    pattern: bytes
    times: int

    def __len__(self) -> int:
        return len(self.pattern) * self.times


class StreamedBody:
    """A wsgi.input that makes its bytes as they are read and counts them."""

    def __init__(self, *pieces: bytes | Repeat) -> None:
        self.length = sum(len(p) for p in pieces)
        self.bytes_read = 0
        self._blocks = self._generate(pieces)
        self._buffer = b""

    @staticmethod
    def _generate(pieces) -> Iterator[bytes]:
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            per_block = max(1, 65536 // len(piece.pattern))
            left = piece.times
            while left:
                count = min(per_block, left)
                yield piece.pattern * count
                left -= count

    def read(self, size: int | None = -1) -> bytes:
        while size is None or size < 0 or len(self._buffer) < size:
            block = next(self._blocks, None)
            if block is None:
                break
            self._buffer += block
        if size is None or size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        self.bytes_read += len(out)
        return out

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def send(client: Client, url: str, body: StreamedBody, content_type: str, *, chunked=False, **meta):
    environ = {"wsgi.input": body, "CONTENT_TYPE": content_type, **meta}
    if chunked:  # what gunicorn passes on for Transfer-Encoding: chunked
        environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
    else:
        environ["CONTENT_LENGTH"] = str(body.length)
    return client.generic("POST", url, b"", **environ)


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes | Repeat]]):
    pieces: list[bytes | Repeat] = []
    for name, value in fields.items():
        pieces.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for field, filename, content in files:
        pieces.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        pieces += [content, b"\r\n"]
    pieces.append(f"--{BOUNDARY}--\r\n".encode())
    return StreamedBody(*pieces), f"multipart/form-data; boundary={BOUNDARY}"


REPORT_FIELDS = {"category": "moi_truong", "description": "Rác thải ven đường", **POINT}


def hostile_phone_list(megabytes: int) -> StreamedBody:
    """{"phone": [0, 0, …]}: the 40 MB body that cost 31 s of CPU and 1.8 GB."""
    return StreamedBody(b'{"phone": [', Repeat(b"0, ", megabytes * MB // 3), b"0]}")


# --- Bodies over the endpoint's limit --------------------------------------------------------


def test_a_40_mb_json_body_to_sign_in_is_refused_unread_and_not_echoed(client, db):
    body = hostile_phone_list(40)
    response = send(client, SIGN_IN_CODE, body, "application/json")
    assert response.status_code == 413
    assert body.bytes_read == 0
    data = response.json()
    assert data["max_bytes"] == AUTH_BODY_BYTES and data["code"] == "too_large"
    assert data["detail"] == "Nội dung gửi lên quá lớn: tối đa 16,0 KB."
    assert len(response.content) < 500 and b"0, 0" not in response.content


def test_the_limit_is_named_in_the_language_of_the_request(client, db):
    body = hostile_phone_list(1)
    response = send(client, SIGN_IN_CODE, body, "application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "16.0 KB" in response.json()["detail"]


def test_a_chunked_body_is_counted_as_it_is_read_and_refused_past_the_limit(client, db):
    body = hostile_phone_list(40)
    response = send(client, SIGN_IN_CODE, body, "application/json", chunked=True)
    assert response.status_code == 413
    assert body.bytes_read <= AUTH_BODY_BYTES + READ_CHUNK


def test_a_chunked_body_within_the_limit_is_read_like_any_other(client, db):
    # Before, Django read a body without Content-Length as empty ("phone" required).
    body = StreamedBody(b'{"phone": "0912 345 678"}')
    response = send(client, SIGN_IN_CODE, body, "application/json", chunked=True)
    assert response.status_code == 202, response.content


def test_every_other_endpoint_has_a_default_limit(client, world, settings):
    """Open311's form POST and the admin's sign-in page, anonymous: BODY_MAX_BYTES."""
    settings.BODY_MAX_BYTES = 64 * 1024
    form = "application/x-www-form-urlencoded"
    body = StreamedBody(b"api_key=x&description=", Repeat(b"a", 200_000))
    response = send(client, OPEN311, body, form)
    assert response.status_code == 413 and body.bytes_read == 0
    assert response.json()["max_bytes"] == 64 * 1024
    body = StreamedBody(b"username=a&password=", Repeat(b"b", 200_000))
    response = send(client, "/admin/login/", body, form)
    assert response.status_code == 413 and body.bytes_read == 0
    assert response["Content-Type"].startswith("text/plain")


def test_staff_uploads_in_the_admin_keep_working(admin_client, mong_cai_wards, settings):
    """A signed-in administrator's 300 KB photo of a POI passes the 64 KB default."""
    from layers.models import PointOfInterest

    settings.BODY_MAX_BYTES = 64 * 1024
    noise = Image.frombytes("RGB", (320, 320), random.Random(10).randbytes(320 * 320 * 3))
    photo = io.BytesIO()
    noise.save(photo, "PNG")
    assert photo.tell() > 200_000
    photo.name = "cho-mong-cai.png"
    photo.seek(0)
    anonymous = Client()
    fields = {
        "layer": "tourism",
        "kind": "market",
        "name": "Chợ Móng Cái",
        "source_id": "node/1",
        "location": '{"type": "Point", "coordinates": [107.9653, 21.5338]}',
    }
    refused = anonymous.post("/admin/layers/pointofinterest/add/", {**fields, "photo": photo})
    assert refused.status_code == 413
    photo.seek(0)
    response = admin_client.post("/admin/layers/pointofinterest/add/", {**fields, "photo": photo})
    assert response.status_code == 302, response.content[:2000]
    poi = PointOfInterest.objects.get(source_id="node/1")
    assert poi.photo.size > 200_000


# --- Files checked as they stream ------------------------------------------------------------


def test_twenty_25_mb_files_are_refused_before_any_is_read(client, world):
    before = Report.objects.count()
    body, content_type = multipart(
        REPORT_FIELDS, [("photos", f"p{i}.jpg", Repeat(b"\xff", 25 * MB)) for i in range(20)]
    )
    response = send(client, REPORTS, body, content_type)
    assert response.status_code == 413
    assert body.bytes_read == 0
    assert Report.objects.count() == before


def test_twenty_files_within_the_body_limit_stop_at_the_sixth(client, world):
    before = Report.objects.count()
    each = 3 * MB // 2
    body, content_type = multipart(
        REPORT_FIELDS, [("photos", f"p{i}.jpg", Repeat(b"\xff", each)) for i in range(20)]
    )
    response = send(client, REPORTS, body, content_type)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"photos": ["Chỉ nhận tối đa 5 ảnh; đã dừng ở ảnh thứ 6."]}
    # Five files and the sixth's headers: not the 30 MB sent.
    assert body.bytes_read <= 5 * each + 2 * READ_CHUNK + 4096
    assert body.length > 19 * each
    assert Report.objects.count() == before


def test_an_oversize_photo_is_refused_as_it_passes_the_limit(client, world, settings):
    settings.PHOTO_MAX_BYTES = 1 * MB
    body, content_type = multipart(REPORT_FIELDS, [("photos", "to.jpg", Repeat(b"\xff", 20 * MB))])
    response = send(client, REPORTS, body, content_type)
    assert response.status_code == 400
    assert response.json()["errors"] == {"photos": ["“to.jpg”: ảnh lớn hơn giới hạn 1,0 MB."]}
    assert body.bytes_read <= 1 * MB + 2 * READ_CHUNK + 4096
    assert ReportPhoto.objects.count() == 0


def test_a_file_under_a_field_that_takes_none_is_refused_without_naming_it(client, world):
    body, content_type = multipart(REPORT_FIELDS, [("<script>", "x.jpg", Repeat(b"\xff", MB))])
    response = send(client, REPORTS, body, content_type)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Chỉ nhận tệp ở các trường: photos, videos."]
    }
    assert b"<script>" not in response.content and body.bytes_read <= READ_CHUNK + 4096


def test_open311_media_stop_at_the_sixth(client, world):
    each = MB
    fields = {"api_key": world["open311_key"], "service_code": "moi_truong", **POINT}
    fields["long"] = fields.pop("lon")
    body, content_type = multipart(
        fields, [("media", f"m{i}.jpg", Repeat(b"\xff", each)) for i in range(8)]
    )
    response = send(client, OPEN311, body, content_type)
    assert response.status_code == 400
    assert response.json()["errors"] == {"media": ["Chỉ nhận tối đa 5 ảnh; đã dừng ở ảnh thứ 6."]}
    assert body.bytes_read <= 5 * each + 2 * READ_CHUNK + 4096


def test_a_client_over_its_limit_is_refused_before_its_files_are_read(client, world, settings):
    settings.SUBMIT_LIMIT_PER_IP = (1, 3600)
    before = Report.objects.count()
    first = client.post(REPORTS, REPORT_FIELDS, content_type="application/json")
    assert first.status_code == 201, first.content
    body, content_type = multipart(
        REPORT_FIELDS, [("photos", f"p{i}.jpg", Repeat(b"\xff", MB)) for i in range(5)]
    )
    response = send(client, REPORTS, body, content_type)
    assert response.status_code == 429
    assert response["Retry-After"] and body.bytes_read == 0
    assert Report.objects.count() == before + 1


# --- What still works ------------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_five_photos_and_a_clip_are_stored(client, world, tmp_path, chunked):
    """The largest honest report, sent with a Content-Length or chunked (read as empty before)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    clip = make_clip(tmp_path / "clip.mp4", seconds=1)
    data: dict = {**REPORT_FIELDS, "idempotency_key": f"bodies-{chunked}"}
    data["photos"] = [
        SimpleUploadedFile(f"anh-{i}.jpg", image_bytes(size=(640, 480)), "image/jpeg")
        for i in range(5)
    ]
    data["videos"] = [SimpleUploadedFile("clip.mp4", clip.read_bytes(), "video/mp4")]
    encoded = encode_multipart(BOUNDARY, data)
    body = StreamedBody(encoded)
    response = send(
        client, REPORTS, body, f"multipart/form-data; boundary={BOUNDARY}", chunked=chunked
    )
    assert response.status_code == 201, response.content
    assert body.bytes_read == len(encoded)
    report = Report.objects.get(idempotency_key=f"bodies-{chunked}")
    assert ReportPhoto.objects.filter(report=report).count() == 5
    assert ReportVideo.objects.filter(report=report).count() == 1


# --- Errors never repeat the input -----------------------------------------------------------


def test_a_list_valued_field_error_is_one_message_not_the_list(rf):
    """DRF reports a list field item by item; the response used to be the repr of that."""
    field = serializers.ListField(child=serializers.ChoiceField(choices=["web", "api"]))
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(["<script>"] * 10_000)
    error = serializers.ValidationError({"source": refused.value.detail})
    response = json_exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["errors"] == {"source": ["Giá trị không nằm trong các lựa chọn cho phép."]}
    assert "<script>" not in str(response.data)
