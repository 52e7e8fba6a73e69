"""The public map page as the tests reach it: its config through the test client, and in the
browser the places clicked, opening the map, clicking a point, waiting for the ward lookup
and checking that nothing went wrong on the page."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from PIL import Image

from tests.web_map.browser import screen_point

# Poles of inaccessibility of the 2025 units (each 3-4 km from its boundary), so a click a few
# pixels off still lands inside.
MONG_CAI_1 = (21.51748, 107.99811)
MONG_CAI_3 = (21.53921, 107.90352)
HAI_NINH = (21.52054, 107.82049)

CONFIG_RE = re.compile(r'<script id="map-config" type="application/json">(.*?)</script>', re.S)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def page_html(client) -> str:
    response = client.get(reverse("web_map:index"))
    assert response.status_code == 200
    return response.content.decode()


def page_config(html: str) -> dict:
    match = CONFIG_RE.search(html)
    assert match, "map-config json_script missing"
    return json.loads(match.group(1))


def open_map(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    page.wait_for_selector("body[data-reports-loaded=true]")


def click_latlng(page, lat: float, lon: float) -> None:
    """Clicks the map where (lat, lon) is drawn now."""
    point = screen_point(page, lat, lon)
    page.mouse.click(point["x"], point["y"])


def wait_for_lookup(page) -> None:
    page.wait_for_function("() => !document.querySelector('#lookup-result.ht-location--pending')")


def assert_no_problems(page, allowed_http=()) -> None:
    problems = page.problems
    assert problems["pageerror"] == []
    assert problems["console"] == [], problems["console"]
    assert problems["dialog"] == [], "a script from user text ran"
    assert [r for r in problems["http"] if r not in allowed_http] == []
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert {urlsplit(u).hostname for u in problems["external"]} <= {tile_host}, (
        "something other than basemap tiles was fetched from outside the app"
    )
