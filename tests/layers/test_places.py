"""Places (issue 13): listed prices with history, the stale flag, opening hours, ranked
search and the audit trail of the office's writes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from common.validation import FieldErrors
from layers.models import PlaceChange, PlacePrice, PointOfInterest
from layers.places.hours import DAY_KEYS, is_open, today_key
from layers.places.search import kind_tiers
from layers.places.selectors import (
    PlaceFilters,
    current_prices,
    is_stale,
    list_places,
    prices_updated_at,
    stale_places,
)
from layers.places.services import (
    photo_add,
    photo_remove,
    place_create,
    place_delete,
    place_update,
    price_close,
    price_set,
)

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = (107.965, 21.525)
D = dt.date


def local(y, m, d, hh=12, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


@pytest.fixture
def office_user(db) -> User:
    return User.objects.create_user("du-lich", password="x")


def make(name: str, kind: str = "attraction", user=None, **values) -> PointOfInterest:
    lon, lat = values.pop("at", CENTRE)
    return place_create(
        user=user, values={"name": name, "kind": kind, "lon": lon, "lat": lat, **values}
    )


def price(place, user=None, **values) -> PlacePrice:
    row, _ = price_set(
        user=user,
        place=place,
        values={"item": "Phòng đôi", "unit": "đêm", "price_vnd": 500_000, **values},
    )
    return row


# --- prices --------------------------------------------------------------------------------


def test_current_price_before_inside_and_after_its_validity():
    hotel = make("Khách sạn Thử", "accommodation")
    row = price(hotel, valid_from=D(2026, 3, 1), valid_to=D(2026, 3, 31))
    assert list(current_prices(hotel, D(2026, 2, 28))) == []
    assert list(current_prices(hotel, D(2026, 3, 1))) == [row]
    assert list(current_prices(hotel, D(2026, 3, 31))) == [row]
    assert list(current_prices(hotel, D(2026, 4, 1))) == []


def test_price_set_closes_the_previous_row_the_day_before_and_keeps_history(office_user):
    hotel = make("Khách sạn Lịch Sử", "accommodation")
    old = price(hotel, price_vnd=450_000, valid_from=D(2026, 1, 1))
    other = price(hotel, item="Phòng đơn", price_vnd=350_000, valid_from=D(2026, 1, 1))
    new = price(hotel, user=office_user, price_vnd=520_000, valid_from=D(2026, 5, 1))
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.valid_to == D(2026, 4, 30)
    assert other.valid_to is None  # another item is not touched
    assert new.valid_to is None and new.created_by == office_user
    assert [
        p.price_vnd for p in current_prices(hotel, D(2026, 4, 30)) if p.item == "Phòng đôi"
    ] == [450_000]
    assert [p.price_vnd for p in current_prices(hotel, D(2026, 5, 1)) if p.item == "Phòng đôi"] == [
        520_000
    ]
    change = PlaceChange.objects.filter(place=hotel, action="price_add").first()
    assert change is not None and change.user == office_user
    assert change.before == {"closed": [{"id": old.pk, "valid_to": None}]}
    assert change.after["price_vnd"] == 520_000
    assert change.after["closed"] == [{"id": old.pk, "valid_to": "2026-04-30"}]


def test_price_set_twice_writes_nothing_and_a_same_day_change_corrects_the_row():
    stall = make("Quán Phở Thử", "food")
    first = price(stall, item="Phở bò", unit="bát", price_vnd=45_000, valid_from=D(2026, 6, 1))
    changes = PlaceChange.objects.count()
    again, written = price_set(
        user=None,
        place=stall,
        values={"item": "Phở bò", "unit": "bát", "price_vnd": 45_000, "valid_from": D(2026, 6, 1)},
    )
    assert (again, written) == (first, False)
    assert PlaceChange.objects.count() == changes
    fixed, written = price_set(
        user=None,
        place=stall,
        values={"item": "Phở bò", "unit": "bát", "price_vnd": 50_000, "valid_from": D(2026, 6, 1)},
    )
    assert written and fixed.pk == first.pk and fixed.price_vnd == 50_000
    assert PlacePrice.objects.filter(place=stall).count() == 1


def test_price_set_refuses_bad_input_and_a_later_row_naming_the_field():
    stall = make("Quán Bún", "food")
    price(stall, item="Bún", valid_from=D(2026, 6, 1))
    with pytest.raises(FieldErrors) as bad:
        price_set(
            user=None,
            place=stall,
            values={
                "item": "",
                "price_vnd": -1,
                "valid_from": D(2026, 6, 2),
                "valid_to": D(2026, 6, 1),
            },
        )
    assert set(bad.value.errors) == {"item", "price_vnd", "valid_to"}
    with pytest.raises(FieldErrors) as later:
        price(stall, item="Bún", valid_from=D(2026, 5, 1))
    assert "valid_from" in later.value.errors
    assert "2026-06-01" in later.value.errors["valid_from"][0]


def test_price_close_ends_the_row_and_is_audited():
    stall = make("Quán Chè", "food")
    row = price(stall, item="Chè", valid_from=D(2026, 6, 1))
    price_close(user=None, price=row, valid_to=D(2026, 6, 30))
    assert list(current_prices(stall, D(2026, 7, 1))) == []
    change = PlaceChange.objects.get(action="price_close")
    assert change.before["valid_to"] is None and change.after["valid_to"] == "2026-06-30"
    with pytest.raises(FieldErrors):
        price_close(user=None, price=row, valid_to=D(2026, 5, 1))


@override_settings(TOURISM_PRICE_STALE_DAYS=90)
def test_stale_flag_at_89_and_91_days():
    hotel = make("Khách sạn Cũ", "accommodation")
    price(hotel, valid_from=D(2026, 1, 1))
    updated = prices_updated_at(hotel)
    assert updated is not None
    assert not is_stale(hotel, updated + dt.timedelta(days=89))
    assert is_stale(hotel, updated + dt.timedelta(days=91))
    assert list(stale_places(updated + dt.timedelta(days=91))) == [hotel]
    assert list(stale_places(updated + dt.timedelta(days=89))) == []
    bare = make("Bãi không giá")
    assert not is_stale(bare, updated + dt.timedelta(days=1000))


# --- opening hours -------------------------------------------------------------------------

WEEK = {
    "mon": [["08:00", "17:30"]],
    "tue": [["08:00", "11:30"], ["13:30", "17:30"]],
    "wed": [],
    "sat": [["18:00", "02:00"]],
}


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (local(2026, 6, 1, 8, 0), True),  # Monday, opening minute
        (local(2026, 6, 1, 17, 30), False),  # Monday, closing minute
        (local(2026, 6, 2, 12, 0), False),  # Tuesday lunch break
        (local(2026, 6, 2, 14, 0), True),
        (local(2026, 6, 3, 10, 0), False),  # Wednesday: closed all day
        (local(2026, 6, 4, 10, 0), False),  # Thursday: not listed, so closed
        (local(2026, 6, 6, 23, 0), True),  # Saturday evening
        (local(2026, 6, 7, 1, 59), True),  # Sunday early hours: Saturday's range
        (local(2026, 6, 7, 2, 0), False),
        (local(2026, 6, 7, 19, 0), False),  # Sunday evening: no range of its own
    ],
)
def test_is_open_by_weekday_and_past_midnight(when, expected):
    assert is_open(WEEK, when) is expected


HOURS_CASES = {
    "week": WEEK,
    "always": {"always": True},
    "unknown": {},
    "always off, days given": {"always": False, "sun": [["00:00", "24:00"]]},
    "late every day": {d: [["20:00", "03:30"]] for d in DAY_KEYS},
    "same open and close": {"fri": [["09:00", "09:00"]]},
    "to midnight": {"thu": [["18:00", "24:00"]], "fri": [["00:00", "06:00"]]},
}


def test_open_now_in_sql_says_what_is_open_says_over_a_week(db):
    """The list's "open now" runs in SQL (selectors.open_now_expression); at every half hour
    of a week, and a minute either side of the edges, it must agree with hours.is_open."""
    places = {label: make(f"Giờ {label}", hours=hours) for label, hours in HOURS_CASES.items()}
    moments = [
        local(2026, 6, 1) + dt.timedelta(minutes=minutes)
        for minutes in range(-12 * 60, 7 * 24 * 60, 29)
    ] + [local(2026, 6, 7, 1, 59), local(2026, 6, 7, 2, 0), local(2026, 6, 5, 9, 0)]
    for moment in moments:
        for wanted in (True, False):
            found = {
                p.name
                for p in list_places(PlaceFilters(open_now=wanted), limit=50, at=moment).places
            }
            expected = {
                p.name
                for p in places.values()
                if is_open(HOURS_CASES[p.name[4:]], moment) is wanted
            }
            assert found == expected, (moment, wanted)


def test_is_open_always_unknown_and_local_time():
    assert is_open({"always": True}, local(2026, 6, 3, 3, 0)) is True
    assert is_open({}, local(2026, 6, 3, 3, 0)) is None
    assert is_open(None, local(2026, 6, 3, 3, 0)) is None
    # 01:30 UTC on Monday is 08:30 local: open.
    assert is_open(WEEK, dt.datetime(2026, 6, 1, 1, 30, tzinfo=dt.UTC)) is True
    assert today_key(dt.datetime(2026, 6, 7, 18, 0, tzinfo=dt.UTC)) == "mon"  # 01:00 local


# --- search and filters --------------------------------------------------------------------


@pytest.fixture
def town(db) -> dict[str, PointOfInterest]:
    return {
        "market": make("Chợ Trung tâm Móng Cái", "market", name_en="Mong Cai Central Market"),
        "fun": make("Trung tâm Vui chơi Giải trí", name_en="Amusement Centre"),
        "hotel": make(
            "Khách sạn Hạ Long", "accommodation", name_en="Ha Long Hotel", name_zh="下龙酒店"
        ),
        "stay": make("Nhà nghỉ Hoa Hồng", "accommodation"),
        "food": make("Quán Phở Hùng", "food"),
        "ocop": make("Cửa hàng Đặc sản Quảng Ninh", "ocop_shop"),
        "beach": make("Bãi Trà Cổ", at=(108.03, 21.47)),
    }


def names(found) -> list[str]:
    return [p.name for p in found.places]


@pytest.mark.parametrize("q", ["chợ", "cho", "Chợ", "CHO"])
def test_market_comes_before_vui_choi(town, q):
    found = list_places(PlaceFilters(q=q), limit=50)
    assert names(found)[0] == "Chợ Trung tâm Móng Cái"
    if "Trung tâm Vui chơi Giải trí" in names(found):
        assert names(found).index("Trung tâm Vui chơi Giải trí") > 0


def test_ha_long_without_diacritics_finds_ha_long(town):
    assert names(list_places(PlaceFilters(q="ha long"), limit=50))[0] == "Khách sạn Hạ Long"
    assert names(list_places(PlaceFilters(q="下龙"), limit=50)) == ["Khách sạn Hạ Long"]


@pytest.mark.parametrize(
    ("q", "kind"),
    [
        ("khách sạn", "accommodation"),
        ("khach san", "accommodation"),
        ("hotel", "accommodation"),
        ("酒店", "accommodation"),
        ("nhà hàng", "food"),
        ("OCOP", "ocop_shop"),
        ("chợ", "market"),
    ],
)
def test_kind_words_find_places_of_that_kind(town, q, kind):
    found = list_places(PlaceFilters(q=q), limit=50)
    assert found.count >= 1
    assert found.places[0].kind == kind
    assert {p.kind for p in found.places if p.score == found.places[0].score} == {kind}


def test_both_stays_answer_hotel_and_a_word_not_a_kind_answers_nothing(town):
    found = list_places(PlaceFilters(q="hotel"), limit=50)
    assert set(names(found)) >= {"Khách sạn Hạ Long", "Nhà nghỉ Hoa Hồng"}
    assert kind_tiers("hotel") == {"accommodation": 4}
    nothing = list_places(PlaceFilters(q="xyzzy không có"), limit=50)
    assert nothing.count == 0 and nothing.places == []


def test_renamed_place_is_found_by_its_new_names_and_not_its_old_ones(town, office_user):
    """The search reads stored word copies of the names (layers.text.name_columns): a rename
    through the service, even with update_fields, must refresh them."""
    place_update(
        user=office_user,
        place=town["fun"],
        values={"name": "Công viên Nước Trà Cổ", "name_en": "Tra Co Water Park"},
    )
    assert names(list_places(PlaceFilters(q="water park"), limit=50)) == ["Công viên Nước Trà Cổ"]
    assert names(list_places(PlaceFilters(q="cong vien nuoc"), limit=50)) == [
        "Công viên Nước Trà Cổ"
    ]
    assert "Công viên Nước Trà Cổ" not in names(list_places(PlaceFilters(q="vui choi"), limit=50))
    market = town["market"]
    market.name_en = "Night Market"
    market.save(update_fields=["name_en"])
    assert names(list_places(PlaceFilters(q="night market"), limit=50)) == [market.name]
    assert list_places(PlaceFilters(q="amusement"), limit=50).count == 0


def test_filters_kind_bbox_open_now_and_price(town):
    market, hotel, food = town["market"], town["hotel"], town["food"]
    place_update(user=None, place=market, values={"hours": {"always": True}})
    place_update(user=None, place=food, values={"hours": {"mon": [["06:00", "10:00"]]}})
    price(hotel, price_vnd=800_000, valid_from=D(2026, 1, 1))
    price(food, item="Phở bò", unit="bát", price_vnd=50_000, valid_from=D(2026, 1, 1))
    at = local(2026, 6, 1, 8, 0)  # Monday morning
    kinds = list_places(PlaceFilters(kinds=("market", "food")), limit=50, at=at)
    assert set(names(kinds)) == {market.name, food.name}
    trà_cổ = list_places(PlaceFilters(bbox=(108.0, 21.45, 108.06, 21.49)), limit=50, at=at)
    assert names(trà_cổ) == ["Bãi Trà Cổ"]
    open_now = list_places(PlaceFilters(open_now=True), limit=50, at=at)
    assert set(names(open_now)) == {market.name, food.name}
    closed = list_places(PlaceFilters(open_now=False), limit=50, at=local(2026, 6, 1, 11, 0))
    assert names(closed) == [food.name]  # unknown hours are neither open nor closed
    cheap = list_places(PlaceFilters(price_max=100_000), limit=50, at=at)
    assert names(cheap) == [food.name]
    assert cheap.places[0].price_from_vnd == 50_000
    dear = list_places(PlaceFilters(price_min=500_000, price_max=1_000_000), limit=50, at=at)
    assert names(dear) == [hotel.name]
    limited = list_places(PlaceFilters(), limit=2, at=at)
    assert limited.count == len(town) and len(limited.places) == 2


# --- the office's writes and their audit ---------------------------------------------------


def test_create_update_delete_are_audited_with_before_and_after(office_user, mong_cai_wards):
    place = make("Điểm thông tin Du lịch", "info_point", user=office_user, address="Hùng Vương")
    assert place.ward is not None and place.ward_match == "inside"  # the database's ward rule
    assert place.source == "office" and place.source_id == f"office/{place.public_id}"
    created = PlaceChange.objects.get(action="create")
    assert created.user == office_user and created.before is None
    assert created.after["name"] == "Điểm thông tin Du lịch"
    assert created.after["location"] == list(CENTRE)
    changed = place_update(
        user=office_user,
        place=place,
        values={
            "address": "Số 1 Hùng Vương",
            "name": "Điểm thông tin Du lịch",
            "lon": 108.03,
            "lat": 21.47,
        },
    )
    assert sorted(changed) == ["address", "location"]
    update = PlaceChange.objects.get(action="update")
    assert update.before == {"address": "Hùng Vương", "location": list(CENTRE)}
    assert update.after == {"address": "Số 1 Hùng Vương", "location": [108.03, 21.47]}
    assert place_update(user=office_user, place=place, values={"address": "Số 1 Hùng Vương"}) == []
    assert PlaceChange.objects.filter(action="update").count() == 1
    public_id = place.public_id
    place_delete(user=office_user, place=place)
    assert not PointOfInterest.objects.filter(public_id=public_id).exists()
    gone = PlaceChange.objects.get(action="delete")
    assert gone.place is None and gone.place_public_id == public_id
    assert gone.before["address"] == "Số 1 Hùng Vương"
    assert PlaceChange.objects.filter(place_public_id=public_id).count() == 3


def test_bad_place_input_is_refused_field_by_field_in_vietnamese():
    with pytest.raises(FieldErrors) as bad:
        place_create(
            user=None,
            values={
                "name": "",
                "kind": "casino",
                "lon": 200,
                "lat": 21.5,
                "star_rating": 7,
                "hours": {"mon": [["8h", "17h"]]},
                "website": "javascript:alert(1)",
            },
        )
    errors = bad.value.errors
    assert set(errors) >= {"name", "kind", "lon", "star_rating", "hours", "website"}
    assert "bắt buộc" in errors["name"][0]
    assert "casino" in errors["kind"][0]
    assert not PointOfInterest.objects.exists() and not PlaceChange.objects.exists()


def test_photo_add_and_remove_are_audited(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = make("Đền Xã Tắc")
    image = SimpleUploadedFile("den.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg")
    with pytest.raises(FieldErrors) as no_credit:
        photo_add(user=None, place=place, image=image, credit=" ")
    assert "credit" in no_credit.value.errors
    photo = photo_add(user=None, place=place, image=image, credit="Ảnh: Sở Du lịch, CC BY 4.0")
    assert photo.image.name.startswith(f"places/{timezone.now():%Y}/")
    assert PlaceChange.objects.get(action="photo_add").after["credit"].startswith("Ảnh")
    photo_id = photo.pk
    photo_remove(user=None, photo=photo)
    assert not place.photos.exists()
    assert PlaceChange.objects.get(action="photo_remove").before["id"] == photo_id
