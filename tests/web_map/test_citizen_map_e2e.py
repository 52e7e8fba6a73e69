"""The first screen of the map on a phone (390×844, touch) with more reports than the markers
setting allows: aggregated tiles, never the city's reports as GeoJSON; markers once zoomed into
a view with few; a loading line while layers load, gone after; popups clear of the header and
the notices; nothing serious for axe-core.
"""

from __future__ import annotations

import json
import random
from urllib.parse import urlsplit

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import Error as PlaywrightError

from gis_core.models import Report
from tests.web_map.map_page import HAI_NINH, MONG_CAI_1, assert_no_problems
from tests.web_map.phone_browser import axe_serious

pytestmark = pytest.mark.e2e

MAX_IN_VIEW = 300
DENSE = 400  # more than the setting, in and around Móng Cái 1

# Records whether the loading line was ever on screen, and the map's aria-busy values.
WATCH_LOADING = """
window.__htLoading = {seen: false, busy: []};
new MutationObserver(() => {
  const line = document.querySelector('.ht-loading');
  if (line && !line.hidden && line.getAttribute("role") === "status") {
    window.__htLoading.seen = true;
  }
  const map = document.getElementById('map');
  const busy = map && map.getAttribute('aria-busy');
  const seen = window.__htLoading.busy;
  if (busy && seen[seen.length - 1] !== busy) seen.push(busy);
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['hidden', 'aria-busy']});
"""


@pytest.fixture
def many_reports(live_server, mong_cai_wards, categories, settings) -> dict:
    settings.MAP_REPORTS_MAX_IN_VIEW = MAX_IN_VIEW
    rng = random.Random(8)
    lat, lon = MONG_CAI_1
    Report.objects.bulk_create(
        Report(
            category=categories["moi_truong" if i % 2 else "ha_tang"],
            description=f"Phản ánh {i}",
            location=Point(
                lon + rng.uniform(-0.02, 0.02), lat + rng.uniform(-0.015, 0.015), srid=4326
            ),
            status="received",
        )
        for i in range(DENSE)
    )
    few = [
        Report.objects.create(
            category=categories["ha_tang"],
            description=f"Ổ gà {i}",
            location=Point(HAI_NINH[1] + i * 0.0005, HAI_NINH[0], srid=4326),
            status="verified",
        )
        for i in range(3)
    ]
    return {"few": few}


def watch_requests(page, origin: str) -> dict:
    seen = {"lists": [], "counts": [], "tiles": 0}

    def on_response(response):
        if not response.url.startswith(origin):
            return
        path = urlsplit(response.url).path
        try:
            if path == "/api/v1/reports/" and response.request.method == "GET":
                seen["lists"].append(len(json.loads(response.body())["features"]))
            elif path == "/api/v1/reports/count/":
                seen["counts"].append(response.json()["count"])
        except PlaywrightError:  # a load the next pan aborted: its body never arrived
            seen["lists" if path == "/api/v1/reports/" else "counts"].append(None)
        if path.startswith("/tiles/reports/"):
            seen["tiles"] += 1

    page.on("response", on_response)
    return seen


def set_view(page, lat: float, lon: float, zoom: int) -> None:
    page.evaluate(
        "([lat, lon, z]) => window.hienTruong.map.setView([lat, lon], z, {animate: false})",
        [lat, lon, zoom],
    )


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_first_screen_on_a_phone_with_many_reports(phone_page, live_server, many_reports):
    page = phone_page
    page.add_init_script(WATCH_LOADING)
    requests = watch_requests(page, live_server.url)
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-map-ready=true]")

    # The whole city in view holds more than the setting (the page came with the counts
    # around its first view, so it asked nothing): drawn from tiles.
    config = json.loads(page.inner_text("#map-config"))
    assert config["initialReportCounts"]["innerCount"] >= DENSE > MAX_IN_VIEW
    assert page.get_attribute("#map", "data-report-mode") == "tiles"
    assert requests["tiles"] > 0
    assert requests["lists"] == [], "the first screen downloaded reports as GeoJSON"
    page.wait_for_function(
        "() => document.querySelectorAll('#map svg.leaflet-tile path').length > 0"
    )
    assert page.locator(".ht-report-marker").count() == 0
    assert page.locator(".ht-ward-label").count() == 6

    # The loading line was on screen while wards and reports loaded, and is gone now.
    assert page.evaluate("window.__htLoading.seen")
    assert page.locator(".ht-loading").is_hidden()
    busy = page.evaluate("window.__htLoading.busy")
    assert busy[0] == "true" and busy[-1] == "false"
    assert page.get_attribute("#map", "aria-busy") == "false"
    assert axe_serious(page) == []

    # Close to the three reports of Hải Ninh: few in view, so clustered markers with popups.
    set_view(page, HAI_NINH[0], HAI_NINH[1], 16)
    page.wait_for_selector('#map[data-report-mode="markers"]')
    page.wait_for_selector(".marker-cluster, .ht-report-marker")  # three close: one cluster
    counts = [n for n in requests["counts"] if n is not None]
    lists = [n for n in requests["lists"] if n is not None]
    assert counts and counts[-1] <= MAX_IN_VIEW  # counted, then listed
    assert lists and max(lists) <= MAX_IN_VIEW
    assert page.locator("#map svg.leaflet-tile").count() == 0
    page.wait_for_function(
        "() => document.getElementById('map').getAttribute('aria-busy') === 'false'"
    )

    # A marker near the top edge of the map: its popup opens below the header and the notices.
    target = many_reports["few"][0]
    page.evaluate(
        """([lat, lon]) => {
            const map = window.hienTruong.map;
            map.setView([lat, lon], 18, {animate: false});
            map.panBy([0, map.getSize().y / 2 - 12], {animate: false});
        }""",
        [target.location.y, target.location.x],
    )
    marker = page.locator(f'.ht-report-marker[data-report-id="{target.public_id}"]')
    marker.wait_for(state="visible")
    assert marker.bounding_box()["y"] - box(page, "#map")["y"] < 40  # really near the top
    page.evaluate(
        "() => { window.__htPanned = false;"
        " window.hienTruong.map.once('moveend', () => { window.__htPanned = true; }); }"
    )
    marker.tap()
    page.locator(".leaflet-popup .ht-report-popup").wait_for()
    page.wait_for_function("() => window.__htPanned")  # the auto-pan has finished
    popup = box(page, ".leaflet-popup")
    header = box(page, ".ht-header")
    map_box = box(page, "#map")
    assert popup["y"] >= header["y"] + header["height"]
    assert (
        popup["y"] >= map_box["y"]
        and popup["y"] + popup["height"] <= map_box["y"] + map_box["height"]
    )
    for notice in page.locator(".ht-notice:visible, .ht-loading:visible").all():
        covered = notice.bounding_box()
        assert popup["y"] >= covered["y"] + covered["height"], "a notice covers the popup"
    assert "Ổ gà 0" in page.locator(".leaflet-popup").inner_text()
    assert axe_serious(page) == []
    assert_no_problems(page)


def boxes_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.usefixtures("mong_cai_wards", "categories")
def test_a_notice_and_the_loading_line_never_cover_each_other_on_a_phone(phone_page, live_server):
    """On a weak link both show at once (the basemap failed, the reports still loading): on a
    390 px screen the centred notice reached under the loading line at the top right."""
    page = phone_page
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-map-ready=true]")
    page.evaluate(
        """() => {
            const notice = document.getElementById('map-notice');
            notice.textContent = 'Không tải được bản đồ nền; vẫn xem và gửi phản ánh được.';
            notice.hidden = false;
            document.querySelector('.ht-loading').hidden = false;
        }"""
    )
    notice = page.locator("#map-notice").bounding_box()
    line = page.locator(".ht-loading").bounding_box()
    assert notice and line
    assert not boxes_overlap(notice, line), (notice, line)
    # Loaded: the notice goes back to the top.
    page.evaluate("() => { document.querySelector('.ht-loading').hidden = true; }")
    assert page.locator("#map-notice").bounding_box()["y"] < notice["y"]
