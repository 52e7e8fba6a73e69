"""The league page on a phone (390×844, touch) in real Chromium: rank, unit, on-time %, overdue
and satisfaction fit the screen with no sideways scrolling, the rest opens with a tap; a
desktop keeps every column."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from gis_core.models import Agency, Report, ReportRating
from tests.web_map.browser import TIMEOUT_MS
from tests.web_map.map_page import MONG_CAI_1, assert_no_problems

pytestmark = pytest.mark.e2e

SCREENSHOTS = os.environ.get("HT_SCREENSHOT_DIR", "")
KEY_CELLS = ("td.rank", "td.unit", "td.on-time", "td.overdue", "td.satisfaction")


@pytest.fixture
def league_data(live_server, categories) -> None:
    """A fast unit, a slow one with overdue open reports (long name), the unrouted backlog."""
    made = timezone.now() - dt.timedelta(days=10)
    units = {
        "nhanh": Agency.objects.create(code="nhanh", name="Điện lực Móng Cái"),
        "cham": Agency.objects.create(
            code="cham", name="Ban Quản lý dự án đầu tư xây dựng và phát triển quỹ đất"
        ),
    }
    location = Point(MONG_CAI_1[1], MONG_CAI_1[0], srid=4326)

    def report(agency, *, resolved_after: float | None, status: str) -> Report:
        return Report.objects.create(
            category=categories["ha_tang"], description="Đèn đường hỏng", location=location,
            agency=agency, status=status, reported_at=made,
            due_at=made + dt.timedelta(hours=8) if agency else None,
            resolved_at=made + dt.timedelta(hours=resolved_after) if resolved_after else None,
        )  # fmt: skip

    for _ in range(5):
        done = report(units["nhanh"], resolved_after=2, status="resolved")
        ReportRating.objects.create(report=done, value="satisfied")
    report(units["cham"], resolved_after=30, status="resolved")
    for _ in range(6):
        report(units["cham"], resolved_after=None, status="assigned")
    for _ in range(3):
        report(None, resolved_after=None, status="received")


def shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _inside(box: dict | None, width: int) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_league_on_a_phone_fits_and_the_rest_is_a_tap_away(
    phone_session, live_server, league_data, tmp_path
):
    page = phone_session.page
    page.goto(f"{live_server.url}/xep-hang/")
    rows = page.locator("table.league tbody tr[data-key]")
    assert rows.count() == 3
    # No sideways scrolling: neither the page nor the table's wrapper is wider than the phone.
    widths = page.evaluate(
        """() => {
            const wrap = document.querySelector('.table-wrap');
            return [document.documentElement.scrollWidth, wrap.scrollWidth, wrap.clientWidth];
        }"""
    )
    assert widths[0] <= 390 and widths[1] <= widths[2], widths
    for i in range(rows.count()):
        for cell in KEY_CELLS:
            target = rows.nth(i).locator(cell)
            assert target.is_visible() and _inside(target.bounding_box(), 390), (i, cell)
        assert not rows.nth(i).locator("td.wide").first.is_visible()
    assert [h.inner_text() for h in page.locator("thead th").all() if h.is_visible()] == [
        "Hạng", "Đơn vị xử lý", "Tỉ lệ đúng hạn", "Quá hạn chưa xong", "Điểm hài lòng",
    ]  # fmt: skip
    centre, slow = rows.nth(0), page.locator('tr[data-key="cham"]')
    assert "Trung tâm điều hành" in centre.inner_text() and "3 chờ chuyển" in centre.inner_text()
    # The slow unit: 0 of 1 + 6 overdue on time, marked, its 6 overdue on screen.
    assert slow.locator("td.on-time").inner_text() == "0,0%"
    assert slow.locator("td.overdue").inner_text() == "6"
    assert slow.locator(".below").is_visible()
    more = slow.locator("xpath=following-sibling::tr[1]")
    details = more.locator("details.more dl")
    assert not details.is_visible()
    shot(page, tmp_path, "league-phone.png")
    more.locator("details.more summary").tap()
    details.wait_for(state="visible", timeout=TIMEOUT_MS)
    text = details.inner_text()
    assert "Tiếp nhận\n7" in text and "Đúng hạn\n0/7" in text and "Quá hạn lâu nhất" in text
    assert _inside(details.bounding_box(), 390)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, tmp_path, "league-phone-details.png")
    assert_no_problems(page)

    # A desktop in the same browser: every column on screen, no per-row details.
    # The English headers (a visitor's browser in English) fit as well as the Vietnamese ones.
    for locale in ("vi-VN", "en-US"):
        desktop = phone_session.browser.new_context(
            viewport={"width": 1280, "height": 800}, locale=locale
        )
        wide = desktop.new_page()
        wide.goto(f"{live_server.url}/xep-hang/")
        assert wide.locator("html").get_attribute("lang") == locale[:2]
        assert all(h.is_visible() for h in wide.locator("thead th").all())
        assert wide.locator("thead th").count() == 14
        assert _inside(wide.locator("thead th").last.bounding_box(), 1280)
        assert wide.locator("tr.more-row").count() == 3
        assert not wide.locator("tr.more-row").first.is_visible()
        shot(wide, tmp_path, f"league-desktop-{locale}.png")
        desktop.close()
