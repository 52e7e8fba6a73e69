"""The pages under the production Content-Security-Policy in headless Chromium: no violation,
and the map still draws (wards, markers). Every external host is blocked, as in the map tests."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from config.settings.serving import content_security_policy
from tests.web_map.map_page import assert_no_problems
from tests.web_map.planner_page import open_planner, sign_in

pytestmark = pytest.mark.e2e

# Records every violation the browser reports, before any page script runs.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


@pytest.fixture
def csp_page(browser_page, live_server):
    """browser_page, with the production policy on every response and violations recorded."""
    policy = content_security_policy(settings.MAP_TILE_URL)
    page = browser_page
    page.add_init_script(WATCH_VIOLATIONS)
    headers = []
    page.on(
        "response",
        lambda r: (
            r.request.resource_type == "document"
            and headers.append(r.headers.get("content-security-policy"))
        ),
    )
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        yield page
    assert headers and all(h and "script-src 'self'" in h for h in headers), headers


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_public_map_under_csp(csp_page, live_server, mong_cai_wards, categories):
    page = csp_page
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    page.wait_for_selector("body[data-reports-loaded=true]")
    assert page.locator(".ht-ward-label").count() == 6
    assert page.locator("path.leaflet-interactive").count() >= 6
    assert violations(page) == []
    assert_no_problems(page)


def test_tourist_page_under_csp(csp_page, live_server, tourist_data):
    """Places from the contract's stand-in (tests/web_map/places_stand_in.py), wards, and the
    details sheet (a module loaded on the first tap) with its photo and tables."""
    from tests.web_map.places_stand_in import serve_places

    page = csp_page
    serve_places(page, live_server.url)
    page.goto(live_server.url + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    page.wait_for_selector("body[data-wards-loaded=true]")
    assert page.locator("path.tr-place-marker").count() == 2
    page.fill("#tr-search", "hoa binh")
    page.locator("#tr-results button").first.click()
    page.wait_for_selector("#tr-details[data-state=ready]")
    assert page.locator("#tr-details .tr-prices tbody tr").count() == 2
    assert violations(page) == []
    assert_no_problems(page)


def test_planner_under_csp(csp_page, live_server, planner_data):
    page = csp_page
    sign_in(page, live_server)
    open_planner(page, live_server)
    assert page.locator("#pl-map path.leaflet-interactive").count() >= 6  # ward outlines
    assert violations(page) == []
    assert_no_problems(page)


def test_admin_map_widget_under_csp(csp_page, live_server, mong_cai_wards, categories):
    """The admin's report form draws its OpenLayers map with no inline script."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point

    from gis_core.models import Category, Report

    report = Report.objects.create(
        category=Category.objects.get(code="khac"),
        description="x",
        location=Point(107.97, 21.53, srid=4326),
    )
    User.objects.create_superuser("csp-admin", password="x")
    page = csp_page
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "x")
    page.click("input[type=submit]")
    page.goto(live_server.url + f"/admin/gis_core/report/{report.pk}/change/")
    page.wait_for_selector(".dj_map .ol-viewport")
    assert page.evaluate("typeof window.geodjango_location") == "object"
    assert violations(page) == []
