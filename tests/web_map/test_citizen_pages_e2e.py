"""Signing in and "my reports" on a phone: where the code went, the resend wait, the
reference of each report, no serious accessibility fault on any step."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import Point

from gis_core import sms
from gis_core.models import Report
from tests.web_map.map_page import MONG_CAI_3, assert_no_problems
from tests.web_map.phone_browser import axe_serious

pytestmark = pytest.mark.e2e


def test_sign_in_and_my_reports_on_a_phone(phone_page, live_server, categories, settings):
    settings.LOGIN_CODE_RESEND_SECONDS = 60
    page = phone_page
    lat, lon = MONG_CAI_3
    report = Report.objects.create(
        category=categories["moi_truong"], description="Rác ở chợ đêm",
        location=Point(lon, lat, srid=4326), contact_phone="+84912345678", status="resolved",
        answer="Đã thu gom.",
    )  # fmt: skip
    report.refresh_from_db()
    sms.outbox.clear()

    page.goto(live_server.url + "/dang-nhap/")
    assert axe_serious(page) == []
    page.fill("#phone", "0912 345 678")
    with page.expect_navigation():
        page.tap("form.ct-form button[type=submit]")
    assert "0912 *** 678" in page.locator("#code-sent").inner_text()
    resend = page.locator("#resend")
    assert resend.is_disabled()
    assert re.fullmatch(r"Có thể gửi lại sau \d+ giây\.", page.locator("#resend-wait").inner_text())
    assert page.locator("#change-phone").get_attribute("href") == "/dang-nhap/"
    for selector in ("#code", "#resend", "#change-phone", "#code-form button"):
        assert page.locator(selector).bounding_box()["height"] >= 44, selector
    assert axe_serious(page) == []

    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    page.fill("#code", code)
    with page.expect_navigation():
        page.tap("#code-form button[type=submit]")
    article = page.locator(f"#report-{report.reference}")
    article.wait_for()
    assert report.reference in article.inner_text() and "Đã thu gom." in article.inner_text()
    assert page.locator(".ct-rating input[type=radio]").count() == 3
    assert axe_serious(page) == []
    with page.expect_navigation():
        page.tap(f"#report-{report.reference} a.ct-report__ref")
    assert page.locator("#report-reference").inner_text() == report.reference
    assert axe_serious(page) == []
    assert_no_problems(page)
