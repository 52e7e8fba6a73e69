"""A ward officer makes a report urgent on a phone (390×844): the staff page's priority control
posts to the staff API, the page reloads with the "Khẩn" badge and the change in its history,
and the queue lists the report first, marked on the map."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.test import Client

from gis_core.models import PriorityChange, Report, StaffProfile
from tests.web_map.map_page import MONG_CAI_1
from tests.web_map.phone_browser import axe_serious
from ward_boundaries.models import Ward

pytestmark = pytest.mark.e2e
# Where the screenshots go, to look at them (HT_SCREENSHOT_DIR; else the test's tmp dir).
SCREENSHOTS = os.environ.get("HT_SCREENSHOT_DIR", "")


@pytest.fixture
def officer_and_reports(transactional_db, mong_cai_wards, categories):
    user = User.objects.create_user("phuong1", password="x")
    user.groups.add(Group.objects.get_or_create(name="ward_officer")[0])
    profile = StaffProfile.objects.create(user=user)
    lat, lon = MONG_CAI_1
    newer = Report.objects.create(
        category=categories["moi_truong"],
        description="Rác ở chợ",
        location=Point(lon + 0.002, lat, srid=4326),
    )
    report = Report.objects.create(
        category=categories["ha_tang"],
        description="Dây điện rơi xuống vỉa hè",
        location=Point(lon, lat, srid=4326),
        reported_at=newer.reported_at - dt.timedelta(hours=1),
    )
    report.refresh_from_db()
    profile.wards.set(Ward.objects.filter(pk=report.ward_id))
    return user, report, newer


def test_a_ward_officer_makes_a_report_urgent_on_a_phone(
    phone_session, live_server, officer_and_reports, tmp_path
):
    user, report, newer = officer_and_reports
    page = phone_session.page
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/can-bo/phan-anh/{report.public_id}/")
    page.wait_for_selector("body[data-staff-ready=true]")
    assert page.locator("#report-priority").inner_text() == "Thường"
    assert page.locator("#report-urgent").count() == 0
    form = page.locator("#priority-form")
    form.scroll_into_view_if_needed()
    box = form.locator("button").bounding_box()
    assert box["height"] >= 24 and box["x"] + box["width"] <= 390  # tappable, on screen
    page.select_option("#priority-form select[name=priority]", "urgent")
    page.fill("#priority-form textarea[name=reason]", "Nguy cơ điện giật")
    with page.expect_navigation():
        page.tap("#priority-form button")
    page.wait_for_selector("body[data-staff-ready=true]")
    assert page.locator("#report-urgent").inner_text() == "Khẩn"
    assert page.locator("#report-priority").inner_text() == "Khẩn"
    history = page.locator("#priority-history .st-history__item")
    assert history.count() == 1
    assert "Thường → Khẩn" in history.inner_text() and "phuong1" in history.inner_text()
    assert axe_serious(page) == []
    page.locator("#priority").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "priority-report.png"))

    # The queue: the (older) urgent report first, with its badge; its marker drawn larger.
    page.goto(f"{live_server.url}/can-bo/")
    page.wait_for_selector("body[data-staff-ready=true]")
    rows = page.locator("tr[data-report-id]")
    assert rows.nth(0).get_attribute("data-report-id") == str(report.public_id)
    assert rows.nth(1).get_attribute("data-report-id") == str(newer.public_id)
    assert rows.nth(0).locator(".st-badge--urgent").inner_text() == "Khẩn"
    widths = page.eval_on_selector_all(
        "#staff-map path.leaflet-interactive", "els => els.map(e => e.getAttribute('stroke-width'))"
    )
    assert sorted(widths) == ["2", "4"]
    page.screenshot(path=str(folder / "priority-queue.png"), full_page=True)

    change = PriorityChange.objects.get(report=report)
    assert (change.to_priority, change.actor_id, change.reason) == (
        "urgent",
        user.pk,
        "Nguy cơ điện giật",
    )
    assert Report.objects.get(pk=report.pk).priority == "urgent"
    problems = dict(phone_session.problems)
    problems.pop("external", None)  # basemap tiles, refused
    assert problems == {"pageerror": [], "console": [], "dialog": [], "http": []}, problems
