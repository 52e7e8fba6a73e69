"""The tourist view against the real places API (notes PLACES.md), on a 390×844 phone in each
language: places made through the ORM (PointOfInterest with kind, hours, public_id, PlacePrice
rows), searched without diacritics, filtered, and a place's details with its hours and listed
prices. These need the models and API of branch "places" (layers 0018_places) and, for English
and Chinese, the merged catalogs (/work/notes/tr_visitor.json)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from tests.web_map.map_page import assert_no_problems
from tests.web_map.phone_browser import axe_serious
from tests.web_map.places_stand_in import DEN_XA_TAC
from tests.web_map.test_tourist_e2e import plain, screenshot

pytestmark = pytest.mark.e2e

WORDS = {
    "vi": {
        "kinds": ["Mọi loại", "Ăn uống", "Chợ", "Lưu trú"],
        "hotel": "Khách sạn Biên Giới",
        "open": "Đang mở cửa",
        "none": "Không có kết quả",
        "double": "Phòng đôi\tđêm\t650.000 ₫",
        "updated": "Giá niêm yết, cập nhật ngày",
        "report": "Báo sự cố tại đây",
    },
    "en": {
        "kinds": ["All kinds", "Accommodation", "Food and drink", "Market"],
        "hotel": "Border Hotel",
        "open": "Open now",
        "none": "No results",
        "double": "Double room\tnight\t₫650,000",
        "updated": "Prices as listed, updated on",
        "report": "Report a problem here",
    },
    "zh-hans": {
        "kinds": None,  # the order of Chinese names is the browser's collation; checked as a set
        "hotel": "边境酒店",
        "open": "营业中",
        "none": "没有结果",
        "double": "双人间\t晚\t₫650,000",
        "updated": "标价，更新于",
        "report": "在此报告问题",
    },
}


@pytest.fixture
def places(live_server, mong_cai_wards, categories):
    from layers.models import PlacePrice, PointOfInterest

    def make(kind: str, name: str, dlat: float, **fields) -> PointOfInterest:
        return PointOfInterest.objects.create(
            layer="tourism",
            source="office",
            source_id=f"test/{kind}/{name}",
            kind=kind,
            name=name,
            location=Point(DEN_XA_TAC[1], DEN_XA_TAC[0] + dlat, srid=4326),
            **fields,
        )

    hotel = make(
        "accommodation",
        "Khách sạn Biên Giới",
        0.002,
        name_en="Border Hotel",
        name_zh="边境酒店",
        accommodation_type="hotel",
        star_rating=3,
        phone="0203 388 1234",
        hours={"always": True},
        is_demo=True,
    )
    today = dt.date.today()
    for item, en, zh, price in (
        ("Phòng đơn", "Single room", "单人间", 350_000),
        ("Phòng đôi", "Double room", "双人间", 650_000),
    ):
        PlacePrice.objects.create(
            place=hotel, item=item, item_en=en, item_zh=zh, unit="đêm", unit_en="night",
            unit_zh="晚", price_vnd=price, valid_from=today - dt.timedelta(days=10),
        )  # fmt: skip
    make("market", "Chợ Trung tâm Móng Cái", 0.004, name_en="Mong Cai Central Market",
         name_zh="芒街中心市场", hours={d: [["05:00", "18:00"]] for d in
         ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})  # fmt: skip
    make("food", "Nhà hàng Hải Sản", 0.006, name_en="Seafood Restaurant", name_zh="海鲜餐厅")
    return {"hotel": hotel}


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_phone_visitor_view_in_each_language(phone_page, live_server, places, language, tmp_path):
    page = phone_page
    words = WORDS[language]
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": DEN_XA_TAC[0], "longitude": DEN_XA_TAC[1]})
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("path.tr-place-marker").count() == 3
    kinds = page.locator("#tr-kind option").all_inner_texts()
    if words["kinds"]:
        assert kinds == words["kinds"]
    assert not {"accommodation", "food", "market"} & set(kinds)

    page.fill("#tr-search", "zzzz khong co")
    page.wait_for_function(
        "(t) => document.querySelector('#tr-status').textContent === t", arg=words["none"]
    )
    page.fill("#tr-search", "khach san")  # the kind's name without diacritics finds the hotel
    page.locator("#tr-results button", has_text=words["hotel"]).tap()
    page.wait_for_selector("#tr-details[data-state=ready]")
    details = page.locator("#tr-details")
    assert details.locator("h2").inner_text() == words["hotel"]
    assert details.locator(".tr-open").inner_text() == words["open"]
    text = plain(details.inner_text())
    assert words["double"] in text and words["updated"] in text
    assert details.locator("a[href^='tel:']").get_attribute("href") == "tel:02033881234"
    assert details.locator("a[href^='geo:']").count() == 1
    report = details.locator("a.tr-report")
    assert report.inner_text() == words["report"]
    assert report.get_attribute("data-place-id") == str(places["hotel"].public_id)
    assert axe_serious(page) == []
    screenshot(page, tmp_path, f"tourist_places_{language}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_problems(page)


def test_phone_filters_and_market_search(phone_page, live_server, places):
    page = phone_page
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    page.select_option("#tr-kind", "accommodation")
    page.wait_for_function("() => document.body.dataset.placesCount === '1'")
    page.fill("#tr-price-min", "600000")
    page.fill("#tr-price-max", "700000")
    page.wait_for_function("() => document.body.dataset.placesCount === '1'")
    page.fill("#tr-price-min", "700001")
    page.fill("#tr-price-max", "")
    page.wait_for_function("() => document.body.dataset.placesCount === '0'")
    page.select_option("#tr-kind", "")
    page.locator("#tr-open").tap()  # the restaurant's hours are unknown: not "open now"
    page.wait_for_function("() => Number(document.body.dataset.placesCount) >= 1")
    # The market keeps day hours: with "open now" still on, a night run would not find it.
    page.locator("#tr-open").tap()
    page.wait_for_function("() => Number(document.body.dataset.placesCount) >= 3")
    page.fill("#tr-search", "cho")
    page.wait_for_selector("#tr-results button")
    first = page.locator("#tr-results button .tr-result__name").first.inner_text()
    assert first == "Chợ Trung tâm Móng Cái"
    assert_no_problems(page)
