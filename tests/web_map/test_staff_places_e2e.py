"""The tourism office's page in real Chromium (issue 13): the officer adds a place by
clicking the map, sets its opening hours, saves, lists a price and closes it, and reads the
audit entries; a bad CSV import names "dòng 3" and writes nothing, checked first and then
imported; on a phone (390×844) the page is no wider than the screen and the form is reached."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.local_time import local_today
from gis_core.models import StaffProfile
from layers.models import PlaceChange, PlacePrice, PointOfInterest
from layers.places.services import place_create, price_set

DESKTOP_SHOT = "var/screenshots/staff_places_desktop.png"
PHONE_SHOT = "var/screenshots/staff_places_390.png"
BAD_CSV = (
    "ref,kind,name,lon,lat\n"
    "cho-dem,market,Chợ đêm,107.96,21.53\n"
    "nha-hang,quán ăn,Nhà hàng,107.97,21.52\n"
).encode()


@pytest.fixture
def officer(transactional_db, mong_cai_wards):
    """TransactionTestCase flushes the seeded groups: make the office's."""
    user = User.objects.create_user("dulich", password="x")
    user.groups.add(Group.objects.get_or_create(name="tourism")[0])
    StaffProfile.objects.create(user=user)
    return user


@pytest.fixture
def stale_market(officer):
    """A demo market whose only price was written long ago: flagged on the map and list."""
    lon, lat = settings.MAP_CENTER[1] + 0.01, settings.MAP_CENTER[0] + 0.005
    place = place_create(
        user=None,
        values={"name": "Chợ Trung tâm", "kind": "market", "lon": lon, "lat": lat, "is_demo": True},
    )
    price_set(
        user=None,
        place=place,
        values={"item": "Gửi xe", "price_vnd": 5000, "valid_from": dt.date(2025, 1, 1)},
    )
    PlacePrice.objects.update(created_at=timezone.now() - dt.timedelta(days=400))
    return place


def sign_in(context, origin: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "domain": urlsplit(origin).hostname,
                "path": "/",
            }
        ]
    )


def _no_problems(problems, expected_http):
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems.pop("external")} <= {tile_host}
    assert problems == {"pageerror": [], "console": [], "dialog": [], "http": expected_http}


@pytest.mark.e2e
def test_the_office_adds_a_place_with_hours_and_a_price_and_reads_the_audit(
    live_server, browser_page, officer, stale_market
):
    page, origin = browser_page, live_server.url
    sign_in(page.context, origin, officer)
    page.goto(f"{origin}/can-bo/")
    page.click("#places-link")
    page.wait_for_selector("body[data-places-ready=true]")
    stale = page.locator(f'[data-place="{stale_market.public_id}"]')
    assert "Giá chưa cập nhật quá 90 ngày" in stale.inner_text()
    assert "mẫu" in stale.inner_text()

    # "Thêm địa điểm", then a click on the map places it.
    page.click("#place-add")
    box = page.locator("#places-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#place-editor:not([hidden])")
    assert page.inner_text("#place-editor-title") == "Địa điểm mới"
    lat, lon = (float(page.input_value(f"#place-form input[name={n}]")) for n in ("lat", "lon"))
    assert abs(lat - settings.MAP_CENTER[0]) < 0.01 and abs(lon - settings.MAP_CENTER[1]) < 0.01
    page.fill("#place-form input[name=name]", "Bảo tàng Quảng Ninh")
    page.fill("#place-form input[name=name_en]", "Quang Ninh Museum")
    page.select_option("#place-form select[name=kind]", "attraction")
    # Hours: weekly, Monday 07:30-17:00 copied to the week, closed on Sunday.
    page.check("input[name=hours_mode][value=weekly]")
    page.fill("[data-hours=mon-0-open]", "07:30")
    page.click("[data-hours=copy-all]")
    page.check("[data-hours=sun-closed]")
    page.click("#verified-today")
    page.click("#place-save")
    page.wait_for_selector("#place-saved:not([hidden])")
    place = PointOfInterest.objects.get(name="Bảo tàng Quảng Ninh")
    assert place.hours["mon"] == [["07:30", "17:00"]] and place.hours["sat"] == [["07:30", "17:00"]]
    assert place.hours["sun"] == [] and place.hours["always"] is False
    assert place.name_en == "Quang Ninh Museum" and place.verified_at == local_today()
    assert abs(place.location.y - lat) < 1e-6 and abs(place.location.x - lon) < 1e-6
    page.wait_for_selector(f'[data-place="{place.public_id}"]')

    # A price, then it is closed today.
    page.fill("#price-form input[name=item]", "Vé vào cửa")
    page.fill("#price-form input[name=item_en]", "Admission")
    page.fill("#price-form input[name=unit]", "người")
    page.fill("#price-form input[name=price_vnd]", "40.000")
    page.click("#price-add")
    price_row = page.locator("#prices-table tr[data-price-row]")
    price_row.first.wait_for()
    price = PlacePrice.objects.get(place=place)
    assert (price.price_vnd, price.valid_from, price.valid_to) == (40000, local_today(), None)
    assert price.created_by == officer
    assert "40.000" in price_row.first.inner_text()
    page.click(f'form[data-price="{price.pk}"] button[type=submit]')
    page.wait_for_selector(f'#prices-table tr[data-price-row="{price.pk}"] form', state="detached")
    price.refresh_from_db()
    assert price.valid_to == local_today()

    # The audit panel: created, price added, price closed, each by the officer.
    history = page.locator("#place-history > li")
    page.wait_for_selector("#place-history > li[data-action=price_close]")
    actions = [history.nth(i).get_attribute("data-action") for i in range(history.count())]
    assert actions == ["price_close", "price_add", "create"]
    assert "dulich" in history.first.inner_text() and "Kết thúc giá" in history.first.inner_text()
    assert "valid_to: — → " in history.first.inner_text()
    audit = PlaceChange.objects.filter(place=place)
    assert set(audit.values_list("user__username", flat=True)) == {"dulich"}

    # A bad CSV: checked first, then "Nhập": refused both times, row 3 named, nothing written.
    places_before, changes_before = PointOfInterest.objects.count(), PlaceChange.objects.count()
    page.set_input_files(
        "#import-form input[name=places]",
        {"name": "places.csv", "mimeType": "text/csv", "buffer": BAD_CSV},
    )
    for button in ("#import-check", "#import-run"):
        page.click(button)
        page.wait_for_selector("#import-result[data-outcome=refused] .pl-problems")
        problems = page.inner_text("#import-result")
        assert "dòng 3: kind:" in problems and "không có gì được ghi" in problems
        page.evaluate("document.getElementById('import-result').dataset.outcome = ''")
    assert PointOfInterest.objects.count() == places_before
    assert PlaceChange.objects.count() == changes_before
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=DESKTOP_SHOT, full_page=True)
    imports = reverse("api:staff-places-import")
    _no_problems(page.problems, [("POST", imports, 400), ("POST", imports, 400)])


@pytest.mark.e2e
def test_the_page_fits_a_phone_and_the_form_is_reached(
    live_server, phone_session, officer, stale_market
):
    page, origin = phone_session.page, live_server.url
    sign_in(phone_session.context, origin, officer)
    page.goto(f"{origin}/can-bo/du-lich/")
    page.wait_for_selector("body[data-places-ready=true]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.tap(f'[data-place="{stale_market.public_id}"]')
    page.wait_for_selector(f'#place-editor[data-place-id="{stale_market.public_id}"]')
    name = page.locator("#place-form input[name=name]")
    name.scroll_into_view_if_needed()
    assert name.is_visible() and name.input_value() == "Chợ Trung tâm"
    page.locator("#place-save").scroll_into_view_if_needed()
    assert page.locator("#place-save").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=PHONE_SHOT)  # the form where the officer is: the screen itself
    _no_problems(phone_session.problems, [])
