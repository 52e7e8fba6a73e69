"""POST /api/v1/places/<id>/reports/ ("Báo sự cố tại đây", issue 13): a visitor's report filed
at a place reaches the office's list and the place's count of open reports, linked to the place
with the listed price and what was charged; and no personal data on public place pages."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Report, ReportPhoto
from gis_core.staff import StaffRole
from gis_core.workflow import report_merge, report_transition
from layers.models import PlacePrice, PlaceReport, PointOfInterest
from layers.places.report_counts import OPEN_REPORT_STATUSES
from tests.gis_core.photo_factory import image_bytes
from tests.query_count import assert_queries_flat

pytestmark = pytest.mark.django_db

# Inside Móng Cái 2 (ward 06709), by Đền Xã Tắc.
HOTEL_AT = (107.965281, 21.535804)
PRIVATE = ("0912345678", "Trần Thị Riêng Tư", "rieng.tu@example.vn")


def make_place(name: str, at=HOTEL_AT, **fields) -> PointOfInterest:
    return PointOfInterest.objects.create(
        layer="tourism",
        source="office",
        source_id=f"test/{name}",
        kind="accommodation",
        name=name,
        location=Point(*at, srid=4326),
        **fields,
    )


def make_price(place, item: str, vnd: int, **fields) -> PlacePrice:
    fields.setdefault("valid_from", timezone.localdate() - dt.timedelta(days=5))
    return PlacePrice.objects.create(place=place, item=item, unit="đêm", price_vnd=vnd, **fields)


@pytest.fixture
def hotel(mong_cai_wards, seed_categories):
    place = make_place("Khách sạn Biên Giới", name_en="Border Hotel")
    make_price(place, "Phòng đơn", 350_000)
    make_price(place, "Phòng đôi", 450_000)
    return place


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def url(place) -> str:
    return reverse("api:place-reports", args=[place.public_id])


def post(client, place, fmt="json", **overrides):
    body = {"category": "du_lich_chat_chem", "description": "Bị tính giá phòng cao hơn niêm yết"}
    body.update(overrides)
    return client.post(url(place), body, format=fmt)


def count_of(client, place) -> int:
    detail = client.get(reverse("api:place-detail", args=[place.public_id])).json()
    listed = client.get(reverse("api:place-list")).json()["features"]
    in_list = next(f for f in listed if f["id"] == str(place.public_id))
    assert in_list["properties"]["open_reports"] == detail["properties"]["open_reports"]
    return detail["properties"]["open_reports"]


def test_report_is_linked_with_price_and_charged_at_the_place_point(client, hotel):
    double = hotel.prices.get(item="Phòng đôi")
    response = post(client, hotel, price=double.pk, charged_vnd=900_000)
    assert response.status_code == 201, response.content
    feature = response.json()
    assert feature["geometry"]["coordinates"] == pytest.approx(list(HOTEL_AT))
    assert feature["properties"]["ward"]["code"] == "06709"
    report = Report.objects.get(public_id=feature["id"])
    assert report.category.code == "du_lich_chat_chem"
    link = PlaceReport.objects.get(report=report)
    assert (link.place, link.place_public_id, link.price, link.charged_vnd) == (
        hotel,
        hotel.public_id,
        double,
        900_000,
    )


def test_sent_point_is_kept_and_multipart_with_photo_works(client, hotel):
    near = (HOTEL_AT[0] + 0.0005, HOTEL_AT[1])
    photo = SimpleUploadedFile("p.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    response = post(
        client,
        hotel,
        fmt="multipart",
        category="du_lich_ve_sinh",
        lon=str(near[0]),
        lat=str(near[1]),
        price="",  # a form's empty select: no price
        photos=[photo],
    )
    assert response.status_code == 201, response.content
    feature = response.json()
    assert feature["geometry"]["coordinates"] == pytest.approx(list(near))
    assert feature["properties"]["photos"] == []  # private until blurred (the media task)
    assert ReportPhoto.objects.filter(report__public_id=feature["id"]).count() == 1
    link = PlaceReport.objects.get(report__public_id=feature["id"])
    assert link.place == hotel and link.price is None and link.charged_vnd is None


def test_retry_with_the_same_key_returns_the_same_report_and_one_link(client, hotel):
    double = hotel.prices.get(item="Phòng đôi")
    fields = {"price": double.pk, "charged_vnd": 900_000, "idempotency_key": "k-place-1"}
    first = post(client, hotel, **fields)
    again = post(client, hotel, **fields)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1 and PlaceReport.objects.count() == 1
    # The same key for another amount is another submission: refused, nothing changed.
    other = post(client, hotel, **{**fields, "charged_vnd": 800_000})
    assert other.status_code == 409 and other.json()["code"] == "conflict"
    assert PlaceReport.objects.get().charged_vnd == 900_000


def test_a_key_first_used_for_a_plain_report_is_not_linked_later(client, hotel):
    x, y = HOTEL_AT
    plain = client.post(
        reverse("api:report-list"),
        {"category": "du_lich_chat_chem", "description": "Bị tính giá phòng cao hơn niêm yết",
         "lon": x, "lat": y, "idempotency_key": "k-shared"},
        format="json",
    )  # fmt: skip
    assert plain.status_code == 201
    response = post(client, hotel, idempotency_key="k-shared")
    assert response.status_code == 409
    assert not PlaceReport.objects.exists()


def test_price_of_another_place_or_an_old_price_is_refused_and_nothing_stored(client, hotel):
    other = make_place("Nhà nghỉ Hòa Bình", at=(HOTEL_AT[0] + 0.001, HOTEL_AT[1]))
    theirs = make_price(other, "Phòng đôi", 300_000)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    old = make_price(hotel, "Phòng đôi (giá cũ)", 400_000, valid_from=yesterday - dt.timedelta(30),
                     valid_to=yesterday)  # fmt: skip
    before = Report.objects.count()
    for price in (theirs.pk, old.pk, 10**9):
        response = post(client, hotel, price=price)
        assert response.status_code == 400, response.content
        body = response.json()
        assert set(body["errors"]) == {"price"} and body["code"] == "invalid"
        assert "giá niêm yết" in body["errors"]["price"][0]
    assert Report.objects.count() == before and not PlaceReport.objects.exists()


@pytest.mark.parametrize("charged", ["abc", 0, -5, 1_000_000_001, 12.5, True, "1.000"])
def test_bad_charged_amount_is_a_field_error(client, hotel, charged):
    response = post(client, hotel, charged_vnd=charged)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"charged_vnd"}
    assert not Report.objects.exists()


def test_errors_of_the_report_and_of_the_place_come_together(client, hotel):
    response = post(client, hotel, description="", price="x", charged_vnd=0)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"description", "price", "charged_vnd"}
    unreadable = post(client, hotel, lon="abc", charged_vnd="abc")
    assert set(unreadable.json()["errors"]) == {"lon", "charged_vnd"}
    assert not Report.objects.exists()


def test_unknown_place_is_404_and_get_is_405(client, hotel):
    missing = reverse("api:place-reports", args=[uuid.uuid4()])
    response = client.post(missing, {"category": "khac", "description": "x"}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không có địa điểm với mã này."
    assert client.get(url(hotel)).status_code == 405
    assert not Report.objects.exists()


def test_categories_api_marks_the_tourism_ones(client, seed_categories):
    rows = client.get(reverse("api:category-list")).json()
    tourism = {r["code"] for r in rows if r["for_places"]}
    assert tourism == {
        "du_lich_chat_chem",
        "du_lich_ve_sinh",
        "du_lich_an_toan",
        "du_lich_cheo_keo",
        "du_lich_sai_thong_tin",
    }
    assert all(r["for_places"] is False for r in rows if r["code"] not in tourism)


def test_open_statuses_are_the_not_closed_ones():
    assert set(OPEN_REPORT_STATUSES) == {"received", "verified", "assigned", "in_progress"}


def test_count_goes_up_while_open_and_down_once_resolved_or_rejected(client, hotel, city_agency):
    assert count_of(client, hotel) == 0
    first = Report.objects.get(public_id=post(client, hotel).json()["id"])
    second = Report.objects.get(
        public_id=post(client, hotel, category="du_lich_cheo_keo", description="Chèo kéo").json()[
            "id"
        ]
    )
    third = Report.objects.get(
        public_id=post(client, hotel, description="Lại bị tính giá cao").json()["id"]
    )
    assert count_of(client, hotel) == 3
    for before, after in (("received", "verified"), ("verified", "assigned")):
        report_transition(report_id=first.pk, from_status=before, to_status=after)
    assert count_of(client, hotel) == 3  # assigned is still open
    report_transition(report_id=first.pk, from_status="assigned", to_status="in_progress")
    report_transition(
        report_id=first.pk, from_status="in_progress", to_status="resolved", answer="Đã xử lý"
    )
    assert count_of(client, hotel) == 2
    report_transition(
        report_id=second.pk, from_status="received", to_status="rejected", reason="spam"
    )
    assert count_of(client, hotel) == 1
    # A duplicate merged into another report is rejected, so no longer counted.
    survivor = post(client, hotel, description="Tính giá cao, lần nữa").json()["id"]
    assert count_of(client, hotel) == 2
    report_merge(duplicate_id=third.pk, survivor_id=Report.objects.get(public_id=survivor).pk)
    assert count_of(client, hotel) == 1
    # Another place's reports are not this one's.
    other = make_place("Nhà nghỉ khác", at=(HOTEL_AT[0] + 0.001, HOTEL_AT[1]))
    assert count_of(client, other) == 0


def test_place_list_counts_in_one_query_not_one_per_place(client, hotel):
    post(client, hotel)
    list_url = reverse("api:place-list")

    def add_places() -> None:
        for i in range(5):
            place = make_place(f"Quán {i}", at=(HOTEL_AT[0] + 0.0002 * i, HOTEL_AT[1]))
            post(client, place, category="du_lich_ve_sinh", description=f"Bẩn {i}")

    before, after = assert_queries_flat(lambda: client.get(list_url).json(), add_places, at_most=4)
    assert [f["properties"]["open_reports"] for f in before["features"]] == [1]
    assert sorted(f["properties"]["open_reports"] for f in after["features"]) == [1] * 6


def test_visitor_report_reaches_the_office_list(client, hotel):
    feature = post(client, hotel).json()
    operator = User.objects.create_user("dieu-hanh", password="x", is_staff=True)
    operator.groups.add(Group.objects.get_or_create(name=StaffRole.OPERATOR)[0])
    staff = APIClient()
    staff.force_login(operator)
    body = staff.get(reverse("api:staff-report-list"), {"category": "du_lich_chat_chem"}).json()
    assert [f["id"] for f in body["features"]] == [feature["id"]]


def test_no_personal_data_on_public_place_json_or_pages(client, hotel):
    name, phone, email = PRIVATE
    response = post(
        client,
        hotel,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
        charged_vnd=900_000,
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(public_id=response.json()["id"])
    assert report.contact_phone and report.contact_name == name  # stored, for the office
    public = [
        json.dumps(client.get(reverse("api:place-list")).json(), ensure_ascii=False),
        json.dumps(
            client.get(reverse("api:place-detail", args=[hotel.public_id])).json(),
            ensure_ascii=False,
        ),
        client.get(reverse("web_map:tourist")).content.decode(),
        client.get(reverse("web_map:index"), {"place": str(hotel.public_id)}).content.decode(),
        json.dumps(response.json(), ensure_ascii=False),
    ]
    digits = phone[1:]
    for text in public:
        for secret in (name, phone, email, digits):
            assert secret not in text
    for text in (public[0], public[1], public[4]):  # the pages have the form's field names
        assert "contact" not in text and "charged_vnd" not in text and "900000" not in text
    assert '"open_reports": 1' in public[1]


def test_index_page_opens_the_form_for_a_place_or_says_it_is_unknown(client, hotel):
    page = client.get(
        reverse("web_map:index"), {"place": str(hotel.public_id)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    config = page.context["config"]
    assert config["place"]["id"] == str(hotel.public_id)
    assert config["place"]["name"] == "Border Hotel"
    assert config["place"]["lon"] == pytest.approx(HOTEL_AT[0])
    assert [(p["item"], p["price_vnd"]) for p in config["place"]["prices"]] == [
        ("Phòng đôi", 450_000),
        ("Phòng đơn", 350_000),
    ]
    assert config["placeReportsUrl"] == url(hotel)
    codes = [c["code"] for c in config["categories"] if c["for_places"]]
    assert "du_lich_chat_chem" in codes and config["overchargingCategory"] == "du_lich_chat_chem"
    for bad in ("not-a-uuid", str(uuid.uuid4()), "x" * 500):
        page = client.get(reverse("web_map:index"), {"place": bad})
        assert page.status_code == 200
        assert "place" not in page.context["config"] and page.context["config"]["placeNotice"]
    assert "placeNotice" not in client.get(reverse("web_map:index")).context["config"]
