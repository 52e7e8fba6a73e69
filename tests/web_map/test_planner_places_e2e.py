"""The planner's two layers of places in headless Chromium: places coloured by kind and
visitors' reports by place (circles sized by count in the period), with their legend, in
Vietnamese and English."""

from __future__ import annotations

import pytest

from tests.layers.place_reports import link_report, make_place
from tests.web_map.map_page import HAI_NINH, MONG_CAI_1, MONG_CAI_3, assert_no_problems
from tests.web_map.planner_page import open_planner, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def place_data(live_server, mong_cai_wards, categories):
    hotel = make_place("Khách sạn Biển", at=(MONG_CAI_1[1], MONG_CAI_1[0]))
    food = make_place("Quán Bún Cá", kind="food", at=(MONG_CAI_3[1], MONG_CAI_3[0]))
    make_place("Chợ Hải Ninh", kind="market", at=(HAI_NINH[1], HAI_NINH[0]))
    for days in (1, 2, 3, 4):
        link_report(hotel, days_ago=days, category="du_lich_chat_chem")
    link_report(food, days_ago=5)
    link_report(food, days_ago=6, status="rejected")  # not counted
    return {"hotel": hotel, "food": food}


def radii(page) -> list[float]:
    return page.evaluate(
        "() => window.planner.layers.place_reports.layer.getLayers()"
        ".map(l => l.getRadius()).sort((a, b) => a - b)"
    )


def test_planner_shows_places_by_kind_and_reports_by_place(browser_page, live_server, place_data):
    page = browser_page
    sign_in(page, live_server, role="tourism")
    open_planner(page, live_server, "?layers=wards,places,place_reports")
    page.wait_for_selector("#pl-map[data-places-drawn='3']")
    page.wait_for_selector("#pl-map[data-place-reports-drawn='2']")
    assert page.is_checked("label:has([data-layer-key='places']) input")
    assert page.is_checked("label:has([data-layer-key='place_reports']) input")
    names = page.locator(".leaflet-control-layers").inner_text()
    assert "Địa điểm du lịch" in names and "Phản ánh của du khách theo địa điểm" in names

    # The legend: one row per kind present, by name; the circles' counts and the total.
    kinds = page.locator("#pl-legend [data-layer=places] [data-kind]")
    assert kinds.evaluate_all("els => els.map(e => e.dataset.kind)") == [
        "accommodation",
        "food",
        "market",
    ]
    places_legend = page.locator("#pl-legend [data-layer=places]").inner_text()
    assert "Lưu trú" in places_legend and "Ăn uống" in places_legend
    assert "3 địa điểm" in places_legend
    reports_legend = page.locator("#pl-legend [data-layer=place_reports]").inner_text()
    assert "Phản ánh của du khách theo địa điểm" in reports_legend
    assert "5 phản ánh tại 2 địa điểm trong kỳ" in reports_legend
    # Four reports draw a bigger circle than one; the period is the planner's.
    small, big = radii(page)
    assert big > small > 0
    query = page.get_attribute("#pl-map", "data-place-reports-query")
    assert "since=" in query and "until=" in query

    # A period without reports: no circles, the legend says so; the places stay.
    page.evaluate(
        """() => {
            const from = document.getElementById('pl-from');
            const to = document.getElementById('pl-to');
            from.value = '0'; to.value = '0';
            from.dispatchEvent(new Event('input', {bubbles: true}));
            from.dispatchEvent(new Event('change', {bubbles: true}));
        }"""
    )
    page.wait_for_selector("#pl-map[data-place-reports-drawn='0']")
    assert (
        "Không có phản ánh trong kỳ"
        in page.locator("#pl-legend [data-layer=place_reports]").inner_text()
    )
    assert page.get_attribute("#pl-map", "data-places-drawn") == "3"

    # Toggled off like the other layers: its legend section goes.
    page.locator("label:has([data-layer-key='place_reports']) input").click()
    assert page.locator("#pl-legend [data-layer=place_reports]").count() == 0
    assert page.locator("#pl-legend [data-layer=places]").count() == 1
    assert_no_problems(page)

    # English: the layer and kind names come from the catalog and the data.
    with page.expect_navigation():
        page.click("#lang-en")
    page.wait_for_selector("#pl-map[data-places-drawn='3']")
    legend = page.locator("#pl-legend [data-layer=places]").inner_text()
    assert "Accommodation" in legend and "Food and drink" in legend
    assert_no_problems(page)
