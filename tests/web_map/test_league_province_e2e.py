"""The league page's province picker on a phone (390×844, touch) in real Chromium: it fits the
screen, choosing a province shows only that province's units, and the tabs keep it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from gis_core.models import Agency, Report
from tests.two_provinces import IN_HANOI, add_hanoi_ward
from tests.web_map.browser import TIMEOUT_MS
from tests.web_map.map_page import MONG_CAI_1, assert_no_problems

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_province_league(live_server, mong_cai_wards, categories) -> None:
    """Móng Cái (province 22) and one ward of Hà Nội (01); an agency working in each."""
    add_hanoi_ward()
    made = timezone.now() - dt.timedelta(days=10)
    places = {
        "qn": Point(MONG_CAI_1[1], MONG_CAI_1[0], srid=4326),
        "hn": IN_HANOI,
    }
    for code, name in (("qn", "Điện lực Móng Cái"), ("hn", "Công ty Thoát nước Hà Nội")):
        agency = Agency.objects.create(code=code, name=name)
        for _ in range(5):
            Report.objects.create(
                category=categories["ha_tang"], description="Đèn đường hỏng",
                location=places[code], agency=agency, status="resolved", reported_at=made,
                due_at=made + dt.timedelta(hours=8), resolved_at=made + dt.timedelta(hours=2),
            )  # fmt: skip


def test_choosing_a_province_on_a_phone(phone_session, live_server, two_province_league):
    page = phone_session.page
    page.goto(f"{live_server.url}/xep-hang/")
    keys = page.locator("table.league tbody tr[data-key]")
    assert sorted(keys.evaluate_all("rows => rows.map(r => r.dataset.key)")) == ["hn", "qn"]
    picker = page.locator('select[name="province"]')
    box = picker.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert picker.locator("option").all_inner_texts() == [
        "Cả nước", "Thành phố Hà Nội (01)", "Tỉnh Quảng Ninh (22)",
    ]  # fmt: skip
    picker.select_option("01")
    page.locator("form.period button").tap()
    page.wait_for_url("**province=01**", timeout=TIMEOUT_MS)
    assert keys.evaluate_all("rows => rows.map(r => r.dataset.key)") == ["hn"]
    assert "Thành phố Hà Nội" in page.locator("p.note").first.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # A tab keeps the province: the wards of Hà Nội only.
    page.locator("nav.tabs a", has_text="Phường, xã").tap()
    page.wait_for_url("**by=ward**", timeout=TIMEOUT_MS)
    assert keys.evaluate_all("rows => rows.map(r => r.dataset.key)") == ["test-hanoi/00004"]
    assert page.locator('select[name="province"]').input_value() == "01"
    assert_no_problems(page)
