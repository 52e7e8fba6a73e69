"""GET /api/v1/places/ and /api/v1/places/<public_id>/ (PLACES.md): shape, bounds, search,
no personal data; and the demo places loaded by load_demo, idempotently, every kind."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gis_core.models import Agency
from layers.models import PlaceChange, PlaceKind, PlacePrice, PointOfInterest
from layers.places.demo import load_demo_places
from layers.places.services import place_create, price_set

pytestmark = pytest.mark.django_db

LIST_KEYS = {
    "id", "kind", "kind_name_vi", "kind_name_en", "kind_name_zh", "name", "name_en",
    "name_zh", "address", "phone", "website", "accommodation_type", "star_rating",
    "ocop_stars", "open_now", "price_from_vnd", "photo", "is_demo", "open_reports",
}  # fmt: skip
DETAIL_KEYS = LIST_KEYS | {
    "description", "description_en", "description_zh", "accessibility", "accessibility_en",
    "accessibility_zh", "hours", "hours_today", "photos", "prices", "verified_at",
    "verified_by", "source", "licence",
}  # fmt: skip


@pytest.fixture
def hotel(db) -> PointOfInterest:
    office = Agency.objects.create(
        code="du-lich", name="Phòng Văn hóa - Du lịch", name_en="Culture and Tourism Office"
    )
    staff = User.objects.create_user("can-bo-du-lich", password="x", first_name="Nguyễn Văn A")
    place = place_create(
        user=staff,
        values={
            "name": "Khách sạn Hạ Long",
            "name_en": "Ha Long Hotel",
            "kind": "accommodation",
            "accommodation_type": "hotel",
            "star_rating": 3,
            "lon": 107.966,
            "lat": 21.526,
            "hours": {"always": True},
            "verified_at": dt.date(2026, 1, 5),
            "verified_by": office,
        },
    )
    today = timezone.localdate()
    for item, vnd in (("Phòng đôi", 800_000), ("Phòng đơn", 550_000)):
        price_set(
            user=staff,
            place=place,
            values={"item": item, "unit": "đêm", "price_vnd": vnd, "valid_from": today},
        )
    return place


def test_list_shape_and_search(client, hotel):
    place_create(user=None, values={"name": "Trung tâm Vui chơi", "lon": 107.97, "lat": 21.52})
    body = client.get(reverse("api:place-list"), {"q": "hotel"}).json()
    assert body["type"] == "FeatureCollection" and body["count"] == 1
    feature = body["features"][0]
    assert feature["id"] == str(hotel.public_id)
    assert feature["geometry"] == {"type": "Point", "coordinates": [107.966, 21.526]}
    assert set(feature["properties"]) == LIST_KEYS | {"score"}
    props = feature["properties"]
    assert props["kind_name_vi"] == "Lưu trú" and props["kind_name_zh"] == "住宿"
    assert props["price_from_vnd"] == 550_000 and props["open_now"] is True
    unsearched = client.get(reverse("api:place-list")).json()
    assert unsearched["count"] == 2 and "score" not in unsearched["features"][0]["properties"]
    nothing = client.get(reverse("api:place-list"), {"q": "không có gì như vậy"}).json()
    assert nothing == {"type": "FeatureCollection", "count": 0, "features": []}


def test_detail_has_prices_hours_and_no_personal_data(client, hotel):
    response = client.get(reverse("api:place-detail", args=[hotel.public_id]))
    assert response.status_code == 200
    feature = response.json()
    props = feature["properties"]
    assert set(props) == DETAIL_KEYS
    assert props["hours"] == {"always": True}
    assert props["hours_today"] in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert props["prices"]["updated_at"] == timezone.localdate().isoformat()
    assert props["prices"]["stale"] is False
    assert [i["item"] for i in props["prices"]["items"]] == ["Phòng đôi", "Phòng đơn"]
    assert props["verified_by"] == {
        "name": "Phòng Văn hóa - Du lịch",
        "name_en": "Culture and Tourism Office",
        "name_zh": "",
    }
    assert props["open_reports"] == 0
    text = json.dumps(feature, ensure_ascii=False)
    staff = User.objects.get(username="can-bo-du-lich")
    for secret in ("can-bo-du-lich", "Nguyễn Văn A", '"created_by"', '"user"'):
        assert secret not in text

    # No object in the answer carries the staff member's id (price rows have ids of their
    # own, which may equal it by chance, so they are left out of the search).
    def ids(node, skip):
        if isinstance(node, dict) and node is not skip:
            yield from (v for k, v in node.items() if k.endswith("id"))
            for value in node.values():
                yield from ids(value, skip)
        elif isinstance(node, list):
            for value in node:
                yield from ids(value, skip)

    assert staff.pk not in set(ids(feature, skip=props["prices"]))
    assert str(hotel.pk) != props["id"]


def test_unknown_place_is_404(client, db):
    assert client.get(reverse("api:place-detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/api/v1/places/not-a-uuid/").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 101}, "q"),
        ({"kind": "casino"}, "kind"),
        ({"open_now": "maybe"}, "open_now"),
        ({"price_min": "1.000.000"}, "price_min"),
        ({"price_min": "500", "price_max": "100"}, "price_max"),
        ({"bbox": "108,21,107,22"}, "bbox"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_parameters_are_400_in_vietnamese(client, db, params, field):
    response = client.get(reverse("api:place-list"), params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if field == "q":
        assert "tối đa 100 ký tự" in errors["q"][0]


def test_limit_is_capped_at_200(client, db):
    for n in range(3):
        place_create(user=None, values={"name": f"Điểm {n}", "lon": 107.96, "lat": 21.52})
    body = client.get(reverse("api:place-list"), {"limit": "5000"}).json()
    assert body["count"] == 3 and len(body["features"]) == 3
    assert len(client.get(reverse("api:place-list"), {"limit": "2"}).json()["features"]) == 2


def test_kind_and_price_filters_through_the_api(client, hotel):
    place_create(
        user=None, values={"name": "Chợ đêm", "kind": "market", "lon": 107.96, "lat": 21.52}
    )
    body = client.get(reverse("api:place-list"), {"kind": "market,food"}).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Chợ đêm"]
    body = client.get(reverse("api:place-list"), {"price_max": "600000"}).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Khách sạn Hạ Long"]


def test_the_old_pois_list_still_answers(client, hotel):
    body = client.get(reverse("api:poi-list"), {"q": "ha long"}).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Khách sạn Hạ Long"]


# --- demo places ---------------------------------------------------------------------------


def test_demo_places_every_kind_inside_the_wards_and_idempotent(mong_cai_wards):
    first = load_demo_places()
    assert 55 <= first.created <= 70 and first.prices_added > 40
    demo = PointOfInterest.objects.filter(is_demo=True, source="demo")
    assert set(demo.values_list("kind", flat=True)) == set(PlaceKind.values)
    assert not demo.exclude(ward_match="inside").exists()
    counts = (
        PointOfInterest.objects.count(),
        PlacePrice.objects.count(),
        PlaceChange.objects.count(),
    )
    again = load_demo_places()
    assert (again.created, again.updated, again.prices_added) == (0, 0, 0)
    assert counts == (
        PointOfInterest.objects.count(),
        PlacePrice.objects.count(),
        PlaceChange.objects.count(),
    )
    # Some places are stale, some have an older, closed price.
    from layers.places.selectors import stale_places

    assert stale_places().filter(is_demo=True).count() >= 3
    assert PlacePrice.objects.filter(valid_to__isnull=False).count() >= 4
    hotel = demo.get(source_id="demo/ks-ha-long-mc")
    assert hotel.accommodation_type == "hotel" and hotel.star_rating == 4


def test_load_demo_adds_the_places_once(mong_cai_wards, seed_categories):
    call_command("load_demo", reports=20, stdout=io.StringIO())
    osm = set(PointOfInterest.objects.filter(is_demo=False).values_list("source_id", "name"))
    demo = PointOfInterest.objects.filter(is_demo=True).count()
    assert demo >= 55 and osm
    call_command("load_demo", reports=20, if_empty=True, stdout=io.StringIO())
    assert PointOfInterest.objects.filter(is_demo=True).count() == demo
    assert (
        set(PointOfInterest.objects.filter(is_demo=False).values_list("source_id", "name")) == osm
    )
