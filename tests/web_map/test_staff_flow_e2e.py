"""The main flow in headless Chromium, each step by the role that does it, on a desktop and on
a 390×844 phone: the ward officer verifies (one step: assigned, deadline set), the agency
starts and resolves with an answer template, the reporter is not satisfied, the operator finds
the report in "cần xem lại" and reopens it. Basemap tiles are refused (no internet), so the
maps' notice shows, with the points and ward outlines still drawn."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import sync_playwright

from gis_core.models import (
    Agency,
    Category,
    Report,
    ResponseTemplate,
    RoutingRule,
    StaffProfile,
)
from gis_core.workflow import report_rate
from tests.web_map.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    new_problems,
    outside_blocker,
    watch,
)
from tests.web_map.map_page import MONG_CAI_1
from ward_boundaries.models import Ward

SCREENS = settings.BASE_DIR / "var" / "screens"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def flow_world(transactional_db, mong_cai_wards):
    """TransactionTestCase flushes the seeded rows: make what the flow needs."""
    category, _ = Category.objects.get_or_create(
        code="ha_tang", defaults={"name_vi": "Hạ tầng", "name_en": "Infrastructure"}
    )
    agency = Agency.objects.create(code="qldt", name="Phòng Quản lý đô thị")
    RoutingRule.objects.create(category=category, ward=None, agency=agency)
    template = ResponseTemplate.objects.create(
        category=category, status="resolved", title="Đã thay nắp cống",
        text="Đơn vị đã thay nắp cống mới tại vị trí phản ánh.",
    )  # fmt: skip
    ward = Ward.objects.get(version__name="mong-cai-2025", code="06712")
    users = {}
    for name, group in (("phuong", "ward_officer"), ("qldt", "agency_officer"), ("dh", "operator")):
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        profile = StaffProfile.objects.create(user=user, agency=agency if name == "qldt" else None)
        if group == "ward_officer":
            profile.wards.set([ward])
        users[name] = user
    citizen = User.objects.create_user("+84900000007")
    lat, lon = MONG_CAI_1
    report = Report.objects.create(
        category=category, description="Nắp cống vỡ trước chợ",
        location=Point(lon, lat, srid=4326), reporter=citizen,
    )  # fmt: skip
    return {"users": users, "citizen": citizen, "report": report, "template": template}


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.e2e
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_verify_start_resolve_rate_reopen(live_server, flow_world, monkeypatch, device):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    report, users = flow_world["report"], flow_world["users"]
    origin = live_server.url
    url = f"{origin}/can-bo/phan-anh/{report.public_id}/"
    problems = new_problems()
    SCREENS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def page_as(name: str):
            context = browser.new_context(viewport=VIEWPORTS[device], locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": _session(users[name]),
                        "domain": urlsplit(origin).hostname,
                        "path": "/",
                    }
                ]
            )
            page = context.new_page()
            page.route("**/*", outside_blocker(origin, problems))
            watch(page, origin, problems)
            return page

        def shot(page, step: str) -> None:
            page.screenshot(path=str(Path(SCREENS, f"flow-{device}-{step}.png")), full_page=True)

        def act(page, selector: str) -> None:
            with page.expect_navigation():
                page.click(selector)
            page.wait_for_selector("body[data-staff-ready=true]")

        try:
            # The ward officer: only their ward to filter by; one click verifies and assigns.
            ward = page_as("phuong")
            ward.goto(f"{origin}/can-bo/")
            ward.wait_for_selector("body[data-staff-ready=true]")
            assert ward.locator("select[name=ward] option").all_inner_texts() == [
                "Tất cả",
                "Móng Cái 1 (06712)",
            ]
            # The queue map: the report's point over its ward's outline; no tiles, a notice.
            assert ward.locator("#staff-map .leaflet-overlay-pane path").count() == 2
            ward.locator("[data-tiles-notice]").first.wait_for(state="visible")
            shot(ward, "0-queue")
            ward.goto(url)
            ward.wait_for_selector("body[data-staff-ready=true]")
            # The outline and the point.
            assert ward.locator("#report-map .leaflet-overlay-pane path").count() == 2
            ward.locator("#report-map ~ [data-tiles-notice]").wait_for(state="visible")
            assert ward.locator("#geo-link").get_attribute("href").startswith("geo:21.517")
            shot(ward, "1-received")
            act(ward, "#transition-form button[data-to-status=assigned]")
            assert ward.locator("#report-status").inner_text() == "Đã chuyển xử lý"
            report.refresh_from_db()
            assert report.status == "assigned" and report.due_at is not None

            # The agency: its button is there at once; start, then resolve from a template.
            agency = page_as("qldt")
            agency.goto(url)
            agency.wait_for_selector("body[data-staff-ready=true]")
            assert agency.locator("#transition-form button").inner_text() == "Bắt đầu xử lý"
            act(agency, "#transition-form button[data-to-status=in_progress]")
            template = str(flow_world["template"].pk)
            agency.select_option("#resolve-form select[name=mau]", value=template)
            assert agency.locator("[data-template-apply]").count() == 0  # filled at once
            answer = agency.locator("#resolve-form textarea[name=answer]")
            assert answer.input_value() == "Đơn vị đã thay nắp cống mới tại vị trí phản ánh."
            answer.press("End")
            answer.type(" Xin cảm ơn.")
            shot(agency, "2-resolve")
            act(agency, "#resolve-form button[type=submit]:not([form])")
            assert agency.locator("#report-status").inner_text() == "Đã xử lý"

            # The reporter is not satisfied (the citizen's rating, as the app sends it).
            report_rate(
                report_id=report.pk, user=flow_world["citizen"], value="dissatisfied",
                comment="Nắp mới đã lại lung lay",
            )  # fmt: skip

            # The operator: the "cần xem lại" tab leads to it; the rating shows; reopen.
            operator = page_as("dh")
            operator.goto(f"{origin}/can-bo/")
            operator.wait_for_selector("body[data-staff-ready=true]")
            assert "(1)" in operator.locator("#review-tab").inner_text()
            act(operator, "#review-tab")
            shot(operator, "3-review-list")
            act(operator, f'tr[data-report-id="{report.public_id}"] a')
            rating = operator.locator("#rating")
            assert "Không hài lòng" in rating.inner_text()
            assert "Nắp mới đã lại lung lay" in rating.inner_text()
            shot(operator, "3-review")
            act(operator, "#transition-form button[data-to-status=in_progress]")
            assert operator.locator("#report-status").inner_text() == "Đang xử lý"
            shot(operator, "4-reopened")
        finally:
            browser.close()
            connections.close_all()

    report.refresh_from_db()
    assert report.status == "in_progress" and report.reopened_at is not None
    assert report.answer.endswith("Xin cảm ơn.")
    steps = list(report.transitions.values_list("to_status", "actor__username"))
    assert steps == [
        ("assigned", "phuong"),
        ("in_progress", "qldt"),
        ("resolved", "qldt"),
        ("in_progress", "dh"),
    ]
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems.pop("external")} <= {tile_host}
    assert problems == {"pageerror": [], "console": [], "dialog": [], "http": []}
