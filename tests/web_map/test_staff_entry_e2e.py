"""An operator enters a hotline call on a phone (390×844, touch) in headless Chromium: the
queue's "Nhập phản ánh" link, the channel, a tap on the map for the point, the caller's phone,
the privacy notice's confirmation (refused without it, nothing lost), and the stored report."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from gis_core.models import ContactConsent, Report, StaffProfile

SCREENSHOT = "var/screenshots/staff_entry_390.png"


@pytest.fixture
def operator(transactional_db, mong_cai_wards, categories):
    """TransactionTestCase flushes the seeded groups: make the operator's."""
    user = User.objects.create_user("op1", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    return user


def _sign_in(session, origin: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = urlsplit(origin).hostname
    session.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )


@pytest.mark.e2e
def test_operator_enters_a_hotline_call_on_a_phone(live_server, phone_session, operator):
    page, origin = phone_session.page, live_server.url
    _sign_in(phone_session, origin, operator)
    page.goto(f"{origin}/can-bo/")
    page.wait_for_selector("body[data-staff-ready=true]")
    with page.expect_navigation():
        page.tap("#entry-link")
    page.wait_for_selector("#entry-form[data-entry-ready=true]")

    page.select_option("select[name=channel]", "hotline")
    page.select_option("select[name=category]", "ha_tang")
    page.fill("textarea[name=description]", "Dây điện võng thấp trước số 12")
    box = page.locator("#entry-map").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#entry-map[data-pinned=true] .st-entry-pin")
    lat, lon = (float(page.input_value(f"input[name={n}]")) for n in ("lat", "lon"))
    centre_lat, centre_lon = settings.MAP_CENTER
    assert abs(lat - centre_lat) < 0.001 and abs(lon - centre_lon) < 0.001
    page.fill("input[name=contact_phone]", "0911222333")

    # Without the notice's confirmation: refused, the form comes back filled in, pin included.
    with page.expect_navigation():
        page.tap("#entry-form button[type=submit]")
    page.wait_for_selector("#entry-form[data-entry-ready=true]")
    assert page.locator('[data-error-for="consent_notice_version"]').is_visible()
    assert page.input_value("textarea[name=description]") == "Dây điện võng thấp trước số 12"
    assert page.locator("#entry-map[data-pinned=true] .st-entry-pin").count() == 1
    assert not Report.objects.exists()
    # Phone first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.check("input[name=consent_notice_version]")
    page.screenshot(path=SCREENSHOT, full_page=True)
    with page.expect_navigation():
        page.tap("#entry-form button[type=submit]")
    page.wait_for_selector("body[data-staff-ready=true]")
    shown = page.locator("#report-channel").inner_text()
    assert "Đường dây nóng" in shown and "op1" in shown

    report = Report.objects.get()
    assert (report.channel, report.entered_by_id, report.contact_phone) == (
        "hotline",
        operator.pk,
        "+84911222333",
    )
    assert abs(report.location.y - lat) < 1e-6 and abs(report.location.x - lon) < 1e-6
    assert ContactConsent.objects.get(report=report).channel == "staff"
    problems = phone_session.problems
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems.pop("external")} <= {tile_host}
    entry = reverse("web_map:staff-report-new")
    assert problems == {
        "pageerror": [],
        "console": [],
        "dialog": [],
        "http": [("POST", entry, 400)],
    }
