"""POST/GET /api/v1/reports/: wards, idempotency, clear errors, no personal data."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from common.strict_types import NOT_DECIMAL, NOT_FINITE
from gis_core.models import Report, ReportPhoto
from tests.gis_core.photo_factory import image_bytes, publish_pending_photos
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS_2025 = cases.interior_points("mong_cai_wards_2025_derived.geojson")
PRIVATE = ("0912345678", "Nguyễn Văn Bí Mật", "bimat@example.vn")


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def submit(client, **overrides):
    x, y = POINTS_2025["06709"]
    body = {"category": "moi_truong", "description": "Rác ở chợ", "lon": x, "lat": y}
    body["consent_notice_version"] = settings.PRIVACY_NOTICE_VERSION  # used if contact is given
    body.update(overrides)
    return client.post(reverse("api:report-list"), body, format="json")


def test_json_submission_gets_its_ward(client, mong_cai_wards):
    response = submit(client)
    assert response.status_code == 201, response.content
    feature = response.json()
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
    props = feature["properties"]
    assert props["ward"]["code"] == "06709" and props["ward"]["name"] == "Móng Cái 2"
    assert props["ward_match"] == "inside" and props["status"] == "received"
    assert Report.objects.get(public_id=feature["id"]).ward.code == "06709"


def test_same_idempotency_key_returns_the_first_report(client, mong_cai_wards):
    first = submit(client, idempotency_key="k-1")
    again = submit(client, idempotency_key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_key_store_one_report(mong_cai_wards, seed_categories):
    results: list[int] = []

    def worker():
        try:
            results.append(submit(APIClient(), idempotency_key="race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count(201) == 1 and len(results) == 6
    assert set(results) <= {200, 201}
    assert Report.objects.filter(idempotency_key="race").count() == 1


@pytest.mark.parametrize(
    "overrides,field,fragment",
    [
        ({"lat": 95}, "lat", "out of range"),
        ({"lon": "NaN"}, "lon", NOT_FINITE),
        ({"lon": "abc"}, "lon", NOT_DECIMAL),
        ({"lon": None, "lat": None}, "lon", "required"),
        ({"lon": 21.53, "lat": 107.97}, "lat", "look swapped"),
        ({"category": "nope"}, "category", "Valid codes: an_ninh_trat_tu"),
        ({"description": ""}, "description", "required"),
        ({"description": "x" * 4001}, "description", "4001 characters"),
        ({"contact_email": "not-an-address"}, "contact_email", "is not an e-mail address"),
        ({"contact_phone": "0" * 31}, "contact_phone", "At most 30 characters"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    client, mong_cai_wards, overrides, field, fragment
):
    """In English for a client that asks for it (Accept-Language); Vietnamese otherwise."""
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = submit(client, **overrides)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and field in body["detail"]
    with translation.override("en"):  # lazy messages, as this client reads them
        fragment = str(fragment)
    assert any(fragment in message for message in body["errors"][field]), body
    assert Report.objects.count() == 0


def test_non_object_json_is_a_clear_error(client, mong_cai_wards):
    response = client.post(reverse("api:report-list"), "[1, 2]", content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and body["errors"]["non_field_errors"] == [
        "Cần gửi một đối tượng JSON."
    ]


def test_errors_are_vietnamese_by_default_and_follow_the_language_cookie(client, mong_cai_wards):
    body = submit(client, lat=95).json()
    assert body["detail"] == "Dữ liệu không hợp lệ: lat."
    assert body["errors"]["lat"] == ["95.0 nằm ngoài khoảng cho phép: vĩ độ phải từ -90 đến 90."]
    client.cookies["django_language"] = "en"
    body = submit(client, lat=95).json()
    assert body["detail"] == "Invalid input: lat."
    assert body["errors"]["lat"] == ["95.0 is out of range: latitude must be -90 to 90."]


def test_multipart_with_gps_photo_and_no_coordinates(client, mong_cai_wards):
    x, y = POINTS_2025["06757"]
    photo = image_bytes("JPEG", gps=(x, y))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("api:report-list"),
        {
            "category": "ha_tang",
            "description": "Cống vỡ",
            "photos": [SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    props = response.json()["properties"]
    assert props["ward"]["code"] == "06757"
    assert props["photos"] == []  # private until the media task has blurred it
    assert publish_pending_photos() == 1
    props = client.get(reverse("api:report-detail", args=[response.json()["id"]])).json()
    props = props["properties"]
    assert len(props["photos"]) == 1 and props["photos"][0]["thumbnail_url"].startswith("http")
    stored = ReportPhoto.objects.get()
    assert b"Nguyen Van A" not in stored.image.read()
    assert b"Nguyen Van A" not in stored.original.read()


def test_bad_photo_refuses_the_whole_report(client, mong_cai_wards):
    from django.core.files.uploadedfile import SimpleUploadedFile

    x, y = POINTS_2025["06709"]
    response = client.post(
        reverse("api:report-list"),
        {
            "category": "ha_tang",
            "description": "Cống vỡ",
            "lon": x,
            "lat": y,
            "photos": [SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", "image/jpeg")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "evil.jpg" in response.json()["errors"]["photos"][0]
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_no_personal_data_in_any_public_response(client, mong_cai_wards):
    phone, name, email = PRIVATE
    created = submit(client, contact_phone=phone, contact_name=name, contact_email=email)
    report_id = created.json()["id"]
    stored = Report.objects.get(public_id=report_id)
    # The phone is kept in one form (+84...), so signing in with it later claims the report.
    assert (stored.contact_phone, stored.contact_name, stored.contact_email) == (
        "+84912345678",
        name,
        email,
    )
    pages = [
        created.content,
        client.get(reverse("api:report-list")).content,
        client.get(reverse("api:report-detail", args=[report_id])).content,
        client.get(reverse("api:ward-list")).content,
        client.get("/api/schema/").content,
    ]
    for page in pages:
        text = page.decode("utf-8")
        for secret in (*PRIVATE, "+84912345678", "912345678"):
            assert secret not in text


def test_list_filters_and_pagination(client, mong_cai_wards):
    for i in range(5):
        assert submit(client, idempotency_key=f"p{i}").status_code == 201
    x, y = POINTS_2025["06757"]
    submit(client, lon=x, lat=y, category="ha_tang")
    url = reverse("api:report-list")
    everything = client.get(url).json()
    assert everything["type"] == "FeatureCollection" and everything["count"] == 6
    assert client.get(url, {"ward": "06757"}).json()["count"] == 1
    assert client.get(url, {"category": "ha_tang"}).json()["count"] == 1
    assert (
        client.get(url, {"bbox": f"{x - 0.001},{y - 0.001},{x + 0.001},{y + 0.001}"}).json()[
            "count"
        ]
        == 1
    )
    page = client.get(url, {"page_size": 4}).json()
    assert len(page["features"]) == 4 and page["next"] and page["previous"] is None
    second = client.get(page["next"]).json()
    assert len(second["features"]) == 2 and second["next"] is None
    assert client.get(url, {"since": "2000-01-01", "until": "2000-12-31"}).json()["count"] == 0
    bad = client.get(url, {"bbox": "1,2,3", "status": "done", "since": "yesterday"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"bbox", "status", "since"}


def test_list_query_count_does_not_grow_with_reports(
    client, mong_cai_wards, django_assert_max_num_queries
):
    for i in range(12):
        submit(client, idempotency_key=f"q{i}")
    with django_assert_max_num_queries(4):  # count, page, photos and videos prefetches
        assert client.get(reverse("api:report-list")).status_code == 200


def test_detail_404_is_json(client, mong_cai_wards):
    response = client.get(
        reverse("api:report-detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404 and "detail" in response.json()


def test_multipart_retry_with_photos_stores_one_report_and_one_photo_set(client, mong_cai_wards):
    from django.core.files.uploadedfile import SimpleUploadedFile

    x, y = POINTS_2025["06712"]

    def post():
        return client.post(
            reverse("api:report-list"),
            {
                "category": "moi_truong",
                "description": "Rác",
                "lon": x,
                "lat": y,
                "idempotency_key": "multi-1",
                "photos": [SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")],
            },
            format="multipart",
        )

    first = post()
    assert publish_pending_photos() == 1
    again = post()
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len(again.json()["properties"]["photos"]) == 1
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1


def test_single_contact_field_is_kept_private(client, mong_cai_wards):
    phone = submit(client, contact="0987654321", idempotency_key="c1")
    email = submit(client, contact="dan@example.vn", idempotency_key="c2")
    assert "dan@example.vn" not in email.content.decode()
    assert "0987654321" not in phone.content.decode()
    assert Report.objects.get(idempotency_key="c1").contact_phone == "+84987654321"
    assert Report.objects.get(idempotency_key="c2").contact_email == "dan@example.vn"
