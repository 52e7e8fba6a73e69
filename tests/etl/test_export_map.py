"""export_map: a standalone HTML map with Leaflet inlined, opening offline in Chromium."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command

from gis_core.models import Category, Report
from layers.services import load_demo_wifi
from tests.ward_boundaries import geometry_cases as cases

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


def make_reports():
    for code, status in (("06709", "received"), ("06709", "resolved"), ("06757", "assigned")):
        x, y = POINTS[code]
        Report.objects.create(
            category=Category.objects.get_or_create(
                code="khac", defaults={"name_vi": "Khác", "name_en": "Other"}
            )[0],
            description="x", location=Point(x, y, srid=4326), status=status,
        )  # fmt: skip


@pytest.mark.django_db
def test_map_file_is_self_contained(mong_cai_wards, tmp_path):
    make_reports()
    load_demo_wifi()
    out = tmp_path / "map.html"
    stdout = StringIO()
    call_command("export_map", "--out", str(out), "--ward", "06709", stdout=stdout)
    assert "2 reports" in stdout.getvalue()  # only the ward's
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)
    assert "L.map" in html and "Phản ánh" in html and 'id="ht-legend"' in html
    assert out.stat().st_size < 600_000
    with pytest.raises(CommandError, match="Có lớp bản đồ không hợp lệ"):
        call_command("export_map", "--out", str(out), "--layers", "heat")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_map_file_opens_offline_with_its_layers(mong_cai_wards, tmp_path, seed_categories):
    from playwright.sync_api import sync_playwright

    from tests.web_map.browser import CHROMIUM, CHROMIUM_ARGS

    make_reports()
    out = tmp_path / "map.html"
    call_command("export_map", "--out", str(out), stdout=StringIO())
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.wait_for_selector(".leaflet-interactive")
        shapes = page.locator(".leaflet-interactive").count()
        legend = page.locator("#ht-legend").inner_text()
        overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith("file:")] == []  # nothing from outside
    assert shapes >= 6 + 3  # 6 ward polygons and 3 reports
    assert "Tiếp nhận" in legend
    assert any("Phản ánh" in o for o in overlays)


HOSTILE = '<img src=x onerror="window.__xss=1">'


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_hostile_names_stay_text_in_the_map_file(mong_cai_wards, tmp_path, seed_categories):
    """POI, Wi-Fi and ward names reach folium's tooltips (innerHTML) escaped: every tooltip
    is opened in Chromium and none runs the name."""
    from playwright.sync_api import sync_playwright

    from layers.models import PointOfInterest, WifiSite
    from tests.web_map.browser import CHROMIUM, CHROMIUM_ARGS
    from ward_boundaries.models import Ward

    x, y = POINTS["06709"]
    PointOfInterest.objects.create(
        layer="tourism", source_id="x1", name=HOSTILE, location=Point(x, y, srid=4326)
    )
    WifiSite.objects.create(name=HOSTILE, location=Point(x + 0.001, y, srid=4326))
    Ward.objects.filter(code="06709").update(name=HOSTILE, full_name=HOSTILE)
    out = tmp_path / "map.html"
    call_command("export_map", "--out", str(out), stdout=StringIO())
    assert HOSTILE not in out.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(out.as_uri())
        page.wait_for_selector(".leaflet-interactive")
        opened, shown = page.evaluate(
            """() => {
                let n = 0;
                const texts = [];
                const groups = Object.values(window).filter((v) => v instanceof L.GeoJSON);
                for (const group of groups) {
                    group.eachLayer((layer) => {
                        const at = layer.getLatLng
                            ? layer.getLatLng()
                            : layer.getBounds().getCenter();
                        layer.fire("mouseover", { latlng: at, layer }, true);
                        n += 1;
                        for (const tip of document.querySelectorAll(".leaflet-tooltip")) {
                            texts.push(tip.innerText);
                        }
                    });
                }
                return [n, texts];
            }"""
        )
        ran = page.evaluate("() => window.__xss === 1")
        injected = page.locator(".leaflet-tooltip img").count()
        browser.close()
    assert opened >= 6 + 2  # the ward polygons, the POI and the Wi-Fi site
    assert any(HOSTILE in text for text in shown)  # shown as text
    assert not ran and injected == 0


@pytest.mark.django_db
def test_map_file_says_its_language_and_carries_a_chinese_font_stack(mong_cai_wards, tmp_path):
    """The file is opened offline on any machine: `<html lang>` follows the language it was
    exported in, and the stack names faces that hold Chinese glyphs."""
    from django.utils import translation

    from etl.folium_map import html_lang

    make_reports()
    out = tmp_path / "map.html"
    with translation.override("zh-hans"):
        call_command("export_map", "--out", str(out), stdout=StringIO())
    html = out.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
    assert re.search(r'#ht-legend \{ font-family: [^}]*"Noto Sans CJK SC", "Noto Sans SC"', html)
    assert "已受理" in html  # the legend's statuses, from the zh_Hans catalog
    call_command("export_map", "--out", str(out), stdout=StringIO())
    assert '<html lang="vi">' in out.read_text(encoding="utf-8")
    assert [html_lang(c) for c in ("en", "zh-hans", "pt-br")] == ["en", "zh-Hans", "pt-BR"]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_chinese_legend_is_drawn_with_a_cjk_face(mong_cai_wards, tmp_path, seed_categories):
    """Chromium reports the faces it really used for the legend's text: Chinese glyphs come
    from Noto Sans CJK (fonts-noto-cjk, scripts/install_system.sh), not a fallback box."""
    from django.utils import translation
    from playwright.sync_api import sync_playwright

    from tests.web_map.browser import CHROMIUM, CHROMIUM_ARGS

    make_reports()
    out = tmp_path / "map.html"
    with translation.override("zh-hans"):
        call_command("export_map", "--out", str(out), stdout=StringIO())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(out.as_uri())
        page.wait_for_selector("#ht-legend")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        legend = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#ht-legend div"})
        text = page.locator("#ht-legend div").first.inner_text()
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": legend["nodeId"]})["fonts"]
        browser.close()
    assert "已受理" in text
    assert any("CJK" in f["familyName"] for f in fonts), fonts
