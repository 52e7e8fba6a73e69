"""A visitor on a 390×844 phone reports overcharging at a hotel from the tourist page ("Báo sự
cố tại đây", issue 13): the form opens for the place, tourism categories first, the listed
items to pick from; the stored report is linked to the place with the item and the amount, and
the place's sheet then counts it. Against the live server and the real places API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.gis.geos import Point

from gis_core.models import Report
from layers.models import PlacePrice, PlaceReport, PointOfInterest
from tests.web_map.map_page import assert_no_problems
from tests.web_map.phone_browser import axe_serious
from tests.web_map.places_stand_in import DEN_XA_TAC
from tests.web_map.test_tourist_e2e import plain, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def hotel(live_server, mong_cai_wards, categories):
    place = PointOfInterest.objects.create(
        layer="tourism",
        source="office",
        source_id="test/hotel",
        kind="accommodation",
        name="Khách sạn Biên Giới",
        name_en="Border Hotel",
        location=Point(DEN_XA_TAC[1], DEN_XA_TAC[0] + 0.002, srid=4326),
        hours={"always": True},
    )
    start = dt.date.today() - dt.timedelta(days=10)
    for item, vnd in (("Phòng đơn", 350_000), ("Phòng đôi", 450_000)):
        PlacePrice.objects.create(
            place=place, item=item, unit="đêm", price_vnd=vnd, valid_from=start
        )
    return place


def open_hotel(page, live_server) -> None:
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    page.fill("#tr-search", "bien gioi")
    page.locator("#tr-results button", has_text="Khách sạn Biên Giới").tap()
    page.wait_for_selector("#tr-details[data-state=ready]")


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel = page.locator("#report-panel")
    assert panel.evaluate("(el) => el.scrollWidth <= el.clientWidth")


def test_visitor_reports_overcharging_at_a_hotel(phone_page, live_server, hotel, tmp_path):
    page = phone_page
    open_hotel(page, live_server)
    details = page.locator("#tr-details")
    assert details.locator(".tr-open-reports").count() == 0  # none yet
    report = details.locator("a.tr-report")
    box = report.bounding_box()
    assert box and box["height"] >= 44
    report.tap()
    page.wait_for_url(f"**/?place={hotel.public_id}")
    banner = page.locator("#place-banner")
    banner.wait_for(state="visible")
    assert banner.locator("#place-banner-text").inner_text() == "Báo sự cố tại: Khách sạn Biên Giới"
    # The point is the place's; the ward is looked up as for any report.
    page.wait_for_function(
        "() => document.querySelector('#lookup-result').textContent.includes('Phường/Xã:')"
    )
    pin = page.evaluate(
        "() => { const l = window.hienTruong.form.pin.getLatLng(); return [l.lat, l.lng]; }"
    )
    assert pin == pytest.approx([hotel.location.y, hotel.location.x])

    groups = page.locator("#f-category optgroup")
    assert groups.count() == 2
    first = groups.nth(0).locator("option").all_inner_texts()
    assert first[0] == "Chặt chém, bán cao hơn giá niêm yết" and len(first) == 5
    assert page.locator("#place-price-fields").is_hidden()
    page.select_option("#f-category", "du_lich_chat_chem")
    page.locator("#place-price-fields").wait_for(state="visible")
    page.locator("#report-panel").evaluate("(el) => { el.scrollTop = 0; }")
    screenshot(page, tmp_path, "place_report_banner.png")
    options = [plain(t) for t in page.locator("#f-price option").all_inner_texts()]
    assert options[1:] == ["Phòng đôi — 450.000 ₫ / đêm", "Phòng đơn — 350.000 ₫ / đêm"]
    double = hotel.prices.get(item="Phòng đôi")
    page.select_option("#f-price", str(double.pk))
    page.locator("#f-charged").tap()
    page.keyboard.type("abc")
    page.fill("#f-description", "Lễ tân thu 900.000 đồng cho phòng đôi, giá niêm yết 450.000.")
    page.locator("#report-form [type=submit]").tap()
    error = page.locator("#e-charged_vnd")
    error.wait_for(state="visible")
    assert "chữ số" in error.inner_text()
    page.fill("#f-charged", "900.000")
    assert error.is_hidden()

    for selector in ("#place-cancel", "#f-price", "#f-charged", "#f-category"):
        b = page.locator(selector).bounding_box()
        assert b and b["height"] >= 44, selector
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390, selector
    no_sideways_scroll(page)
    assert axe_serious(page) == []
    screenshot(page, tmp_path, "place_report_form.png")
    page.locator("#f-charged").scroll_into_view_if_needed()
    screenshot(page, tmp_path, "place_report_form_prices.png")

    with page.expect_response(f"**/api/v1/places/{hotel.public_id}/reports/") as answer:
        page.locator("#report-form [type=submit]").tap()
    assert answer.value.status == 201
    page.locator("#report-done").wait_for(state="visible")
    assert page.locator("#report-done-reference").inner_text().startswith("Mã phản ánh:")
    feature = answer.value.json()
    stored = Report.objects.get(public_id=feature["id"])
    link = PlaceReport.objects.get(report=stored)
    assert (stored.category.code, link.place_id, link.price_id, link.charged_vnd) == (
        "du_lich_chat_chem",
        hotel.pk,
        double.pk,
        900_000,
    )
    assert stored.source == "web"
    screenshot(page, tmp_path, "place_report_done.png")

    open_hotel(page, live_server)
    assert details.locator(".tr-open-reports").inner_text() == "1 phản ánh đang xử lý"
    screenshot(page, tmp_path, "place_sheet_count.png")
    assert_no_problems(page)


def test_cancel_makes_a_normal_report_and_an_unknown_place_is_a_notice(
    phone_page, live_server, hotel
):
    page = phone_page
    page.goto(f"{live_server.url}/?place={hotel.public_id}")
    page.locator("#place-banner").wait_for(state="visible")
    page.locator("#place-cancel").tap()
    assert page.locator("#place-banner").is_hidden()
    assert page.locator("#f-category optgroup").count() == 0
    assert "place=" not in page.url
    page.select_option("#f-category", "du_lich_chat_chem")
    assert page.locator("#place-price-fields").is_hidden()
    page.fill("#f-description", "Bị tính giá cao")
    with page.expect_response("**/api/v1/reports/") as answer:
        page.locator("#report-form [type=submit]").tap()
    assert answer.value.status == 201
    assert not PlaceReport.objects.exists() and Report.objects.count() == 1
    page.wait_for_load_state("networkidle")  # no lookup cut short by leaving the page

    page.goto(f"{live_server.url}/?place=00000000-0000-0000-0000-00000000beef")
    notice = page.locator("#place-notice")
    notice.wait_for(state="visible")
    assert "Không tìm thấy địa điểm này" in notice.inner_text()
    assert page.locator("#place-banner").is_hidden()
    assert page.locator("#report-form").is_visible()
    assert_no_problems(page)


def test_offline_report_at_a_place_waits_for_the_place_url(phone_page, live_server, hotel):
    page = phone_page
    page.goto(f"{live_server.url}/?place={hotel.public_id}")
    page.locator("#place-banner").wait_for(state="visible")
    page.select_option("#f-category", "du_lich_chat_chem")
    page.select_option("#f-price", str(hotel.prices.get(item="Phòng đơn").pk))
    page.fill("#f-charged", "700000")
    page.fill("#f-description", "Thu gấp đôi giá phòng đơn")
    page.context.set_offline(True)
    page.locator("#report-form [type=submit]").tap()
    page.locator("#report-done.ht-done--queued").wait_for(state="visible")
    entries = page.evaluate(
        "async () => (await import('/static/web_map/js/outbox.js')).pendingReports()"
    )
    assert len(entries) == 1
    entry = entries[0]
    assert entry["url"].endswith(f"/api/v1/places/{hotel.public_id}/reports/")
    assert (entry["fields"]["price"], entry["fields"]["charged_vnd"]) == (
        hotel.prices.get(item="Phòng đơn").pk,
        700_000,
    )
    with page.expect_response(f"**/api/v1/places/{hotel.public_id}/reports/") as answer:
        page.context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
    assert answer.value.status == 201, json.dumps(answer.value.json())
    link = PlaceReport.objects.get()
    assert (link.place_id, link.charged_vnd) == (hotel.pk, 700_000)
