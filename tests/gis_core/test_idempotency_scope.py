"""Idempotency keys are per client: a retry gets its first report, a reuse with another body
is a 409, and another client's key is not this one's.

Before: a key reused with a different body silently answered with the first (someone else's)
report and dropped the new one.
"""

from __future__ import annotations

import pandas as pd
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.bulk_import import reports_bulk_insert
from gis_core.models import Category, Report
from tests.gis_core.photo_factory import image_bytes
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
X, Y = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06709"]
BODY = {"category": "moi_truong", "description": "Rác ở chợ", "lon": X, "lat": Y}
PHONE_A, PHONE_B = "a1b2c3d4-phone-a", "e5f6a7b8-phone-b"


def submit(client: APIClient, **fields):
    # The consent version goes with every body: only a contact field makes it required.
    body = {**BODY, "consent_notice_version": settings.PRIVACY_NOTICE_VERSION, **fields}
    return client.post(reverse("api:report-list"), body, format="json")


def test_same_key_with_another_body_is_a_409_and_the_first_report_stays(mong_cai_wards):
    client = APIClient()
    first = submit(client, idempotency_key="k1", device_id=PHONE_A)
    assert first.status_code == 201
    reused = submit(client, idempotency_key="k1", device_id=PHONE_A, description="Khác hẳn")
    assert reused.status_code == 409
    body = reused.json()
    assert list(body["errors"]) == ["idempotency_key"] and body["detail"]
    assert "Rác ở chợ" not in reused.content.decode()  # the other report is not revealed
    (stored,) = Report.objects.all()
    assert str(stored.public_id) == first.json()["id"] and stored.description == "Rác ở chợ"


@pytest.mark.parametrize(
    "change",
    [{"lon": X + 0.001}, {"category": "ha_tang"}, {"contact_phone": "0912345678"}],
)
def test_any_changed_field_is_another_body(mong_cai_wards, change):
    client = APIClient()
    assert submit(client, idempotency_key="k2", device_id=PHONE_A).status_code == 201
    assert submit(client, idempotency_key="k2", device_id=PHONE_A, **change).status_code == 409
    assert Report.objects.count() == 1


def test_the_same_key_from_another_device_is_a_new_report(mong_cai_wards):
    mine = submit(APIClient(), idempotency_key="1", device_id=PHONE_A)
    theirs = submit(APIClient(), idempotency_key="1", device_id=PHONE_B, description="Của tôi")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs.json()["properties"]["description"] == "Của tôi"
    assert Report.objects.count() == 2


def test_the_same_key_from_another_account_is_a_new_report(mong_cai_wards):
    clients = []
    for phone in ("+84911000001", "+84911000002"):
        client = APIClient()
        client.force_login(User.objects.create_user(phone))
        clients.append(client)
    first = submit(clients[0], idempotency_key="a")
    second = submit(clients[1], idempotency_key="a", description="Người khác")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_an_exact_retry_returns_the_first_report_once(mong_cai_wards):
    client = APIClient()
    first = submit(client, idempotency_key="r", device_id=PHONE_A)
    # Same fields in another form: numbers as text, spaces around the text.
    again = submit(
        client, idempotency_key="r", device_id=PHONE_A, lon=str(X), description=" Rác ở chợ "
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1


def test_a_retry_after_signing_in_still_finds_the_report_by_device(mong_cai_wards):
    client = APIClient()
    first = submit(client, idempotency_key="out", device_id=PHONE_A)
    client.force_login(User.objects.create_user("+84911000003"))
    again = submit(client, idempotency_key="out", device_id=PHONE_A)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Report.objects.count() == 1


def test_multipart_retry_with_the_same_photo_is_one_report_another_photo_a_409(mong_cai_wards):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = APIClient()

    def send(photo: bytes):
        upload = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
        fields = {**BODY, "idempotency_key": "m", "device_id": PHONE_A, "photos": [upload]}
        return client.post(reverse("api:report-list"), fields, format="multipart")

    photo = image_bytes("JPEG", size=(64, 48))
    first, again = send(photo), send(photo)
    assert (first.status_code, again.status_code) == (201, 200)
    other = send(image_bytes("JPEG", size=(48, 64)))
    assert other.status_code == 409
    (stored,) = Report.objects.all()
    assert stored.photos.count() == 1


def test_a_bad_device_id_is_a_400(mong_cai_wards):
    response = submit(APIClient(), idempotency_key="d", device_id="short")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["device_id"]
    assert not Report.objects.exists()


def test_imported_keys_do_not_collide_with_the_api_and_reimports_still_skip(
    mong_cai_wards, seed_categories
):
    category = Category.objects.get(code="moi_truong")
    frame = pd.DataFrame(
        {
            "category_id": [category.pk],
            "description": ["Cũ"],
            "lon": [X],
            "lat": [Y],
            "reported_at": [pd.Timestamp("2025-08-01 10:00", tz="Asia/Ho_Chi_Minh")],
            "status": ["received"],
            "idempotency_key": ["legacy:1"],
            "contact_name": [""],
            "contact_phone": [""],
            "contact_email": [""],
        }
    )
    assert reports_bulk_insert(frame) == 1
    assert reports_bulk_insert(frame) == 0  # a re-run skips it
    response = submit(APIClient(), idempotency_key="legacy:1", device_id=PHONE_A)
    assert response.status_code == 201  # not the imported report
    assert response.json()["properties"]["description"] == "Rác ở chợ"
    assert Report.objects.filter(idempotency_key="legacy:1").count() == 2
