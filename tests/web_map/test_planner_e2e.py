"""The planner view in headless Chromium, every external host blocked (no CDN, no tiles):
layer control, layer toggles, the heatmap following the period slider, the choropleth legend
and the map export download."""

from __future__ import annotations

import pytest

from tests.ward_boundaries.test_national_wards import national_wards, partition_file  # noqa: F401
from tests.web_map.map_page import assert_no_problems
from tests.web_map.planner_page import open_planner, sign_in
from ward_boundaries.models import Ward

pytestmark = pytest.mark.e2e

THEMATIC = ["wards", "heat", "grid", "choropleth", "hotspots"]


def toggle(page, key: str) -> None:
    page.locator(f"label:has([data-layer-key='{key}']) input").click()


def heat_total(page) -> int:
    return int(page.get_attribute("#pl-map", "data-heat-total"))


def heat_pixels(page) -> list[int]:
    """Where the heat canvas is painted: [painted pixels, their mean x, their mean y]."""
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('#pl-map .leaflet-heatmap-layer');
            const {width, height} = canvas;
            const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            let n = 0, sx = 0, sy = 0;
            for (let i = 3; i < data.length; i += 4) {
                if (data[i] === 0) continue;
                const pixel = (i - 3) / 4;
                n += 1; sx += pixel % width; sy += Math.floor(pixel / width);
            }
            return n ? [n, Math.round(sx / n), Math.round(sy / n)] : [0, 0, 0];
        }"""
    )


def set_period(page, start: int, end: int) -> None:
    """Moves both slider handles (month indexes) as a user would: input, then change."""
    page.evaluate(
        """([start, end]) => {
            const from = document.getElementById('pl-from');
            const to = document.getElementById('pl-to');
            to.value = String(end);
            to.dispatchEvent(new Event('input', {bubbles: true}));
            from.value = String(start);
            from.dispatchEvent(new Event('input', {bubbles: true}));
            from.dispatchEvent(new Event('change', {bubbles: true}));
        }""",
        [start, end],
    )


def test_planner_layers_period_legend_and_export(browser_page, live_server, planner_data):
    page = browser_page
    sign_in(page, live_server)
    open_planner(page, live_server)

    # Every layer is in the control: the five thematic ones and the registry's point layers
    # (its own heat/ward entries are drawn by the planner's layers, not listed twice).
    keys = page.eval_on_selector_all(
        ".leaflet-control-layers [data-layer-key]", "els => els.map(e => e.dataset.layerKey)"
    )
    assert keys == [*THEMATIC, "places", "place_reports", "tourism", "wifi"]
    assert page.is_checked("label:has([data-layer-key='heat']) input")
    assert page.is_checked("label:has([data-layer-key='wards']) input")
    assert not page.is_checked("label:has([data-layer-key='choropleth']) input")

    # Default period: the last 12 months, so only last month's 3 reports are in the heat.
    assert heat_total(page) == 3
    assert page.locator("#pl-map .leaflet-heatmap-layer").count() == 1
    recent_heat = heat_pixels(page)
    assert recent_heat[0] > 0
    assert page.locator("#pl-legend [data-layer=heat]").inner_text().count("3") >= 1

    # The period slider: only the month 14 months ago (index 24 - 1 - 14).
    old = planner_data["old"]
    set_period(page, 9, 9)
    page.wait_for_function(
        "since => (document.getElementById('pl-map').dataset.heatQuery || '').includes(since)",
        arg=f"since={old:%Y-%m}-01",
    )
    assert heat_total(page) == 5
    old_heat = heat_pixels(page)
    # Drawn elsewhere: Móng Cái 3 and Hải Ninh lie west of Móng Cái 1.
    assert old_heat[0] > 0 and old_heat[1] < recent_heat[1] - 100
    assert f"until={old:%Y-%m}-" in page.get_attribute("#pl-map", "data-heat-query")
    assert page.get_attribute("#pl-export", "href").count(f"since={old:%Y-%m}-01") == 1
    set_period(page, 12, 23)
    page.wait_for_function("() => document.getElementById('pl-map').dataset.heatTotal === '3'")

    # Toggling layers changes the map: heat canvas off/on, ward outlines off/on, Wi-Fi points.
    toggle(page, "heat")
    assert page.locator("#pl-map .leaflet-heatmap-layer").count() == 0
    assert page.locator("#pl-legend [data-layer=heat]").count() == 0
    toggle(page, "heat")
    page.wait_for_selector("#pl-map .leaflet-heatmap-layer")
    shapes = page.locator("#pl-map path.leaflet-interactive")
    with_wards = shapes.count()
    assert with_wards >= 6  # today's six units
    toggle(page, "wards")
    assert shapes.count() == with_wards - 6
    toggle(page, "wards")
    assert shapes.count() == with_wards
    toggle(page, "wifi")
    page.wait_for_function(
        "n => document.querySelectorAll('#pl-map path.leaflet-interactive').length > n",
        arg=with_wards,
    )

    # Choropleth: the legend names the chosen measure and its unit; no population -> no data.
    toggle(page, "choropleth")
    legend = page.locator("#pl-legend [data-layer=choropleth]")
    legend.wait_for()
    page.wait_for_function("() => window.planner.layers.choropleth.loaded")
    assert "Số phản ánh" in legend.inner_text() and "(phản ánh)" in legend.inner_text()
    page.select_option("#pl-measure", "per_1000_residents")
    assert "Phản ánh trên 1.000 dân" in legend.inner_text()
    assert "Không có dữ liệu" in legend.inner_text()

    # Export: a download of the standalone map with the visible layers and the period.
    href = page.get_attribute("#pl-export", "href")
    assert "layers=wards%2Creports%2Cwifi" in href or "layers=wards,reports,wifi" in href
    with page.expect_download() as info:
        page.click("#pl-export")
    download = info.value
    assert download.suggested_filename.startswith("ban-do-thanh-pho_")
    html = open(download.path(), encoding="utf-8").read()
    assert "L.map" in html and 'id="ht-legend"' in html

    # The grid: square cells coloured by count, with its legend; then the hotspots (8
    # reports are too few for a significant cluster: an empty layer, said in the legend).
    toggle(page, "grid")
    page.wait_for_function("() => window.planner.layers.grid.loaded")
    assert int(page.get_attribute("#pl-map", "data-grid-cells")) >= 1
    assert "Số phản ánh mỗi ô" in page.locator("#pl-legend [data-layer=grid]").inner_text()
    toggle(page, "hotspots")
    page.wait_for_function("() => window.planner.layers.hotspots.loaded", timeout=30_000)
    hotspot_legend = page.locator("#pl-legend [data-layer=hotspots]").inner_text()
    assert "Điểm nóng mới nổi" in hotspot_legend and "điểm nóng" in hotspot_legend
    assert page.locator("#map-notice").inner_text().startswith("Không tải được bản đồ nền")

    # English through the header's switcher (the one language setting): the page comes back
    # in English, the layer control, legend and notices too.
    with page.expect_navigation():
        page.click("#lang-en")
    page.wait_for_selector("#pl-map[data-ready=true]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#lang-en").get_attribute("aria-current") == "true"
    toggle(page, "choropleth")
    page.wait_for_function("() => window.planner.layers.choropleth.loaded")
    page.select_option("#pl-measure", "per_1000_residents")
    legend = page.locator("#pl-legend [data-layer=choropleth]")
    assert "Reports per 1,000 residents" in legend.inner_text()
    assert "No data" in legend.inner_text()
    heat_label = page.locator("label:has([data-layer-key='heat'])").inner_text().strip()
    assert heat_label.startswith("Report density")
    assert page.locator("#pl-filters-title").inner_text() == "Report filters"
    assert page.locator("#map-notice").inner_text().startswith("Basemap unavailable")
    assert_no_problems(page)


def test_planner_benchmark_baseline_shows_wards_only(browser_page, live_server, planner_data):
    page = browser_page
    sign_in(page, live_server, role="agency_officer")
    open_planner(page, live_server, "?layers=wards")
    assert page.locator("#pl-map .leaflet-heatmap-layer").count() == 0
    assert page.get_attribute("#pl-map", "data-heat-total") is None
    assert page.locator("#pl-map path.leaflet-interactive").count() == 6
    assert (
        page.locator("#pl-map-notice, #map-notice")
        .first.inner_text()
        .startswith("Không tải được bản đồ nền")
    )
    assert_no_problems(page)


def test_hotspots_are_listed_with_ward_size_and_trend(
    browser_page, live_server, mong_cai_wards, categories
):
    """64 reports within ~100 m in Móng Cái 2 last week, none before: one emerging hotspot,
    listed in the sidebar; a click shows it on the map."""
    from tests.hotspot_data import plant_emerging_cluster

    plant_emerging_cluster(days_ago=3)
    page = browser_page
    sign_in(page, live_server, role="operator")
    open_planner(page, live_server, "?layers=wards,hotspots")
    page.wait_for_function("() => window.planner.layers.hotspots.loaded", timeout=30_000)
    items = page.locator("#pl-hotspot-list .pl-hotspots__item")
    items.first.wait_for()
    assert items.count() == 1
    text = items.first.inner_text()
    assert "Móng Cái 2" in text and "64 phản ánh" in text and "Điểm nóng mới nổi" in text
    assert items.first.get_attribute("data-emerging") == "true"
    zoom = page.evaluate("window.planner.map.getZoom()")
    items.first.click()
    page.wait_for_function(f"() => window.planner.map.getZoom() > {zoom}")
    # Switching the layer off hides the list.
    toggle(page, "hotspots")
    assert page.locator("#pl-hotspots").is_hidden()
    assert_no_problems(page)


def export_href_has(page, part: str, present: bool = True) -> None:
    page.wait_for_function(
        "([part, present]) => document.getElementById('pl-export').href.includes(part) === present",
        arg=[part, present],
    )


@pytest.mark.usefixtures("national_wards", "categories")
def test_export_link_carries_the_chosen_province(browser_page, live_server):
    """Wards of three provinces in force: the province picker shows, and the export link
    (and the file it downloads) follows the province chosen there, with the ward."""
    page = browser_page
    sign_in(page, live_server, role="operator")
    open_planner(page, live_server, "?layers=wards")
    assert page.locator("#pl-province-field").is_visible()
    assert "province=" not in page.get_attribute("#pl-export", "href")
    page.select_option("#pl-province", "20")
    export_href_has(page, "province=20")
    assert "ward=" not in page.get_attribute("#pl-export", "href")
    ward = Ward.objects.filter(province_code="20").order_by("code").first().code
    page.select_option("#pl-ward", ward)
    export_href_has(page, f"ward={ward}")
    assert "province=20" in page.get_attribute("#pl-export", "href")
    page.select_option("#pl-ward", "")
    export_href_has(page, "ward=", present=False)
    with page.expect_download() as info:
        page.click("#pl-export")
    assert info.value.suggested_filename.startswith("ban-do-tinh-20_")
    html = open(info.value.path(), encoding="utf-8").read()
    assert f'"code": "{ward}"' in html and '"code": "06712"' not in html
    page.select_option("#pl-province", "")
    export_href_has(page, "province=", present=False)
    assert_no_problems(page)
