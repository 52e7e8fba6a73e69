"""The planner's outlines in headless Chromium: with several provinces in force it draws the
country view first (one outline per province), the chosen province's wards at full detail
(also when the address carries ?province=), and its ward picker offers only that province's
wards; with Móng Cái alone it draws every ward, as before.

The national wards are test_national_wards' small partition: three provinces (01, 20, 22),
44 units, beside the Móng Cái demo wards (province 22).
"""

from __future__ import annotations

import pytest

from tests.ward_boundaries.test_national_wards import national_wards, partition_file  # noqa: F401
from tests.web_map.map_page import assert_no_problems
from tests.web_map.planner_page import open_planner, sign_in
from ward_boundaries.models import BoundaryVersion, Ward

pytestmark = pytest.mark.e2e


def wards_in_force(province: str) -> list[str]:
    versions = BoundaryVersion.objects.filter(name__in=["vn-test-national", "mong-cai-2025"])
    wards = Ward.objects.filter(version__in=versions, province_code=province)
    return sorted(wards.values_list("code", flat=True))


def outline_requests(page) -> list[str]:
    """The app's requests for ward outlines (the endpoint and the old full ward list)."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: (
            seen.append(r.url) if "/api/v1/wards/" in r.url and "/stats/" not in r.url else None
        ),
    )
    return seen


def drawn(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.getElementById('pl-map');
            const layer = window.planner.layers.wards;
            return {
                view: el.dataset.outlineView,
                province: el.dataset.outlineProvince,
                features: Number(el.dataset.outlineFeatures),
                provinces: layer.provinces.size,
                wards: [...layer.features.keys()].sort(),
            };
        }"""
    )


def ward_picker(page) -> dict:
    return page.evaluate(
        """() => {
            const select = document.getElementById('pl-ward');
            const options = [...select.options];
            return {
                empty: options[0].value === '' ? options[0].textContent : null,
                codes: options.slice(1).map((o) => o.value).sort(),
                disabled: select.disabled,
            };
        }"""
    )


def map_inside(page, bounds) -> bool:
    """Whether the map's centre lies within `bounds` ([west, south, east, north])."""
    center = page.evaluate(
        "(() => { const c = window.planner.map.getCenter(); return [c.lng, c.lat]; })()"
    )
    west, south, east, north = bounds
    return west <= center[0] <= east and south <= center[1] <= north


def province_extent(province: str) -> list[float]:
    wards = Ward.objects.filter(code__in=wards_in_force(province))
    boxes = [w.geom.extent for w in wards]
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]


@pytest.mark.usefixtures("national_wards", "categories")
def test_country_view_then_the_chosen_provinces_wards(browser_page, live_server):
    page = browser_page
    requests = outline_requests(page)
    sign_in(page, live_server, role="operator")
    open_planner(page, live_server, "?layers=wards")

    # The country: three province outlines, no ward outline; the map shows the country.
    state = drawn(page)
    assert state["view"] == "country" and state["province"] == ""
    assert state["provinces"] == 3 and state["wards"] == []
    assert page.evaluate("window.planner.map.getZoom()") < 12  # not Móng Cái's street view
    assert ward_picker(page) == {"empty": "Toàn quốc", "codes": [], "disabled": True}
    assert [u.split("/api/v1/")[1] for u in requests] == ["wards/outlines/"]

    # Lạng Sơn chosen: its wards at full detail, the picker lists them, the map goes there.
    page.select_option("#pl-province", "20")
    page.wait_for_function("document.getElementById('pl-map').dataset.outlineProvince === '20'")
    lang_son = wards_in_force("20")
    state = drawn(page)
    assert state["wards"] == lang_son and state["features"] == len(lang_son) == 12
    assert state["provinces"] == 3  # the country stays drawn around it
    assert ward_picker(page) == {"empty": "Cả tỉnh", "codes": lang_son, "disabled": False}
    page.wait_for_function(
        "([w, s, e, n]) => { const c = window.planner.map.getCenter();"
        " return c.lng >= w && c.lng <= e && c.lat >= s && c.lat <= n; }",
        arg=province_extent("20"),
    )
    assert requests[-1].endswith("/api/v1/wards/outlines/?province=20")

    # A ward of it, then Hà Nội: the ward is no longer offered, so the picker resets.
    page.select_option("#pl-ward", lang_son[0])
    page.select_option("#pl-province", "01")
    page.wait_for_function("document.getElementById('pl-map').dataset.outlineProvince === '01'")
    assert page.input_value("#pl-ward") == ""
    assert ward_picker(page)["codes"] == wards_in_force("01")
    assert "ward=" not in page.get_attribute("#pl-export", "href")

    # Back to Lạng Sơn: drawn from the answer already loaded, not asked again.
    asked = len(requests)
    page.select_option("#pl-province", "20")
    page.wait_for_function("document.getElementById('pl-map').dataset.outlineProvince === '20'")
    assert len(requests) == asked

    # The whole country again: no ward outline, the picker empty.
    page.select_option("#pl-province", "")
    page.wait_for_function("document.getElementById('pl-map').dataset.outlineProvince === ''")
    assert drawn(page)["wards"] == []
    assert ward_picker(page) == {"empty": "Toàn quốc", "codes": [], "disabled": True}
    # Never the old list of every ward's full polygon.
    assert not [u for u in requests if u.split("?")[0].endswith("/api/v1/wards/")]
    assert_no_problems(page)


@pytest.mark.usefixtures("national_wards", "categories")
def test_province_in_the_address_opens_on_it(browser_page, live_server):
    page = browser_page
    sign_in(page, live_server, role="operator")
    open_planner(page, live_server, "?layers=wards,heat&province=22")
    assert page.input_value("#pl-province") == "22"
    quang_ninh = wards_in_force("22")
    assert "06712" in quang_ninh  # Móng Cái's own wards are in Quảng Ninh
    state = drawn(page)
    assert state["province"] == "22" and state["wards"] == quang_ninh
    assert ward_picker(page) == {"empty": "Cả tỉnh", "codes": quang_ninh, "disabled": False}
    assert map_inside(page, province_extent("22"))
    # The heat of the first render asked for that province, over that view.
    assert "province=22" in page.get_attribute("#pl-map", "data-heat-query")
    assert "province=22" in page.get_attribute("#pl-export", "href")
    assert_no_problems(page)


@pytest.mark.usefixtures("mong_cai_wards", "categories")
def test_one_city_draws_every_ward_as_before(browser_page, live_server):
    page = browser_page
    sign_in(page, live_server)
    open_planner(page, live_server, "?layers=wards")
    codes = sorted(
        Ward.objects.filter(version__name="mong-cai-2025").values_list("code", flat=True)
    )
    state = drawn(page)
    assert state["view"] == "wards" and state["provinces"] == 0
    assert state["wards"] == codes
    assert page.locator("#pl-province-field").is_hidden()
    assert ward_picker(page) == {"empty": "Toàn thành phố", "codes": codes, "disabled": False}
    assert_no_problems(page)
