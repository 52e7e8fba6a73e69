"""The planner's forecast panel in headless Chromium: the city's chart at first, a ward and
category picked (history, interval band, the alert's ring, the method and both errors), a
choice with nothing stored, the panel following the page's filters, the CSV link; and the
same page at 390×844 without sideways scrolling."""

from __future__ import annotations

import os

import numpy as np
import pytest
from playwright.sync_api import expect

from common.local_time import local_today
from layers.forecast_counts import monday
from layers.forecasts import compute_forecasts
from tests.layers.forecast_data import FOOD, WARD, WEEKS, plant
from tests.web_map.browser import TIMEOUT_MS, outside_blocker, watch
from tests.web_map.map_page import assert_no_problems
from tests.web_map.planner_page import sign_in

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("HT_SCREENSHOTS", "")


@pytest.fixture
def forecast_city(live_server, mong_cai_wards, categories):
    end = monday(local_today())
    rng = np.random.default_rng(3)
    food = list(rng.poisson(4, WEEKS))
    food[-1] = 30
    plant(food, ward=WARD, category=FOOD, end=end)
    plant(list(rng.poisson(6, WEEKS)), ward="06757", category="moi_truong", end=end)
    compute_forecasts()


def _ready(page):
    page.wait_for_selector("#pl-forecast[data-ready=true]")


def test_the_forecast_panel(browser_page, live_server, forecast_city):
    page = browser_page
    sign_in(page, live_server)
    page.goto(live_server.url + "/quy-hoach/?layers=wards")
    _ready(page)
    # The whole city, every category: a history line, the forecast and its band.
    expect(page.locator("#pl-fc-chart path.fc-history")).to_have_count(1)
    expect(page.locator("#pl-fc-chart path.fc-band")).to_have_count(1)
    assert page.get_attribute("#pl-forecast", "data-method") != ""

    page.select_option("#pl-fc-ward", WARD)
    page.select_option("#pl-fc-category", FOOD)
    page.wait_for_function(
        """() => document.getElementById('pl-forecast').dataset.ready === 'true'
            && document.getElementById('pl-fc-caption').textContent.includes('Vệ sinh')"""
    )
    expect(page.locator("#pl-fc-chart circle.fc-alert")).to_have_count(1)  # the spike
    expect(page.locator("#pl-fc-method")).to_contain_text("Đang dùng:")
    expect(page.locator("#pl-fc-errors")).to_contain_text("cơ sở")
    href = page.get_attribute("#pl-fc-export", "href")
    assert f"ward={WARD}" in href and f"category={FOOD}" in href
    if SHOTS:
        page.locator("#pl-forecast").screenshot(path=f"{SHOTS}/planner-forecast.png")

    # Enlarged over the map: two years of weeks, a chart wide enough to read them.
    narrow = page.locator("#pl-fc-chart").bounding_box()["width"]
    page.click("#pl-fc-wide")
    expect(page.locator("#pl-fc-wide")).to_have_attribute("aria-pressed", "true")
    wide = page.locator("#pl-fc-chart").bounding_box()
    assert wide["width"] > 2.5 * narrow and wide["x"] + wide["width"] <= 1280
    assert page.get_attribute("#pl-fc-chart", "viewBox") == "0 0 760 280"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/planner-forecast-wide.png")
    page.click("#pl-fc-wide")
    expect(page.locator("#pl-fc-wide")).to_have_attribute("aria-pressed", "false")

    # Nothing stored for this choice: said so, no chart.
    page.select_option("#pl-fc-ward", "06757")
    page.wait_for_function(
        "() => document.getElementById('pl-fc-caption').textContent.includes('Chưa có dự báo')"
    )
    expect(page.locator("#pl-fc-chart")).to_be_hidden()

    # The page's own filters carry the panel along.
    page.select_option("#pl-category", "moi_truong")
    expect(page.locator("#pl-fc-category")).to_have_value("moi_truong")
    page.wait_for_function(
        "() => document.getElementById('pl-forecast').dataset.method !== ''"
    )  # 06757 · Môi trường is stored
    assert_no_problems(page)

    # A phone: the panel fits the width.
    phone = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    phone.set_default_timeout(TIMEOUT_MS)
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    small.route("**/*", outside_blocker(live_server.url, page.problems))
    watch(small, live_server.url, page.problems)
    small.goto(live_server.url + "/quy-hoach/?layers=wards")
    _ready(small)
    chart = small.locator("#pl-fc-chart").bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 390
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        small.locator("#pl-forecast").screenshot(path=f"{SHOTS}/planner-forecast-phone.png")
    assert_no_problems(small)
    phone.close()
