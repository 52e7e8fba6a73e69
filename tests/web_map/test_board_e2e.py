"""The operations centre's board in headless Chromium: a report sent while the board is open
appears on it within 5 s without a reload, on the wall screen (1920×1080); on a phone
(390×844) the counts come first and the map below them."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import sync_playwright

from gis_core.models import Category, Report, StaffProfile
from tests.web_map.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    new_problems,
    outside_blocker,
    watch,
)
from tests.web_map.map_page import MONG_CAI_1

ARRIVAL_MS = 5_000  # the promise
SHOTS = os.environ.get("HT_SCREENSHOTS", "")  # a folder to keep the screenshots in


@pytest.fixture
def operator_and_category(transactional_db, mong_cai_wards):
    user = User.objects.create_user("op-board", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    category, _ = Category.objects.get_or_create(
        code="ha_tang", defaults={"name_vi": "Hạ tầng", "name_en": "Infrastructure"}
    )
    return user, category


def _report(category, i: int, **extra) -> Report:
    lat, lon = MONG_CAI_1
    return Report.objects.create(
        category=category, description=f"Ổ gà {i}",
        location=Point(lon + i * 0.001, lat, srid=4326), **extra,
    )  # fmt: skip


def _new_count(page) -> int:
    return int(page.get_attribute('[data-count="new"]', "data-value"))


@pytest.mark.e2e
def test_board_receives_a_new_report_without_a_reload(
    live_server, operator_and_category, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    user, category = operator_and_category
    _report(category, 0)
    client = Client()
    client.force_login(user)
    origin = live_server.url
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(origin).hostname,
        "path": "/",
    }
    problems = new_problems()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            context.add_cookies([cookie])
            page = context.new_page()
            page.route("**/*", outside_blocker(origin, problems))
            watch(page, origin, problems)
            page.goto(f"{origin}/dieu-hanh/")
            page.wait_for_selector("body[data-board-ready=true]")
            assert _new_count(page) == 1
            assert page.get_attribute('[data-count="urgent"]', "data-value") == "0"
            navigations = []
            page.on("framenavigated", lambda frame: navigations.append(frame.url))

            # A new urgent report: in the list, the "new" and the "urgent" tiles within 5 s.
            fresh = _report(category, 1, priority="urgent")
            page.wait_for_function(
                """([id, n]) => document.querySelector(`[data-report-id="${id}"]`) &&
                    document.querySelector('[data-count="new"]').dataset.value === String(n) &&
                    document.querySelector('[data-count="urgent"]').dataset.value === '1'""",
                arg=[str(fresh.public_id), 2],
                timeout=ARRIVAL_MS,
            )
            assert navigations == []  # no reload
            assert page.locator("#board-map path.leaflet-interactive").count() == 2
            # Wall screen: the whole board on one screen, its numbers big.
            assert page.evaluate("document.documentElement.scrollHeight") <= 1080
            size = page.eval_on_selector(
                '[data-count="new"] .bd-tile__n', "n => parseFloat(getComputedStyle(n).fontSize)"
            )
            assert size >= 64
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/board-wall.png")

            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                locale="vi-VN",
            )  # fmt: skip
            phone.set_default_timeout(TIMEOUT_MS)
            phone.add_cookies([cookie])
            small = phone.new_page()
            small.route("**/*", outside_blocker(origin, problems))
            watch(small, origin, problems)
            small.goto(f"{origin}/dieu-hanh/")
            small.wait_for_selector("body[data-board-ready=true]")
            totals = small.locator("#board-totals").bounding_box()
            board_map = small.locator("#board-map").bounding_box()
            assert totals["y"] + totals["height"] <= 844  # counts on the first screen
            assert board_map["y"] >= totals["y"] + totals["height"]  # the map below them
            assert small.evaluate("document.documentElement.scrollWidth") <= 390
            if SHOTS:
                small.screenshot(path=f"{SHOTS}/board-phone.png", full_page=True)
        finally:
            browser.close()
            connections.close_all()
    # Only basemap tiles were fetched from outside (and refused); no CDN, no error.
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems.pop("external")} <= {tile_host}
    assert problems == {"pageerror": [], "console": [], "dialog": [], "http": []}
