"""Personal data on a phone (390×844): the consent box beside the phone field must be ticked
before a phone is sent, and "my reports" asks for erasure and shows its deadline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from gis_core.models import ContactConsent, ErasureRequest, Report
from tests.web_map.map_page import MONG_CAI_3, assert_no_problems, open_map
from tests.web_map.phone_browser import axe_serious, tap_latlng

pytestmark = pytest.mark.e2e

PHONE = "+84912345678"
# Where the screenshots go, to look at them (HT_SCREENSHOT_DIR; else the test's tmp dir).
SCREENSHOTS = os.environ.get("HT_SCREENSHOT_DIR", "")


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def test_a_phone_is_sent_only_with_consent_to_the_notice(
    phone_session, live_server, map_data, tmp_path
):
    page = phone_session.page
    open_map(page, live_server)
    tap_latlng(page, *MONG_CAI_3)
    page.wait_for_function(
        "() => document.querySelector('#lookup-result').textContent.includes('Móng Cái 3')"
    )
    page.select_option("#f-category", "moi_truong")
    page.fill("#f-description", "Cống thoát nước bị tắc")
    page.fill("#f-phone", "0912 345 678")
    notice = page.locator("#privacy-notice")
    assert "24 tháng" in notice.inner_text() and notice.is_visible()
    # Beside the phone: below its field, above the box, as wide as the form.
    phone, text = page.locator("#f-phone").bounding_box(), notice.bounding_box()
    box = page.locator("label.ht-consent").bounding_box()
    assert phone["y"] < text["y"] < box["y"] and text["x"] == phone["x"]
    assert text["width"] == phone["width"]
    assert box["height"] >= 24 and box["width"] <= 390

    before = Report.objects.count()
    page.tap("#report-form [type=submit]")
    error = page.locator("#e-consent_notice_version")
    error.wait_for(state="visible")
    assert "đồng ý" in error.inner_text()
    assert page.locator("#f-consent").get_attribute("aria-invalid") == "true"
    assert Report.objects.count() == before
    assert axe_serious(page) == []
    page.locator("#f-consent").scroll_into_view_if_needed()
    shot(page, tmp_path, "consent-required.png")

    page.tap("label.ht-consent")  # the label ticks the box: a large target
    error.wait_for(state="hidden")
    page.tap("#report-form [type=submit]")
    page.locator("#report-done").wait_for(state="visible")
    report = Report.objects.exclude(contact_phone="").get()
    consent = ContactConsent.objects.get(report=report)
    assert (consent.notice_version, consent.channel) == ("2026-01", "web")
    assert_no_problems(page)


def test_my_reports_asks_for_erasure_and_shows_the_deadline(
    phone_page, live_server, categories, tmp_path
):
    page = phone_page
    citizen = User.objects.create_user(PHONE)
    Report.objects.create(
        category=categories["moi_truong"], description="Rác ở chợ đêm",
        location=Point(107.97, 21.53, srid=4326), contact_phone=PHONE, reporter=citizen,
    )  # fmt: skip
    sign_in(page, live_server, citizen)
    page.goto(live_server.url + "/cua-toi/")
    section = page.locator("#erasure")
    section.scroll_into_view_if_needed()
    assert "2 ngày làm việc" in section.inner_text()
    ask = page.locator("#erasure summary")
    assert ask.bounding_box()["height"] >= 44
    ask.tap()
    confirm = page.locator("#erasure form button[type=submit]")
    confirm.wait_for(state="visible")
    assert confirm.bounding_box()["height"] >= 44
    assert axe_serious(page) == []
    shot(page, tmp_path, "erasure-confirm.png")
    with page.expect_navigation():
        confirm.tap()

    erasure = ErasureRequest.objects.get(account=citizen)
    status = page.locator("#erasure [role=status]")
    status.wait_for()
    deadline = timezone.localtime(erasure.deadline).strftime("%H:%M %d/%m/%Y")
    assert deadline in status.inner_text()
    assert page.locator("#erasure summary").count() == 0  # asked once: no second button
    assert axe_serious(page) == []
    shot(page, tmp_path, "erasure-requested.png")
    assert_no_problems(page)
