"""The citizen's check before sending, on a phone (390×844): the possible duplicates are
listed nearest first when only a category is chosen, then, once the description is written,
ranked by the combined score (gis_core.duplicate_score), a report said the same way first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point

from gis_core.models import Report
from tests.web_map.map_page import MONG_CAI_3, assert_no_problems, open_map
from tests.web_map.phone_browser import tap_latlng

pytestmark = pytest.mark.e2e

SCREENSHOTS = os.environ.get("HT_SCREENSHOT_DIR", "")
M_LAT = 1 / 110_700  # one metre north, in degrees, at Móng Cái's latitude


def test_pre_send_list_follows_the_description(phone_session, live_server, map_data, tmp_path):
    lat, lon = MONG_CAI_3
    page = phone_session.page
    open_map(page, live_server)
    tap_latlng(page, lat, lon)
    page.wait_for_function(
        "() => document.querySelector('#lookup-result').textContent.includes('Móng Cái 3')"
    )
    # Planted after the tap, so no marker lies under the finger.
    env = Report.objects.filter(category__code="moi_truong").first().category
    nearest = Report.objects.create(
        category=env,
        description="Quán karaoke hát to đến nửa đêm",
        location=Point(lon, lat + 5 * M_LAT, srid=4326),
    )
    same_words = Report.objects.create(
        category=env,
        description="cong thoat nuoc dau ngo bi tac, nuoc tran ra duong",
        location=Point(lon, lat + 30 * M_LAT, srid=4326),
    )
    hint = page.locator("#duplicates-hint")
    page.select_option("#f-category", "moi_truong")
    hint.wait_for(state="visible")
    first = hint.locator("li a").first
    assert first.get_attribute("href") == f"/phan-anh/{nearest.public_id}/"

    asked = "/reports/duplicates/?"
    page.fill("#f-description", "Cống thoát nước đầu ngõ bị tắc, nước tràn ra đường")
    with page.expect_response(lambda r: asked in r.url and "text=" in r.url) as answer:
        page.locator("#f-description").blur()  # "change": the description is written
    ranked = [f["id"] for f in answer.value.json()["features"]]
    assert ranked[0] == str(same_words.public_id)
    page.wait_for_function(
        "(href) => document.querySelector('#duplicates-hint li a')?.getAttribute('href') === href",
        arg=f"/phan-anh/{same_words.public_id}/",
    )
    assert hint.locator("li").count() == 2
    box = hint.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    hint.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "duplicates_ranked.png"))
    assert_no_problems(page)
