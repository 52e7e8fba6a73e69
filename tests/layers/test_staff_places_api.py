"""The tourism office's editing API (/api/v1/staff/places/...): who may use it, that every
write is audited with who, before and after, that bad input is refused in Vietnamese naming
the field with nothing written, that session writes need the CSRF token, and the import's
dry run and all-or-nothing refusal with row-numbered problems."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gis_core.models import StaffProfile
from layers.models import PlaceChange, PlacePhoto, PlacePrice, PointOfInterest
from layers.places.access import can_edit_places
from layers.places.services import place_create
from tests.layers.poi_photo import png_bytes

pytestmark = pytest.mark.django_db
CENTRE = (107.965, 21.525)
LIST = reverse("api:staff-places")
IMPORT = reverse("api:staff-places-import")


def staff(name: str, group: str | None) -> User:
    user = User.objects.create_user(name, password="x")
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        StaffProfile.objects.create(user=user)
    return user


@pytest.fixture
def users(db) -> dict[str, User]:
    admin = User.objects.create_superuser("quantri", password="x")
    return {
        "citizen": staff("+84900000009", None),
        "operator": staff("dieuhanh", "operator"),
        "ward": staff("phuong", "ward_officer"),
        "agency": staff("qldt", "agency_officer"),
        "tourism": staff("dulich", "tourism"),
        "admin": admin,
    }


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def place(users) -> PointOfInterest:
    lon, lat = CENTRE
    return place_create(
        user=None, values={"name": "Chợ Trung tâm", "kind": "market", "lon": lon, "lat": lat}
    )


def detail_url(place) -> str:
    return reverse("api:staff-place", kwargs={"public_id": place.public_id})


@pytest.mark.parametrize("who", ["anonymous", "citizen", "operator", "ward", "agency"])
def test_everyone_but_the_office_and_admins_is_refused(users, place, who):
    user = None if who == "anonymous" else users[who]
    client = api(user)
    before = (PointOfInterest.objects.count(), PlaceChange.objects.count())
    answers = [
        client.get(LIST),
        client.get(detail_url(place)),
        client.post(
            LIST, {"name": "X", "kind": "food", "lon": 107.96, "lat": 21.53}, format="json"
        ),
        client.patch(detail_url(place), {"name": "Y"}, format="json"),
        client.delete(detail_url(place)),
    ]
    assert [a.status_code for a in answers] == [403] * 5
    detail = answers[0].json()["detail"]
    expected = "đăng nhập" if who in ("anonymous", "citizen") else "Chỉ cán bộ du lịch"
    assert expected in detail
    assert (PointOfInterest.objects.count(), PlaceChange.objects.count()) == before
    assert not can_edit_places(user)


@pytest.mark.parametrize("who", ["tourism", "admin"])
def test_the_office_and_admins_list_and_read(users, place, who):
    client = api(users[who])
    listed = client.get(LIST).json()
    assert listed["count"] == 1
    assert listed["places"][0]["id"] == str(place.public_id)
    assert listed["places"][0]["kind_label"] == "Chợ"
    assert client.get(LIST, {"kind": "food"}).json()["count"] == 0
    assert client.get(LIST, {"q": "trung tâm"}).json()["count"] == 1
    assert client.get(LIST, {"kind": "nope"}).status_code == 400
    one = client.get(detail_url(place)).json()
    assert one["name"] == "Chợ Trung tâm" and one["changes"][0]["action"] == "create"


def test_create_update_and_delete_are_audited_with_who_before_and_after(users):
    client = api(users["tourism"])
    hours = {"mon": [["08:00", "17:30"]], "sun": [], "always": False}
    created = client.post(
        LIST,
        {"name": "Bảo tàng", "name_en": "Museum", "kind": "attraction", "lon": 107.96,
         "lat": 21.53, "hours": hours},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    place = PointOfInterest.objects.get(public_id=created.json()["id"])
    assert place.hours == hours and place.source == "office"
    updated = client.patch(
        detail_url(place),
        {"name": "Bảo tàng Quảng Ninh", "verified_at": "2026-01-05", "lon": 107.97, "lat": 21.53},
        format="json",
    )
    assert updated.status_code == 200, updated.content
    assert set(updated.json()["changed"]) == {"name", "verified_at", "location"}
    change = PlaceChange.objects.filter(action="update").get()
    assert change.user == users["tourism"]
    assert change.before["name"] == "Bảo tàng" and change.after["name"] == "Bảo tàng Quảng Ninh"
    assert change.before["verified_at"] is None and change.after["verified_at"] == "2026-01-05"
    assert change.after["location"] == [107.97, 21.53]
    history = client.get(detail_url(place)).json()["changes"]
    assert [c["action"] for c in history] == ["update", "create"]
    assert history[0]["user"] == "dulich" and history[0]["action_label"] == "Sửa"

    assert client.delete(detail_url(place)).status_code == 204
    assert not PointOfInterest.objects.filter(pk=place.pk).exists()
    gone = PlaceChange.objects.get(action="delete")
    assert gone.user == users["tourism"] and gone.before["name"] == "Bảo tàng Quảng Ninh"


def test_bad_values_are_refused_in_vietnamese_naming_the_field_and_nothing_is_written(users, place):
    client = api(users["tourism"])
    before = PlaceChange.objects.count()
    with translation.override("vi"):
        answer = client.patch(
            detail_url(place),
            {"name": "", "website": "not a url", "star_rating": 9, "hours": {"mon": "all day"}},
            format="json",
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert set(errors) == {"name", "website", "star_rating", "hours"}
    assert "bắt buộc" in errors["name"][0] and "giờ mở cửa" in errors["hours"][0]
    bad_types = client.post(
        LIST, {"name": 12, "kind": "food", "lon": 107.96, "lat": 21.53, "verified_at": "5/1"},
        format="json",
    )  # fmt: skip
    assert bad_types.status_code == 400
    assert set(bad_types.json()["errors"]) == {"name", "verified_at"}
    unknown = client.post(
        LIST, {"name": "A", "lon": 107.96, "lat": 21.53, "ward": 3}, format="json"
    )
    assert "không có trường này" in unknown.json()["errors"]["ward"][0]
    place.refresh_from_db()
    assert place.name == "Chợ Trung tâm" and place.website == ""
    assert PlaceChange.objects.count() == before
    assert PointOfInterest.objects.count() == 1


def test_a_price_is_added_then_closed_with_the_audit_of_both(users, place):
    client = api(users["tourism"])
    url = reverse("api:staff-place-prices", kwargs={"public_id": place.public_id})
    refused = client.post(url, {"item": "", "price_vnd": -5}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"item", "price_vnd", "valid_from"}
    assert not PlacePrice.objects.exists()
    added = client.post(
        url,
        {"item": "Vé vào cửa", "item_en": "Entry", "unit": "người", "price_vnd": 30000,
         "valid_from": "2026-01-01"},
        format="json",
    )  # fmt: skip
    assert added.status_code == 201, added.content
    price = PlacePrice.objects.get()
    assert price.created_by == users["tourism"]
    assert added.json()["prices"][0]["id"] == price.pk
    close = reverse(
        "api:staff-place-price-close", kwargs={"public_id": place.public_id, "price_id": price.pk}
    )
    assert client.post(close, {"valid_to": "2025-12-01"}, format="json").status_code == 400
    closed = client.post(close, {"valid_to": "2026-02-28"}, format="json")
    assert closed.status_code == 200
    price.refresh_from_db()
    assert price.valid_to == dt.date(2026, 2, 28)
    assert closed.json()["prices"][0]["valid_to"] == "2026-02-28"
    audit = {c.action: c for c in PlaceChange.objects.filter(place=place)}
    assert audit["price_add"].after["price_vnd"] == 30000
    assert audit["price_add"].user == users["tourism"]
    assert audit["price_close"].before["valid_to"] is None
    assert audit["price_close"].after["valid_to"] == "2026-02-28"


def test_a_photo_needs_a_credit_and_a_real_image_and_is_audited(users, place, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api(users["tourism"])
    url = reverse("api:staff-place-photos", kwargs={"public_id": place.public_id})
    image = SimpleUploadedFile("cho.png", png_bytes((40, 30)), content_type="image/png")
    no_credit = client.post(url, {"image": image, "credit": " "}, format="multipart")
    assert no_credit.status_code == 400 and "credit" in no_credit.json()["errors"]
    fake = SimpleUploadedFile("cho.png", b"<script>", content_type="image/png")
    not_image = client.post(url, {"image": fake, "credit": "Du lịch MC"}, format="multipart")
    assert not_image.status_code == 400 and "image" in not_image.json()["errors"]
    assert not PlacePhoto.objects.exists()
    image = SimpleUploadedFile("cho.png", png_bytes((40, 30)), content_type="image/png")
    added = client.post(url, {"image": image, "credit": "Du lịch MC, CC BY"}, format="multipart")
    assert added.status_code == 201, added.content
    photo = PlacePhoto.objects.get()
    assert added.json()["photos"] == [
        {"id": photo.pk, "url": photo.image.url, "credit": "Du lịch MC, CC BY"}
    ]
    assert (tmp_path / photo.image.name).is_file()
    remove = reverse(
        "api:staff-place-photo", kwargs={"public_id": place.public_id, "photo_id": photo.pk}
    )
    assert client.delete(remove).status_code == 200
    assert not PlacePhoto.objects.exists()
    actions = list(PlaceChange.objects.filter(place=place).values_list("action", "user"))
    assert ("photo_add", users["tourism"].pk) in actions
    assert ("photo_remove", users["tourism"].pk) in actions


def test_session_writes_need_the_csrf_token(users, place):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["tourism"])
    page = client.get(reverse("web_map:staff-places"))
    assert page.status_code == 200
    token = json.loads(
        page.content.decode()
        .split('id="staff-config" type="application/json">')[1]
        .split("</script>")[0]
    )["csrfToken"]
    body = json.dumps({"name": "Đổi tên"})
    refused = client.patch(detail_url(place), body, content_type="application/json")
    assert refused.status_code == 403
    place.refresh_from_db()
    assert place.name == "Chợ Trung tâm"
    accepted = client.patch(
        detail_url(place), body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200
    place.refresh_from_db()
    assert place.name == "Đổi tên"


PLACES_CSV = (
    "ref,kind,name,lon,lat,hours\n"
    "cho-1,market,Chợ đêm,107.96,21.53,mon-sun 18:00-23:00\n"
    "nha-2,nowhere,Nhà hàng,107.97,21.52,\n"
)


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_bad_csv_names_its_rows_and_writes_nothing_even_without_dry_run(users):
    client = api(users["tourism"])
    for dry_run in ("1", "0"):
        answer = client.post(
            IMPORT, {"places": _csv("places.csv", PLACES_CSV), "dry_run": dry_run},
            format="multipart",
        )  # fmt: skip
        assert answer.status_code == 400, answer.content
        body = answer.json()
        assert body["problems"][0] == "places.csv:"
        assert any(line.strip().startswith("dòng 3: kind:") for line in body["problems"])
        assert "không có gì được ghi" in body["detail"]
    assert not PointOfInterest.objects.exists() and not PlaceChange.objects.exists()


def test_a_good_import_dry_run_writes_nothing_then_imports_with_prices(users):
    client = api(users["tourism"])
    good = PLACES_CSV.splitlines()[:2]
    prices = "ref,item,price_vnd,valid_from\ncho-1,Bánh cuốn,35000,2026-01-01\n"

    def send(dry_run: str):
        return client.post(
            IMPORT,
            {"places": _csv("places.csv", "\n".join(good) + "\n"),
             "prices": _csv("prices.csv", prices), "dry_run": dry_run},
            format="multipart",
        )  # fmt: skip

    checked = send("1")
    assert checked.status_code == 200, checked.content
    assert checked.json()["dry_run"] is True and checked.json()["counts"]["created"] == 1
    assert not PointOfInterest.objects.exists()
    imported = send("0")
    assert imported.status_code == 200 and imported.json()["counts"]["prices_added"] == 1
    place = PointOfInterest.objects.get(source_id="cho-1")
    assert place.prices.get().price_vnd == 35000
    assert PlaceChange.objects.filter(action="import", user=users["tourism"]).exists()


def test_the_exports_read_back(users, place):
    client = api(users["tourism"])
    for name in ("places.csv", "prices.csv", "places.zip", "places.gpkg"):
        file, fmt = name.split(".")
        answer = client.get(reverse("api:staff-places-export", kwargs={"file": file, "fmt": fmt}))
        assert answer.status_code == 200, (name, answer.content[:200])
        assert answer["Content-Disposition"] == f'attachment; filename="{name}"'
    places_csv = client.get(
        reverse("api:staff-places-export", kwargs={"file": "places", "fmt": "csv"})
    ).content.decode("utf-8-sig")
    assert str(place.public_id) in places_csv and "Chợ Trung tâm" in places_csv
    refused = api(users["operator"]).get(
        reverse("api:staff-places-export", kwargs={"file": "places", "fmt": "csv"})
    )
    assert refused.status_code == 403


def test_a_check_is_signed_with_the_editors_office_never_one_the_body_names(users, place):
    from gis_core.models import Agency

    office = Agency.objects.create(code="vhtt-thu", name="Phòng Văn hóa và Thông tin")
    StaffProfile.objects.update_or_create(user=users["tourism"], defaults={"agency": office})
    client = api(User.objects.get(pk=users["tourism"].pk))  # no cached profile
    checked = client.patch(detail_url(place), {"verified_at": "2026-11-30"}, format="json")
    assert checked.status_code == 200, checked.content
    place.refresh_from_db()
    assert place.verified_by == office and checked.json()["verified_by"] == office.name
    other = Agency.objects.create(code="khac-thu", name="Đơn vị khác")
    named = client.patch(detail_url(place), {"verified_by": other.pk}, format="json")
    assert named.status_code == 400 and "verified_by" in named.json()["errors"]
    cleared = client.patch(detail_url(place), {"verified_at": None}, format="json")
    assert cleared.status_code == 200
    place.refresh_from_db()
    assert place.verified_at is None and place.verified_by is None
