"""The tourist view in headless Chromium on a 390×844 phone, with the places API stood in by
its contract (tests/web_map/places_stand_in.py): ward outlines, the notice when basemap tiles
fail, "Gần tôi" drawing the visitor's position and distances, search with a polite "no
results", a place's details as a bottom sheet (photos, hours with today marked, listed prices,
tel:, geo:, verification, "report here"), the filters as the API takes them; and the nearest
free Wi-Fi from the real API. The same page against the real places API:
test_tourist_places_e2e.py."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.web_map.map_page import assert_no_problems
from tests.web_map.phone_browser import axe_serious
from tests.web_map.places_stand_in import DEN_XA_TAC, HOTEL_ID, serve_places

pytestmark = pytest.mark.e2e

WEEKDAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def screenshot(page, tmp_path: Path, name: str) -> Path:
    """Saved under $HT_SCREENSHOTS when set (to look at), else in the test's tmp dir."""
    folder = Path(os.environ.get("HT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path))
    return path


def open_tourist(page, live_server, *, accuracy: float = 40) -> list:
    queries = serve_places(page, live_server.url)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(
        {"latitude": DEN_XA_TAC[0], "longitude": DEN_XA_TAC[1], "accuracy": accuracy}
    )
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    return queries


def test_phone_map_wards_tiles_notice_and_visitor_position(phone_page, live_server, tourist_data):
    page = phone_page
    open_tourist(page, live_server)
    # Ward outlines with their names, under places a tap still reaches.
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.locator(".ht-ward-label").count() == 6
    assert page.locator("path.tr-place-marker").count() == 2
    # Every outside host is refused, the basemap's too: the map says so instead of a grey void.
    notice = page.locator("#map-notice")
    notice.wait_for(state="visible")
    assert notice.inner_text() == "Không tải được bản đồ nền; các địa điểm vẫn hiển thị."
    assert notice.get_attribute("role") == "status"
    assert notice.get_attribute("aria-live") == "polite"
    # Kinds by their names, never codes.
    assert page.locator("#tr-kind option").all_inner_texts() == [
        "Mọi loại",
        "Điểm tham quan",
        "Lưu trú",
    ]

    assert page.locator("path.tr-me").count() == 0
    page.locator("#tr-near").tap()
    page.wait_for_selector("body[data-visitor-shown=true]")
    dot = page.locator("path.tr-me").bounding_box()
    accuracy = page.locator("path.tr-me-accuracy").bounding_box()
    assert dot and accuracy and accuracy["width"] > dot["width"]  # 40 m around a 7 px dot
    centre = lambda b: (b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)  # noqa: E731
    assert all(abs(a - b) < 2 for a, b in zip(centre(dot), centre(accuracy), strict=True))
    # The nearest first, each with its distance in the page's locale.
    buttons = page.locator("#tr-results button")
    assert buttons.count() == 2
    assert buttons.nth(0).locator(".tr-result__name").inner_text() == "Khách sạn Hòa Bình"
    assert buttons.nth(0).locator(".tr-result__meta").inner_text() == "Lưu trú · 220 m"
    far = buttons.nth(1).locator(".tr-result__meta").inner_text()
    assert re.fullmatch(r"Điểm tham quan · \d+,\d km", far), far
    assert_no_problems(page)


def test_phone_search_no_results_then_details_sheet(
    phone_page, live_server, tourist_data, tmp_path
):
    page = phone_page
    open_tourist(page, live_server)
    page.locator("#tr-near").tap()
    page.wait_for_selector("body[data-visitor-shown=true]")

    status = page.locator("#tr-status")
    assert status.get_attribute("aria-live") == "polite"
    page.fill("#tr-search", "khong co gi nhu the")
    page.wait_for_function(
        "() => document.querySelector('#tr-status').textContent === 'Không có kết quả'"
    )
    assert page.locator("#tr-results li").count() == 0

    page.fill("#tr-search", "khach san")
    page.wait_for_function("() => document.querySelector('#tr-status').textContent === '1 kết quả'")
    page.locator("#tr-results button", has_text="Khách sạn Hòa Bình").tap()
    details = page.locator("#tr-details")
    page.wait_for_selector("#tr-details[data-state=ready]")
    assert details.locator("h2").inner_text() == "Khách sạn Hòa Bình"
    # A bottom sheet: the width of the phone, from its bottom edge.
    box = details.bounding_box()
    assert box["x"] == 0 and box["width"] == 390 and abs(box["y"] + box["height"] - 844) < 1
    text = details.inner_text()
    assert "Khách sạn gần chợ, có chỗ đỗ xe." in text
    assert "12 Hùng Vương, Móng Cái" in text
    assert "Lối vào có dốc cho xe lăn." in text
    assert details.locator(".tr-open").inner_text() == "Đang mở cửa"
    assert details.locator(".tr-stars").first.get_attribute("aria-label") == "3/5 sao"
    # Photo with its credit, loaded.
    page.wait_for_function(
        "() => { const i = document.querySelector('#tr-details .tr-photo img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert details.locator("figcaption").inner_text() == "Ảnh: Nguyễn Văn A, CC BY 4.0"
    # 24/7: one row, today's.
    hours = details.locator(".tr-hours tr")
    assert hours.count() == 1 and hours.first.get_attribute("aria-current") == "date"
    # The prices in force, cheapest first, the old one gone; when they were updated.
    assert "Giá niêm yết, cập nhật ngày 1/3/2025" in text
    rows = [plain(r) for r in details.locator(".tr-prices tbody tr").all_inner_texts()]
    assert rows == ["Phòng đơn\tđêm\t350.000 ₫", "Phòng đôi\tđêm\t650.000 ₫"]
    assert "Xác minh ngày 15/5/2025 bởi Phòng Văn hóa và Thông tin" in text
    assert "Cách\n220 m" in text
    # Links: phone, website, directions, report here (the form for the place, linked to it).
    assert details.locator("a[href^='tel:']").get_attribute("href") == "tel:+842033881234"
    site = details.locator("a[href^='https://hoabinh']")
    assert "noopener" in site.get_attribute("rel")
    lat, lon = f"{DEN_XA_TAC[0] + 0.002:.6f}", f"{DEN_XA_TAC[1]:.6f}"
    geo = details.locator("a[href^='geo:']").get_attribute("href")
    assert geo == f"geo:{lat},{lon}?q={lat},{lon}(Kh%C3%A1ch%20s%E1%BA%A1n%20H%C3%B2a%20B%C3%ACnh)"
    report = details.locator("a.tr-report")
    assert report.inner_text() == "Báo sự cố tại đây"
    assert report.get_attribute("href") == f"/?place={HOTEL_ID}"  # the form for this place
    assert report.get_attribute("data-place-id") == HOTEL_ID

    assert axe_serious(page) == []
    shot = screenshot(page, tmp_path, "tourist_phone_details_vi.png")
    assert shot.stat().st_size > 10_000

    # A closed place: every day listed without hours; today's row marked in Vietnamese.
    page.locator(".tr-close").tap()
    assert details.is_hidden()
    page.fill("#tr-search", "tra co")
    page.locator("#tr-results button", has_text="Đình Trà Cổ").tap()
    page.wait_for_selector("#tr-details[data-state=ready]")
    assert details.locator(".tr-open").inner_text() == "Đã đóng cửa"
    rows = details.locator(".tr-hours tr")
    assert rows.count() == 7
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).weekday()
    assert details.locator(".tr-hours tr[aria-current=date] th").inner_text() == WEEKDAYS_VI[today]
    assert rows.all_inner_texts()[0] == "Thứ Hai\tĐóng cửa"
    assert details.locator(".tr-prices").count() == 0
    assert axe_serious(page) == []
    assert_no_problems(page)

    # "Report here" opens the citizen's form at the place.
    page.goto(live_server.url + f"/?lat={lat}&lon={lon}")
    page.wait_for_selector("#report-panel:not([hidden])")


def test_phone_filters_reach_the_api(phone_page, live_server, tourist_data):
    page = phone_page
    queries = open_tourist(page, live_server)
    assert page.locator("#tr-price").is_hidden()
    page.select_option("#tr-kind", "accommodation")
    page.wait_for_function("() => document.body.dataset.placesCount === '1'")
    assert queries[-1]["kind"] == ["accommodation"]
    price = page.locator("#tr-price")
    assert price.is_visible()
    page.locator("#tr-open").tap()
    page.fill("#tr-price-min", "300000")
    page.fill("#tr-price-max", "700000")
    wanted = {
        "kind": ["accommodation"],
        "open_now": ["1"],
        "price_min": ["300000"],
        "price_max": ["700000"],
        "limit": ["200"],
    }
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((e) =>"
        " e.name.includes('price_max=700000') && e.name.includes('price_min=300000'))"
    )
    assert wanted in queries
    # Prices only for accommodation and food: another kind drops them.
    page.select_option("#tr-kind", "attraction")
    page.wait_for_function("() => document.body.dataset.placesCount === '1'")
    assert page.locator("#tr-price").is_hidden()
    assert queries[-1] == {"kind": ["attraction"], "open_now": ["1"], "limit": ["200"]}
    assert_no_problems(page)


def test_nearest_wifi_with_distances_and_the_wifi_layer(phone_page, live_server, tourist_data):
    """Wi-Fi as today: the registry's layer toggled, the nearest sites from the real API."""
    page = phone_page
    open_tourist(page, live_server)
    wifi = page.locator("path.tr-wifi-marker")
    assert wifi.count() == 0  # off by default
    page.check("input[data-layer=wifi]")
    assert wifi.count() > 0
    page.uncheck("input[data-layer=wifi]")
    assert wifi.count() == 0
    page.locator("#tr-wifi").tap()
    page.wait_for_selector("body[data-visitor-shown=true]")
    page.wait_for_function("() => document.querySelectorAll('#tr-results button').length === 3")
    first = page.locator("#tr-results button").first
    assert first.locator(".tr-result__name").inner_text() == "Đền Xã Tắc"
    assert re.fullmatch(r"\d+ m", first.locator(".tr-result__meta").inner_text())
    first.tap()
    page.wait_for_selector("#tr-details[data-state=ready]")
    assert "Tên Wi-Fi" in page.locator("#tr-details").inner_text()
    assert page.locator("#tr-details a.tr-report").get_attribute("data-place-id") is None
    assert_no_problems(page)


def test_phone_switches_to_english_and_the_choice_carries_to_the_citizen_map(
    phone_page, live_server, tourist_data
):
    """A visitor reading a place's details switches to English: the page comes back in English
    (the panel closed, kinds and places named in English) and the citizen map is English too.
    The new strings need the merged catalogs (/work/notes/tr_visitor.json)."""
    page = phone_page
    open_tourist(page, live_server)
    assert page.evaluate("document.documentElement.lang") == "vi"
    switch = page.locator(".ht-lang button")
    assert switch.all_inner_texts() == ["Tiếng Việt", "English", "中文"]
    assert page.locator("#lang-vi").get_attribute("aria-current") == "true"

    def open_details() -> None:
        page.fill("#tr-search", "hoa binh")
        page.locator("#tr-results button").first.tap()
        page.wait_for_selector("#tr-details[data-state=ready]")

    open_details()
    details = page.locator("#tr-details")
    assert details.locator("a.tr-report").inner_text() == "Báo sự cố tại đây"
    with page.expect_navigation():
        page.locator("#lang-en").tap()
    page.wait_for_selector("body[data-layers-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert details.is_hidden()
    assert page.locator("h1").inner_text().startswith("Visit ")
    assert page.get_attribute("#tr-search", "placeholder") == "Search places (e.g. tra co)"
    assert page.locator("#tr-near").inner_text() == "Near me"
    kinds = page.locator("#tr-kind option").all_inner_texts()
    assert kinds == ["All kinds", "Accommodation", "Attraction"]
    open_details()
    text = details.inner_text()
    assert details.locator("h2").inner_text() == "Hoa Binh Hotel"
    assert "A hotel near the market, with parking." in text
    assert "Double room\tnight\t₫650,000" in text
    assert "Prices as listed, updated on 01/03/2025" in text
    assert details.locator("a.tr-report").inner_text() == "Report a problem here"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the English page is {width} px wide on a 390 px phone"

    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#lang-en").get_attribute("aria-current") == "true"
    assert_no_problems(page)
