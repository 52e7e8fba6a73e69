"""The planner page and its map export through the test client: who may open them, what the
page is given, and how the export answers good and bad parameters."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.urls import reverse

from gis_core.models import Category, Report, StaffRole
from tests.ward_boundaries import geometry_cases as cases
from web_map.planner import slider_months

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
PHONE = "+84911222333"


@pytest.fixture
def users(db) -> dict[str, User]:
    made = {"citizen": User.objects.create_user("+84900000000")}
    for role in StaffRole.values:
        user = User.objects.create_user(f"staff-{role}", password="x")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        made[role] = user
    return made


@pytest.fixture
def reports(mong_cai_wards):
    category = Category.objects.get(code="ha_tang")
    rows = []
    for code, status in (("06709", "received"), ("06709", "resolved"), ("06757", "assigned")):
        x, y = POINTS[code]
        rows.append(
            Report.objects.create(
                category=category, description="Cống vỡ", location=Point(x, y, srid=4326),
                status=status, contact_phone=PHONE, contact_name="Người Gửi",
            )
        )  # fmt: skip
    return rows


def config_of(response) -> dict:
    match = re.search(
        r'<script id="planner-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries its config as json_script"
    return json.loads(match.group(1))


def test_anonymous_goes_to_login_and_citizen_is_refused(client, users):
    for url in (reverse("web_map:planner"), reverse("web_map:planner-export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")
        client.force_login(users["citizen"])
        assert client.get(url).status_code == 403
        client.logout()


@pytest.mark.parametrize("role", StaffRole.values)
def test_every_staff_role_opens_the_planner(client, users, mong_cai_wards, role):
    client.force_login(users[role])
    response = client.get(reverse("web_map:planner"))
    assert response.status_code == 200
    config = config_of(response)
    assert config["urls"]["heat"] == reverse("api:report-heat")
    assert config["urls"]["wardStats"] == reverse("api:ward-stats")
    assert config["urls"]["export"] == reverse("web_map:planner-export")
    # Endpoints still being written elsewhere fall back to their documented paths.
    assert config["urls"]["grid"].endswith("/reports/grid/")
    assert config["urls"]["hotspots"].endswith("/hotspots/")
    assert [layer["key"] for layer in config["layers"]] == [
        "wards",
        "heat",
        "grid",
        "choropleth",
        "hotspots",
        "places",
        "place_reports",
    ]
    assert config["urls"]["placeMap"] == reverse("api:staff-place-map")
    assert len(config["months"]) == 24
    assert {w["code"] for w in config["wards"]} >= {"06709", "06757"}  # today's 2025 units
    assert "ha_tang" in {c["code"] for c in config["categories"]}
    html = response.content.decode()
    assert "vendor/leaflet-heat/leaflet-heat.js" in html and "js/planner.js" in html
    assert "https://" not in html.split("<body", 1)[1].split('id="planner-config"')[0]


def test_staff_pages_link_to_the_planner(client, users):
    client.force_login(users["operator"])
    html = client.get(reverse("web_map:staff-queue")).content.decode()
    assert f'href="{reverse("web_map:planner")}"' in html


def test_slider_months_end_with_this_month():
    months = slider_months(dt.date(2026, 2, 10))
    assert months[0] == "2024-03" and months[-1] == "2026-02" and len(months) == 24


def test_export_returns_the_standalone_map_with_its_layers(client, users, reports):
    client.force_login(users["ward_officer"])
    response = client.get(
        reverse("web_map:planner-export"), {"ward": "06709", "layers": "wards,reports"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith('attachment; filename="ban-do-06709')
    assert response["X-Report-Count"] == "2"  # only the ward's two reports
    html = response.content.decode()
    assert "L.map" in html and 'id="ht-legend"' in html and "Phản ánh" in html
    # Layer names sit in folium's layer-control JSON, where non-ASCII is \u-escaped.
    names = {name: json.dumps(name)[1:-1] for name in ("Phường, xã", "Điểm tham quan")}
    assert names["Phường, xã"] in html
    assert names["Điểm tham quan"] not in html  # a layer not asked for
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)
    assert PHONE not in html and "Người Gửi" not in html and "Cống vỡ" not in html


def test_export_period_filters_reports(client, users, reports):
    Report.objects.filter(pk=reports[0].pk).update(
        reported_at=dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC)
    )
    client.force_login(users["operator"])
    url = reverse("web_map:planner-export")
    response = client.get(url, {"since": "2024-03-01", "until": "2024-03-31"})
    assert response.status_code == 200
    assert response["X-Report-Count"] == "1"
    assert "2024-03-01_2024-03-31" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2025-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2025-06-01", "until": "2025-01-01"}, "since"),
        ({"layers": "wards,heat"}, "layers"),
        ({"ward": "99999"}, "ward"),
    ],
)
def test_export_bad_parameters_are_400_naming_them(client, users, mong_cai_wards, params, field):
    client.force_login(users["operator"])
    response = client.get(reverse("web_map:planner-export"), params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert field in body["detail"]
