"""The main map in headless Chromium: more reports in view than the list may return switches it to
vector tiles (cells with counts, then single reports when zoomed in), and back to clustered
markers once the view holds few enough.

The cap is MAP_REPORTS_MAX_IN_VIEW, lowered to 5 here so nine reports are "many". Two runs of one
scenario: against a stand-in tile server that follows the tile contract (MVT, one layer
"reports"; at zoom <= 14 cell points with `count`, above it points with id/category/status),
so the front end is checked on its own; and against the real /tiles/reports/ endpoint once
that route exists.
"""

from __future__ import annotations

import re

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from shapely.geometry import Point as ShapelyPoint

from gis_core.models import Report
from tests.tile_math import tile_fraction
from tests.web_map.map_page import HAI_NINH, MONG_CAI_1, assert_no_problems, open_map

pytestmark = pytest.mark.e2e

EXTENT = 4096
TILE_RE = re.compile(r"/tiles/reports/(\d+)/(\d+)/(\d+)\.pbf")
CAP = 5


@pytest.fixture
def dense_reports(live_server, mong_cai_wards, categories, settings) -> dict:
    """Eight reports within ~300 m in Móng Cái 1 and one alone in Hải Ninh (18 km west)."""
    settings.MAP_REPORTS_MAX_IN_VIEW = CAP
    lat, lon = MONG_CAI_1
    cluster = [
        Report.objects.create(
            category=categories["moi_truong"],
            description=f"Rác thải {i}",
            location=Point(lon + (i % 4) * 0.0008, lat + (i // 4) * 0.0008, srid=4326),
            status="received" if i % 2 else "in_progress",
        )
        for i in range(8)
    ]
    lone = Report.objects.create(
        category=categories["ha_tang"],
        description="Ổ gà",
        location=Point(HAI_NINH[1], HAI_NINH[0], srid=4326),
        status="verified",
    )
    return {"cluster": cluster, "lone": lone}


def tile_pixel(lon: float, lat: float, z: int, x: int, y: int) -> tuple[float, float]:
    """(lon, lat) in the pixel space (0..EXTENT, y down) of tile z/x/y, Web Mercator."""
    fx, fy = tile_fraction(lon, lat, z)
    return (fx - x) * EXTENT, (fy - y) * EXTENT


def stand_in_tile(reports: list[Report], z: int, x: int, y: int) -> bytes:
    """A tile by the contract: one cell point (centroid, count) at zoom <= 14, else points."""
    inside = []
    for report in reports:
        px, py = tile_pixel(report.location.x, report.location.y, z, x, y)
        if 0 <= px < EXTENT and 0 <= py < EXTENT:
            inside.append((report, px, py))
    if not inside:
        features = []
    elif z <= 14:
        cx = sum(px for _, px, _ in inside) / len(inside)
        cy = sum(py for _, _, py in inside) / len(inside)
        features = [{"geometry": ShapelyPoint(cx, cy), "properties": {"count": len(inside)}}]
    else:
        features = [
            {
                "geometry": ShapelyPoint(px, py),
                "properties": {
                    "id": str(r.public_id),
                    "category": r.category.code,
                    "status": r.status,
                },
            }
            for r, px, py in inside
        ]
    return mapbox_vector_tile.encode(
        [{"name": "reports", "features": features}],
        default_options={"extents": EXTENT, "y_coord_down": True},
    )


def set_view(page, lat: float, lon: float, zoom: int) -> None:
    page.evaluate(
        "([lat, lon, z]) => window.hienTruong.map.setView([lat, lon], z, {animate: false})",
        [lat, lon, zoom],
    )


def wait_mode(page, mode: str) -> None:
    page.wait_for_selector(f'#map[data-report-mode="{mode}"]')


def wait_tiles_drawn(page, at_least: int) -> None:
    """Every visible tile loaded and drawn, with at least `at_least` circles in all."""
    page.wait_for_function(
        """(n) => {
            const tiles = window.hienTruong.reports.tiles;
            return tiles && tiles._map && !tiles.isLoading()
                && document.querySelectorAll('#map svg.leaflet-tile path').length >= n;
        }""",
        arg=at_least,
    )


def tile_paths(page):
    return page.locator("#map svg.leaflet-tile path")


def tooltip_count(page) -> int:
    tooltip = page.locator(".leaflet-tooltip.ht-tile-tooltip")
    tooltip.wait_for()
    return int(re.sub(r"\D", "", tooltip.inner_text()))


def cell_counts(page) -> list[int]:
    """The count of every drawn cell, read from its tooltip ("8 phản ánh").

    The events are dispatched on each circle rather than hovered, since neighbouring cells of a
    real tile may overlap and the upper one would answer for both.
    """
    counts = []
    paths = tile_paths(page)
    for i in range(paths.count()):
        paths.nth(i).dispatch_event("mouseover")
        counts.append(tooltip_count(page))
        paths.nth(i).dispatch_event("mouseout")
        page.locator(".leaflet-tooltip.ht-tile-tooltip").wait_for(state="detached")
    return counts


def topmost_path(page):
    """A circle that is the element under its own centre, so a real mouse reaches it."""
    index = page.evaluate(
        """() => [...document.querySelectorAll('#map svg.leaflet-tile path')].findIndex((p) => {
            const r = p.getBoundingClientRect();
            return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === p;
        })"""
    )
    assert index >= 0, "no circle is on top at its centre"
    return tile_paths(page).nth(index)


def scenario(page, live_server, data: dict) -> None:
    all_reports = [*data["cluster"], data["lone"]]
    open_map(page, live_server)
    # Zoom 12 over the city: nine reports > the cap of five, so tiles, no markers.
    wait_mode(page, "tiles")
    assert page.locator(".ht-report-marker, .marker-cluster").count() == 0
    # Both places in view; the cells add up to all nine reports.
    set_view(page, 21.52, 107.91, 12)
    wait_tiles_drawn(page, 2)
    assert sum(cell_counts(page)) == len(all_reports)
    # A real mouse over a cell shows its count too.
    cell = topmost_path(page)
    cell.hover()
    assert tooltip_count(page) >= 1
    page.mouse.move(5, 400)

    # Hải Ninh close up holds one report: back to markers, the tiles gone.
    set_view(page, HAI_NINH[0], HAI_NINH[1], 16)
    wait_mode(page, "markers")
    page.wait_for_selector(f'.ht-report-marker[data-report-id="{data["lone"].public_id}"]')
    assert page.locator("#map svg.leaflet-tile").count() == 0

    # The dense spot close up: tiles again, now one point per report; a click loads its popup
    # and does not open the report form.
    set_view(page, MONG_CAI_1[0] + 0.0004, MONG_CAI_1[1] + 0.0012, 16)
    wait_mode(page, "tiles")
    wait_tiles_drawn(page, len(data["cluster"]))
    assert page.locator(".ht-report-marker").count() == 0
    topmost_path(page).click()
    popup = page.locator(".leaflet-popup .ht-report-popup")
    popup.wait_for()
    assert "Rác thải" in popup.inner_text()
    assert page.locator("#report-panel").is_hidden()
    page.keyboard.press("Escape")

    # Zoomed out again, a click on a cell zooms in two levels towards it.
    set_view(page, MONG_CAI_1[0], MONG_CAI_1[1], 12)
    wait_tiles_drawn(page, 1)
    topmost_path(page).click()
    page.wait_for_function("() => window.hienTruong.map.getZoom() === 14")
    assert page.locator("#report-panel").is_hidden()


def test_map_switches_to_stand_in_tiles_and_back(browser_page, live_server, dense_reports):
    page = browser_page
    reports = [*dense_reports["cluster"], dense_reports["lone"]]
    for report in reports:
        report.refresh_from_db()
    requested = []

    def serve_tile(route):
        z, x, y = (int(v) for v in TILE_RE.search(route.request.url).groups())
        requested.append((z, x, y))
        route.fulfill(
            status=200,
            content_type="application/vnd.mapbox-vector-tile",
            body=stand_in_tile(reports, z, x, y),
        )

    page.route("**/tiles/reports/**", serve_tile)
    scenario(page, live_server, dense_reports)
    assert {z for z, _, _ in requested} >= {12, 16}
    assert_no_problems(page)


def test_map_switches_to_real_tiles_and_back(browser_page, live_server, dense_reports):
    page = browser_page
    tiles = []
    page.on(
        "response",
        lambda r: (
            tiles.append((r.status, r.headers.get("content-type", "")))
            if "/tiles/reports/" in r.url
            else None
        ),
    )
    scenario(page, live_server, dense_reports)
    assert tiles and all(status == 200 for status, _ in tiles)
    assert all("mapbox-vector-tile" in kind or "protobuf" in kind for _, kind in tiles)
    assert_no_problems(page)
