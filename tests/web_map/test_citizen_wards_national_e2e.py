"""The citizen and tourist maps with the whole country's boundaries in force, on a phone
(390×844, touch): the country view and the wards of the provinces in view only, never the
list of every ward; zooming out leaves the provinces, panning to another province loads its
wards; a tap on a ward still shows its card with the report counts. With Móng Cái alone
nothing changes (test_map_e2e.py, test_citizen_map_e2e.py).

The national wards are test_national_wards' small partition: three provinces (01, 20, 22),
44 units, beside the Móng Cái demo wards (province 22).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from gis_core.models import Report
from tests.ward_boundaries.test_national_wards import national_wards, partition_file  # noqa: F401
from tests.web_map.map_page import MONG_CAI_3, assert_no_problems
from tests.web_map.phone_browser import axe_serious, tap_latlng
from ward_boundaries.models import BoundaryVersion, Ward

pytestmark = pytest.mark.e2e

SCREENSHOT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "citizen_national.png"
WARD_MIN_ZOOM = 9  # ward_provinces.js


def in_force(province: str | None = None) -> list[str]:
    versions = BoundaryVersion.objects.filter(name__in=["vn-test-national", "mong-cai-2025"])
    wards = Ward.objects.filter(version__in=versions)
    if province:
        wards = wards.filter(province_code=province)
    return sorted(wards.values_list("code", flat=True))


def ward_requests(page) -> list[dict]:
    """The app's requests to the ward list and the outlines: path and query."""
    seen: list[dict] = []

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.path.startswith("/api/v1/wards/") and "lookup" not in parts.path:
            seen.append({"path": parts.path, "query": parse_qs(parts.query)})

    page.on("request", on_request)
    return seen


def drawn(page) -> dict:
    return page.evaluate(
        """() => {
            const layer = window.hienTruong.wards;
            return {
                provinces: document.getElementById('map').dataset.wardProvinces,
                wards: [...layer.byCode.keys()].sort(),
                countryOutlines: layer.countryLayer ? layer.countryLayer.getLayers().length : 0,
            };
        }"""
    )


def settle(page, provinces: str) -> None:
    page.wait_for_function(
        "(p) => document.getElementById('map').dataset.wardProvinces === p"
        " && !window.hienTruong.wards.refinePending",
        arg=provinces,
    )


@pytest.fixture
def counted_report(national_wards, categories):  # noqa: F811
    report = Report.objects.create(
        category=categories["ha_tang"],
        description="Cống vỡ",
        # Well away from the point tapped below (a marker is a tap target too).
        location=Point(MONG_CAI_3[1] + 0.02, MONG_CAI_3[0] - 0.012, srid=4326),
        status="received",
    )
    report.refresh_from_db()  # the database assigned the ward
    assert report.ward.code == "06736"  # still in Móng Cái 3
    return report


@pytest.mark.usefixtures("counted_report")
def test_phone_draws_the_provinces_in_view_only(phone_page, live_server):
    page = phone_page
    requests = ward_requests(page)
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    page.wait_for_selector("body[data-reports-loaded=true]")

    # Móng Cái's street view: the three provinces outlined, Quảng Ninh's wards drawn.
    state = drawn(page)
    first_zoom = page.evaluate("window.hienTruong.map.getZoom()")
    assert state["countryOutlines"] == 3
    shown = state["provinces"].split(",")
    assert "22" in shown
    assert state["wards"] == sorted(code for p in shown for code in in_force(p))
    assert len(state["wards"]) < len(in_force())
    # Quảng Ninh's wards (the centre's province, named by the config) asked for beside the
    # country view: started before the outlines had arrived, so no round trip after them.
    assert requests[0]["query"]["province"] == ["22"]
    assert {"path": "/api/v1/wards/outlines/", "query": {}} in requests
    timing = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .filter((e) => new URL(e.name).pathname.startsWith('/api/v1/wards/'))
            .map((e) => ({url: e.name, start: e.startTime, end: e.responseEnd}))"""
    )
    country = next(t for t in timing if "/outlines/" in t["url"])
    quang_ninh = next(t for t in timing if "province=22" in t["url"])
    assert quang_ninh["start"] < country["end"]
    lists = [r for r in requests if r["path"] == "/api/v1/wards/"]
    assert sorted(r["query"]["province"][0] for r in lists) == sorted(shown)
    assert all("simplify" in r["query"] for r in lists)  # drawn for the zoom

    # A tap in Móng Cái 3: the form opens with the ward card and its one report.
    tap_latlng(page, *MONG_CAI_3)
    page.wait_for_function(
        "() => document.querySelector('#lookup-result').textContent.includes('Móng Cái 3')"
    )
    card = page.locator("#ward-card")
    assert "Phường Móng Cái 3" in card.inner_text()
    assert "Phản ánh" in card.inner_text() and "Chưa có phản ánh" not in card.inner_text()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert axe_serious(page) == []
    page.keyboard.press("Escape")
    page.locator("#report-panel").wait_for(state="hidden")

    # Zoomed out past the ward zoom: the country view alone.
    page.evaluate(f"window.hienTruong.map.setZoom({WARD_MIN_ZOOM - 1}, {{animate: false}})")
    settle(page, "")
    assert drawn(page)["wards"] == []

    # Hà Nội at street zoom: its wards are loaded and drawn, Quảng Ninh's no longer.
    hanoi = Ward.objects.filter(code__in=in_force("01")).first().geom.point_on_surface
    asked = len(requests)
    page.evaluate(f"window.hienTruong.map.setView([{hanoi.y}, {hanoi.x}], 13, {{animate: false}})")
    page.wait_for_function(
        "() => (document.getElementById('map').dataset.wardProvinces || '').split(',')"
        ".includes('01') && !window.hienTruong.wards.refinePending"
    )
    state = drawn(page)
    shown = state["provinces"].split(",")
    assert "22" not in shown
    assert state["wards"] == sorted(code for p in shown for code in in_force(p))
    new = [r["query"].get("province", [""])[0] for r in requests[asked:]]
    assert "01" in new and "22" not in new

    # Back to Móng Cái at the zoom first loaded: drawn from what is loaded, not asked again.
    lat, lon = MONG_CAI_3
    asked = len(requests)
    page.evaluate(
        f"window.hienTruong.map.setView([{lat}, {lon}], {first_zoom}, {{animate: false}})"
    )
    page.wait_for_function(
        "() => (document.getElementById('map').dataset.wardProvinces || '').split(',')"
        ".includes('22') && !window.hienTruong.wards.refinePending"
    )
    assert "06736" in drawn(page)["wards"]
    assert [r for r in requests[asked:] if r["query"].get("province") == ["22"]] == []
    # Never the list of every ward in force.
    assert not [r for r in requests if r["path"] == "/api/v1/wards/" and not r["query"]]
    assert_no_problems(page)


@pytest.mark.usefixtures("national_wards", "categories")
def test_tourist_map_draws_the_provinces_in_view_only(phone_page, live_server):
    page = phone_page
    requests = ward_requests(page)
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    lists = [r for r in requests if r["path"] == "/api/v1/wards/"]
    assert lists and all("province" in r["query"] for r in lists)
    assert requests[0]["query"]["province"] == ["22"]  # the centre's, beside the outlines
    assert "/api/v1/wards/outlines/" in [r["path"] for r in requests]
    assert_no_problems(page)
