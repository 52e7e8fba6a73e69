"""Staff redaction in headless Chromium (desktop: staff work at a desk): the photo's private
original with the box the detector found, a box drawn by dragging, one removed with ×, and
"Xuất bản lại" republishing the public copy from the original; audited."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.urls import reverse
from playwright.sync_api import sync_playwright

from gis_core.models import (
    Category,
    PhotoBlurBox,
    PhotoRedactionChange,
    Report,
    ReportPhoto,
    StaffProfile,
)
from gis_core.photo_redaction import photo_redact
from gis_core.photos import process_photo
from gis_core.services import _save_photos
from tests.gis_core import blur_samples as samples
from tests.web_map.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    new_problems,
    outside_blocker,
    watch,
)
from tests.web_map.map_page import MONG_CAI_1

SHOTS = os.environ.get("HT_SCREENSHOTS", "")  # a folder to keep the screenshot in


@pytest.fixture
def operator_and_photo(transactional_db, mong_cai_wards):
    user = User.objects.create_user("op1", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    category, _ = Category.objects.get_or_create(
        code="ha_tang", defaults={"name_vi": "Hạ tầng", "name_en": "Infrastructure"}
    )
    lat, lon = MONG_CAI_1
    report = Report.objects.create(
        category=category, description="Ổ gà trước cửa hàng", location=Point(lon, lat, srid=4326)
    )
    processed = process_photo(samples.jpeg_bytes(samples.astronaut()), name="anh.jpg")
    with transaction.atomic():
        [photo] = _save_photos(report.pk, report.public_id, [processed], [])
    assert photo_redact(photo.pk) == "done"  # the media task: one face box
    return user, report, photo


@pytest.mark.e2e
def test_staff_draw_remove_and_republish(live_server, operator_and_photo, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    user, report, photo = operator_and_photo
    [auto] = PhotoBlurBox.objects.filter(photo=photo)
    old_public = photo.image.name
    client = Client()
    client.force_login(user)
    origin = live_server.url
    problems = new_problems()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "domain": urlsplit(origin).hostname,
                        "path": "/",
                    }
                ]
            )
            page = context.new_page()
            page.route("**/*", outside_blocker(origin, problems))
            watch(page, origin, problems)
            page.goto(f"{origin}{reverse('web_map:staff-report', args=[report.public_id])}")
            figure = page.locator(f"#photo-{photo.pk}")
            page.wait_for_selector(f"#photo-{photo.pk}[data-ready=true]")
            page.wait_for_function(
                "() => document.querySelector('.st-redact__img')?.naturalWidth > 0"
            )
            boxes = figure.locator(".st-redact__box")
            assert boxes.count() == 1
            assert figure.locator(".st-redact__state").inner_text() == "Đã che, công khai"

            # Drag a box over the bottom-left quarter of the shown photo.
            figure.locator(".st-redact__img").scroll_into_view_if_needed()
            shown = figure.locator(".st-redact__img").bounding_box()
            x0, y0 = shown["x"] + shown["width"] * 0.05, shown["y"] + shown["height"] * 0.75
            page.mouse.move(x0, y0)
            page.mouse.down()
            page.mouse.move(x0 + shown["width"] * 0.2, y0 + shown["height"] * 0.15, steps=5)
            page.mouse.up()
            assert boxes.count() == 2
            assert figure.locator(".st-redact__count").inner_text() == "2 vùng che"
            # Remove the detector's box (the first), then republish.
            figure.locator(".st-redact__remove").first.click()
            assert boxes.count() == 1
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/staff-redaction.png", full_page=True)
            figure.locator(".st-redact__republish").click()
            page.wait_for_selector(f"#photo-{photo.pk}[data-republished='1']")
            assert (
                figure.locator(".st-redact__status").inner_text()
                == "Đã xuất bản lại bản công khai."
            )
            assert figure.locator(".st-redact__box--staff").count() == 1
        finally:
            browser.close()
            connections.close_all()

    [drawn] = PhotoBlurBox.objects.filter(photo=photo)
    assert drawn.source == "staff" and drawn.pk != auto.pk
    # About the quarter that was dragged, in the original's 512×512 pixels.
    assert drawn.x == pytest.approx(0.05 * 512, abs=8) and drawn.y == pytest.approx(
        0.75 * 512, abs=8
    )
    assert drawn.w == pytest.approx(0.2 * 512, abs=8) and drawn.h == pytest.approx(
        0.15 * 512, abs=8
    )
    photo = ReportPhoto.objects.get(pk=photo.pk)
    assert photo.image.name != old_public and photo.redaction == "done"
    [change] = PhotoRedactionChange.objects.filter(photo=photo)
    assert change.actor_id == user.pk and len(change.boxes_before) == 1
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems.pop("external")} <= {tile_host}
    assert problems == {"pageerror": [], "console": [], "dialog": [], "http": []}
