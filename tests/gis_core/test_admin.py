"""The admin is an insert path too: the trigger assigns the ward; its map is served locally."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from gis_core.models import Category, Report
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.vn", "pw")
    client.force_login(user)
    return client


def test_admin_add_page_has_no_cdn(admin_client):
    html = admin_client.get("/admin/gis_core/report/add/").content.decode()
    assert "web_map/vendor/ol/ol.js" in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html


def test_report_added_in_admin_gets_its_ward(admin_client, mong_cai_wards):
    x, y = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06733"]
    response = admin_client.post(
        "/admin/gis_core/report/add/",
        {
            "category": Category.objects.get(code="khac").pk,
            "description": "Nhập từ trang quản trị",
            "location": f"SRID=4326;POINT({x} {y})",
            "status": "received",
            "source": "admin",
            "reported_at_0": "2026-01-05",
            "reported_at_1": "09:00:00",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert report.ward.code == "06733" and report.ward_match == "inside"
