"""An operator verifies a report in headless Chromium: the staff page's form, the staff API
with the session's CSRF token, the reload, and the audit trail (who did it)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import reverse
from playwright.sync_api import sync_playwright

from gis_core.models import Category, Report, ReportTransition, StaffProfile
from tests.web_map.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    new_problems,
    outside_blocker,
    watch,
)
from tests.web_map.map_page import MONG_CAI_1


@pytest.fixture
def operator_and_report(transactional_db, mong_cai_wards):
    """TransactionTestCase flushes the seeded groups and categories: make what is needed."""
    user = User.objects.create_user("op1", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    category, _ = Category.objects.get_or_create(
        code="ha_tang", defaults={"name_vi": "Hạ tầng", "name_en": "Infrastructure"}
    )
    lat, lon = MONG_CAI_1
    report = Report.objects.create(
        category=category,
        description="Ổ gà lớn <b>giữa đường</b>",
        location=Point(lon, lat, srid=4326),
        contact_phone="+84911222333",
    )
    return user, report


@pytest.mark.e2e
def test_operator_verifies_a_report(live_server, operator_and_report, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    user, report = operator_and_report
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    origin = live_server.url
    problems = new_problems()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            host = urlsplit(origin).hostname
            cookie = {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "domain": host,
                "path": "/",
            }
            context.add_cookies([cookie])
            page = context.new_page()
            page.route("**/*", outside_blocker(origin, problems))
            watch(page, origin, problems)

            # The queue: the report's row and its point on the small map lead to its page.
            page.goto(f"{origin}/can-bo/")
            page.wait_for_selector("body[data-staff-ready=true]")
            assert page.locator("#staff-map path.leaflet-interactive").count() == 1
            with page.expect_navigation():
                page.click(f'tr[data-report-id="{report.public_id}"] a')
            page.wait_for_selector("body[data-staff-ready=true]")
            assert page.locator("#report-status").inner_text() == "Tiếp nhận"
            assert "<b>giữa đường</b>" in page.locator(".st-description").inner_text()
            # Someone else moves it meanwhile: the API's 409 is shown inline, nothing reloads.
            Report.objects.filter(pk=report.pk).update(status="rejected")
            page.click("#transition-form button[data-to-status=verified]")
            error = page.locator("#transition-form .st-form-error")
            error.wait_for(state="visible")
            assert "có người vừa thay đổi nó" in error.inner_text()
            Report.objects.filter(pk=report.pk).update(status="received")

            page.fill("#transition-form textarea[name=note]", "Đã gọi xác nhận")
            with page.expect_navigation():
                page.click("#transition-form button[data-to-status=verified]")
            page.wait_for_selector("body[data-staff-ready=true]")
            assert page.locator("#report-status").inner_text() == "Đã xác minh"
            row = page.locator("#history .st-history__item")
            assert row.count() == 1
            assert "Tiếp nhận → Đã xác minh" in row.inner_text()
            assert "op1" in row.inner_text() and "Đã gọi xác nhận" in row.inner_text()
        finally:
            browser.close()
            connections.close_all()

    report.refresh_from_db()
    assert report.status == "verified"
    transition = ReportTransition.objects.get(report=report)
    assert (transition.from_status, transition.to_status) == ("received", "verified")
    assert transition.actor_id == user.pk and transition.note == "Đã gọi xác nhận"
    # Only basemap tiles were fetched from outside (and refused); no CDN, no error.
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems.pop("external")} <= {tile_host}
    transition_url = reverse("api:staff-report-transition", args=[report.public_id])
    assert problems == {
        "pageerror": [],
        "console": [],
        "dialog": [],
        "http": [("POST", transition_url, 409)],
    }
