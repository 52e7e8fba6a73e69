"""The web map in headless Chromium against the live server, with every external host blocked.

Blocking proves two things at once: nothing comes from a CDN, and the map stays usable when
basemap tiles cannot load (the situation on a field worker's flaky connection).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from gis_core.idempotency import scope_hash
from gis_core.models import Report
from tests.gis_core.photo_factory import publish_pending_photos
from tests.gis_core.worker import wait_for
from tests.web_map.browser import TIMEOUT_MS
from tests.web_map.map_page import (
    MONG_CAI_1,
    MONG_CAI_3,
    assert_no_problems,
    click_latlng,
    open_map,
    png_bytes,
    wait_for_lookup,
)

pytestmark = pytest.mark.e2e


NEAR_COAST = (21.48152, 108.0453)  # ~125 m off Móng Cái 1's coast: within the 250 m tolerance
OPEN_SEA = (21.45, 108.15)  # ~8 km off the coast: outside every ward and the tolerance

XSS_SUBMITTED = '<script>alert("s")</script><img src=x onerror=alert("submitted")> cống tắc'


def test_map_wards_reports_and_report_form(browser_page, live_server, map_data):
    page = browser_page
    open_map(page, live_server)

    # Tiles are unreachable, and the map says so but keeps working.
    assert page.locator("#map-notice").inner_text().startswith("Không tải được bản đồ nền")
    assert page.evaluate("document.documentElement.lang") == "vi"

    # Today (2026) the six 2025 units are current: six polygons, six permanent labels.
    labels = page.locator(".ht-ward-label")
    assert labels.count() == 6
    assert "Móng Cái 3" in labels.all_inner_texts()
    assert page.locator("path.leaflet-interactive").count() >= 6

    # Existing reports: three close together form a cluster, the fourth is a lone marker.
    page.wait_for_selector(".marker-cluster")
    assert "3" in page.locator(".marker-cluster").all_inner_texts()
    assert page.locator(".ht-legend li").count() == 6

    # The XSS attempt is displayed as text in its popup.
    xss = map_data["xss"]
    page.click(f'.ht-report-marker[data-report-id="{xss.public_id}"]')
    popup = page.locator(".leaflet-popup .ht-report-popup")
    popup.wait_for()
    assert popup.locator(".ht-report-popup__description").inner_text() == xss.description
    assert "Đã xác minh" in popup.inner_text()
    assert "Phường/Xã: Xã Hải Ninh" in popup.inner_text()
    assert page.locator('img[src="x"]').count() == 0
    page.keyboard.press("Escape")

    # Just off the coast: the nearest ward, with the distance.
    panel, lookup = page.locator("#report-panel"), page.locator("#lookup-result")
    click_latlng(page, *NEAR_COAST)
    panel.wait_for(state="visible")
    wait_for_lookup(page)
    nearest = r"Phường/Xã: Móng Cái 1 — gần nhất, cách (\d+) m"
    match = re.fullmatch(nearest, lookup.inner_text())
    assert match and 30 < int(match.group(1)) <= settings.WARD_NEAREST_TOLERANCE_M
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")

    # Far out at sea: the form opens and says the point is outside every ward.
    click_latlng(page, *OPEN_SEA)
    panel.wait_for(state="visible")
    wait_for_lookup(page)
    assert lookup.inner_text() == "Phường/Xã: ngoài ranh giới"
    assert page.locator("#ward-card").is_hidden()

    # Inside Móng Cái 3: the lookup names the ward and the ward card shows its details.
    click_latlng(page, *MONG_CAI_3)
    page.wait_for_function(
        "() => document.querySelector('#lookup-result').textContent.includes('Móng Cái 3')"
    )
    assert lookup.inner_text() == "Phường/Xã: Móng Cái 3"  # the name only, never a code
    card = page.locator("#ward-card")
    assert "Phường Móng Cái 3" in card.inner_text()
    assert "06736" in card.inner_text()
    assert "Phường" in card.inner_text()

    before = set(Report.objects.values_list("pk", flat=True))
    page.select_option("#f-category", "moi_truong")
    page.fill("#f-description", XSS_SUBMITTED)
    page.fill("#f-phone", "0912 345 678")
    page.check("#f-consent")  # contact data goes only with consent to the notice shown

    # A file that is not an image: the API's 400 message appears next to the photo field.
    page.set_input_files(
        "#f-photos", files=[{"name": "fake.png", "mimeType": "image/png", "buffer": b"not a png"}]
    )
    page.click("#report-form [type=submit]")
    photo_error = page.locator('[data-error-for="photos"]')
    photo_error.wait_for(state="visible")
    assert "fake.png" in photo_error.inner_text()
    assert set(Report.objects.values_list("pk", flat=True)) == before

    # A real photo: the report is stored once, in the right ward, and appears on the map.
    # Chosen photos accumulate as thumbnails: the refused one is removed with its × first.
    page.click('.ht-attachment--photo .ht-attachment__remove[aria-label*="fake.png"]')
    page.set_input_files(
        "#f-photos", files=[{"name": "cong.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.click("#report-form [type=submit]")
    done = page.locator("#report-done")
    done.wait_for(state="visible")
    assert "Phường Móng Cái 3" in done.inner_text()
    assert photo_error.is_hidden()

    new = list(Report.objects.exclude(pk__in=before).select_related("ward__version"))
    assert len(new) == 1
    report = new[0]
    assert (report.ward.code, report.ward.version.name) == ("06736", "mong-cai-2025")
    assert report.ward_match == "inside"
    assert report.description == XSS_SUBMITTED
    assert report.contact_phone == "+84912345678"  # stored in one form, for later sign-in
    assert report.source == "web"
    assert report.photos.count() == 1
    assert report.idempotency_key
    # The key counts within this phone's device id (js/device.js), kept in localStorage.
    device = page.evaluate("localStorage.getItem('ht-device-id')")
    assert device and report.idempotency_scope == scope_hash(
        f"device:{device}", report.idempotency_key
    )
    assert done.get_attribute("data-report-id") == str(report.public_id)

    marker = page.locator(f'.ht-report-marker[data-report-id="{report.public_id}"]')
    marker.wait_for(state="visible")
    marker.click()
    popup.wait_for()
    assert popup.locator(".ht-report-popup__description").inner_text() == XSS_SUBMITTED
    assert page.locator("#report-done").is_visible(), "a marker click must not reopen the form"
    # The photo is not public until the media task has blurred faces and plates in it.
    assert popup.locator("img.ht-report-popup__photo").count() == 0
    assert publish_pending_photos() == 1  # the media task's work, as the worker would run it
    page.locator(".leaflet-container").first.press("ArrowRight")  # a pan: the map reloads
    page.wait_for_function("() => document.querySelector('.ht-report-marker') !== null")
    marker = page.locator(f'.ht-report-marker[data-report-id="{report.public_id}"]')
    thumb = popup.locator("img.ht-report-popup__photo")
    wait_for(lambda: _open_and_has_photo(marker, thumb), timeout=20, what="the published photo")
    page.wait_for_function(
        "() => document.querySelector('img.ht-report-popup__photo')?.naturalWidth > 0"
    )
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("document.querySelectorAll('.leaflet-popup script').length") == 0

    expected = [("GET", "/api/v1/wards/lookup/", 404), ("POST", "/api/v1/reports/", 400)]
    assert_no_problems(page, allowed_http=expected)


def _open_and_has_photo(marker, thumb) -> bool:
    marker.click()
    return thumb.count() > 0


def test_language_switch_persists(browser_page, live_server, map_data):
    """One language setting: the switcher stores the cookie and the page comes back in it."""
    page = browser_page
    open_map(page, live_server)
    assert page.locator(".ht-header__hint").inner_text() == "Nhấn vào bản đồ để gửi phản ánh"

    with page.expect_navigation():
        page.click("#lang-en")
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".ht-header__hint").inner_text() == "Click the map to send a report"
    assert "Received" in page.locator(".ht-legend").inner_text()

    page.reload()
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    click_latlng(page, *MONG_CAI_3)
    page.wait_for_function(
        "() => document.querySelector('#lookup-result').textContent.includes('Móng Cái 3')"
    )
    # The ward's name only: no code or boundary version for the citizen.
    assert page.locator("#lookup-result").inner_text() == "Ward/Commune: Móng Cái 3"
    assert page.locator("#f-category option[value=moi_truong]").inner_text() == "Environment"
    assert page.locator("label[for=f-phone]").inner_text().startswith("Contact phone")
    # The API answers in the page's language too (the cookie travels with fetch).
    detail = page.evaluate(
        """async () => (await (await fetch('/api/v1/reports/', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: '{"lat": 95}'})).json()).detail"""
    )
    assert detail.startswith("Invalid input:")
    # The other pages follow the same setting.
    page.goto(live_server.url + "/dang-nhap/")
    assert page.locator("h1").inner_text() == "Sign in with your phone number"

    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.click("#lang-vi")
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "vi"
    click_latlng(page, *MONG_CAI_3)
    assert page.locator("#f-category option[value=moi_truong]").inner_text() == "Môi trường"
    assert_no_problems(page, allowed_http=[("POST", "/api/v1/reports/", 400)])


@pytest.mark.e2e
def test_form_shows_possible_duplicates_before_sending(browser_page, live_server, map_data):
    """Choosing the category of an open report 20 m away lists it, with a link to its page."""
    page = browser_page
    open_map(page, live_server)
    near = map_data["cluster"]  # "Rác thải 0", moi_truong, received, at MONG_CAI_1
    lat, lon = MONG_CAI_1
    page.evaluate(
        """([lat, lon]) => new Promise((moved) => {
            const map = window.hienTruong.map;
            map.once("moveend", moved);
            map.setView([lat, lon], 18);
        })""",
        [lat, lon],
    )
    click_latlng(page, lat + 20 / 110_700, lon)  # 20 m north
    wait_for_lookup(page)
    # Another category: the answer lists nothing, so no hint.
    asked = "/reports/duplicates/?"
    with page.expect_response(lambda r: asked in r.url and "category=ha_tang" in r.url) as other:
        page.select_option("#f-category", "ha_tang")
    assert other.value.json()["features"] == []
    assert page.locator("#duplicates-hint").is_hidden()
    page.select_option("#f-category", "moi_truong")
    hint = page.locator("#duplicates-hint")
    hint.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "Rác thải 0" in hint.inner_text()
    href = hint.locator("a").first.get_attribute("href")
    assert href == f"/phan-anh/{near.public_id}/"
    assert_no_problems(page)
