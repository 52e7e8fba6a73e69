"""The tourist view in headless Chromium: layer toggle, diacritic-free search, details with a
"report here" link that opens the report form there, and nearest free Wi-Fi from the
browser's position."""

from __future__ import annotations

import pytest

from tests.web_map.map_page import assert_no_problems

# Đền Xã Tắc (OSM way 610783746)
DEN_XA_TAC = (21.533804, 107.965281)


@pytest.mark.e2e
def test_tourist_view(browser_page, live_server, tourist_data):
    page = browser_page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": DEN_XA_TAC[0], "longitude": DEN_XA_TAC[1]})
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    markers = page.locator(".leaflet-interactive")
    assert markers.count() == 8  # tourism on by default, Wi-Fi off
    page.check("input[data-layer=wifi]")
    assert markers.count() > 8
    page.uncheck("input[data-layer=wifi]")
    assert markers.count() == 8
    page.select_option("#tr-category", "bai_bien")  # the two beaches of the OSM extract
    assert page.locator(".leaflet-interactive:visible").count() == 2
    page.select_option("#tr-category", "")
    assert page.locator(".leaflet-interactive:visible").count() == 8

    page.fill("#tr-search", "tra co")
    page.wait_for_selector("#tr-results button")
    names = page.locator("#tr-results button").all_inner_texts()
    assert "Bãi Trà Cổ" in names
    page.locator("#tr-results button", has_text="Bãi Trà Cổ").click()
    details = page.locator("#tr-details")
    assert "Bãi Trà Cổ" in details.inner_text()
    href = details.locator("a.tr-report").get_attribute("href")
    assert href.startswith("/?lat=21.48") and "lon=108.04" in href

    page.click("#tr-wifi")
    page.wait_for_function(
        "() => { const b = document.querySelector('#tr-results button');"
        " return b && b.textContent.includes(' m)'); }"
    )
    first = page.locator("#tr-results button").first.inner_text()
    assert first.startswith("Đền Xã Tắc")  # the site at the visitor's position comes first
    assert_no_problems(page)

    page.goto(live_server.url + href)
    page.wait_for_selector("#report-panel:not([hidden])")
    page.wait_for_function("() => !document.querySelector('#lookup-result.ht-location--pending')")
    # Trà Cổ beach -> Móng Cái 1 (06712): the citizen reads the ward's name, no code.
    lookup = page.locator("#lookup-result").inner_text()
    assert lookup.startswith("Phường/Xã: Móng Cái 1 — gần nhất") and "06712" not in lookup


@pytest.mark.e2e
def test_details_panel_shows_photo_hours_prices_and_ocop_stars(
    browser_page, live_server, tourist_data, monkeypatch
):
    from django.conf import settings

    from layers.models import PointOfInterest
    from tests.layers.poi_photo import give_photo

    temple = PointOfInterest.objects.get(layer="tourism", name="Đền Xã Tắc")
    temple.opening_hours = "06:00-18:00"
    temple.price_range = "20.000-50.000 ₫"
    temple.ocop_stars = 4
    temple.save()
    stored = give_photo(temple, monkeypatch)

    page = browser_page
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    page.fill("#tr-search", "den xa tac")
    page.locator("#tr-results button", has_text="Đền Xã Tắc").click()
    details = page.locator("#tr-details")
    img = details.locator("figure.tr-photo img")
    assert img.get_attribute("src") == f"{live_server.url}{settings.MEDIA_URL}{stored}"
    assert img.get_attribute("alt") == "Ảnh Đền Xã Tắc"
    assert img.get_attribute("loading") == "lazy"
    # The PNG really loaded (a broken image has naturalWidth 0 and is removed).
    page.wait_for_function(
        "() => { const i = document.querySelector('#tr-details img');"
        " return i && i.complete && i.naturalWidth === 8; }"
    )
    text = details.inner_text()
    assert "06:00-18:00" in text and "20.000-50.000 ₫" in text
    assert details.locator(".tr-stars").inner_text() == "★★★★☆"
    assert details.locator(".tr-stars").get_attribute("aria-label") == "4/5 sao"
    assert details.locator("a.tr-report").get_attribute("href").startswith("/?lat=21.53")

    # A POI without a photo shows no image (nor a broken one).
    page.fill("#tr-search", "tra co")
    page.locator("#tr-results button", has_text="Bãi Trà Cổ").click()
    page.wait_for_function(
        "() => document.querySelector('#tr-details h2').textContent.includes('Trà Cổ')"
    )
    assert details.locator("img").count() == 0
    assert_no_problems(page)


@pytest.mark.e2e
def test_phone_switches_to_english_and_the_choice_carries_to_the_citizen_map(
    phone_page, live_server, tourist_data
):
    """On a 390×844 phone: a visitor reading a place's details switches to English with the
    page's switcher; the page comes back wholly in English (nothing stays Vietnamese, the
    panel included), and the citizen map they go on to is English too (one setting)."""
    from layers.models import PointOfInterest

    PointOfInterest.objects.filter(layer="tourism", name="Bãi Trà Cổ").update(
        opening_hours="Mọi lúc"
    )
    page = phone_page
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "vi"
    switch = page.locator(".ht-lang button")
    assert switch.all_inner_texts() == ["Tiếng Việt", "English", "中文"]
    assert page.locator("#lang-vi").get_attribute("aria-current") == "true"
    assert page.locator("#lang-vi").is_disabled()

    def open_details() -> None:
        page.fill("#tr-search", "tra co")
        page.locator("#tr-results button", has_text="Trà Cổ").first.wait_for()
        page.locator("#tr-results button", has_text="Bãi Trà Cổ").tap()
        page.locator("#tr-details").wait_for(state="visible")

    open_details()
    details = page.locator("#tr-details")
    assert "Giờ mở cửa" in details.inner_text()
    assert details.locator("a.tr-report").inner_text() == "Báo sự cố tại đây"

    with page.expect_navigation():
        page.locator("#lang-en").tap()
    page.wait_for_selector("body[data-layers-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#lang-en").get_attribute("aria-current") == "true"
    assert page.locator("#lang-vi").is_enabled()
    # The reload closed the Vietnamese panel: nothing on the page is left in the old language.
    assert details.is_hidden()
    assert page.locator("h1").inner_text().startswith("Visit ")
    assert page.get_attribute("#tr-search", "placeholder") == "Search places (e.g. tra co)"
    assert page.locator("#tr-near").inner_text() == "Near me"
    # The category filter names kinds of place, never their raw codes.
    kinds = page.locator("#tr-category option").all_inner_texts()
    assert kinds[0] == "All kinds"
    assert not {"bai bien", "bai_bien", "di tich", "di_tich"} & set(kinds)
    open_details()
    text = details.inner_text()
    assert "Opening hours" in text and "Giờ mở cửa" not in text
    assert details.locator("a.tr-report").inner_text() == "Report a problem here"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the English page is {width} px wide on a 390 px phone"

    # The choice carried: the citizen map (another page) comes in English.
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".ht-header__hint").inner_text() == "Click the map to send a report"
    assert page.locator("#lang-en").get_attribute("aria-current") == "true"
    assert_no_problems(page)
