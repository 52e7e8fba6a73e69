"""GET /api/v1/wards/ and /api/v1/wards/lookup/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.query_count import assert_queries_flat
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def test_ward_list_is_the_current_version_as_geojson(client, mong_cai_wards):
    body = client.get(reverse("api:ward-list")).json()
    assert body["type"] == "FeatureCollection"
    assert sorted(f["id"] for f in body["features"]) == [
        "06709",
        "06712",
        "06724",
        "06733",
        "06736",
        "06757",
    ]
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["report_counts"] == {"total": 0, "by_status": {}}
    old = client.get(reverse("api:ward-list"), {"version": "mong-cai-2024"}).json()
    assert len(old["features"]) == 17
    by_date = client.get(reverse("api:ward-list"), {"date": "2025-01-01"}).json()
    assert len(by_date["features"]) == 17


def test_lookup_inside_nearest_outside(client, mong_cai_wards, poi_features):
    url = reverse("api:ward-lookup")
    x, y = cases.interior_points("mong_cai_wards_2024_clean.geojson")["06718"]
    inside = client.get(url, {"lon": x, "lat": y, "date": "2024-01-01"}).json()
    assert inside["code"] == "06718" and inside["name"] == "Hoà Lạc" and inside["match"] == "inside"
    assert inside["unit_type"] == "phuong" and inside["version"] == "mong-cai-2024"
    assert inside["distance_m"] is None
    merged = client.get(url, {"lon": x, "lat": y}).json()
    assert merged["code"] == "06712" and merged["version"] == "mong-cai-2025"
    forced = client.get(url, {"lon": x, "lat": y, "version": "mong-cai-2024"}).json()
    assert forced["code"] == "06718"

    sa_vi = next(f for f in poi_features if f["properties"]["name"] == "Mũi Sa Vĩ")
    lon, lat = sa_vi["geometry"]["coordinates"]
    nearest = client.get(url, {"lon": lon, "lat": lat, "date": "2024-01-01"}).json()
    assert nearest["match"] == "nearest" and 20 < nearest["distance_m"] < 45

    outside = client.get(url, {"lon": cases.SEA[0], "lat": cases.SEA[1]})
    assert outside.status_code == 404
    assert "Không phường nào chứa điểm này" in outside.json()["detail"]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"lon": "x", "lat": 21.5}, "lon"),
        ({"lat": 21.5}, "lon"),
        ({"lon": 107.9, "lat": "inf"}, "lat"),
        ({"lon": 21.5, "lat": 107.9}, "lat"),
        ({"lon": 107.9, "lat": 21.5, "date": "2025-13-01"}, "date"),
        ({"lon": 107.9, "lat": 21.5, "version": "nope"}, "version"),
    ],
)
def test_lookup_bad_input_is_400_naming_the_field(client, mong_cai_wards, params, field):
    response = client.get(reverse("api:ward-lookup"), params)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/reports/", "/api/v1/wards/lookup/", "/api/v1/wards/"):
        assert path in text


def test_ward_stats_for_a_choropleth(client, mong_cai_wards):
    """Counts per ward for the period, per 1,000 residents when the population is known."""
    import datetime as dt

    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from gis_core.models import Category, Report
    from ward_boundaries.models import Ward

    Ward.objects.filter(version=mong_cai_wards["2025"], code="06709").update(population=40_000)
    x, y = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06709"]
    when = timezone.now() - dt.timedelta(days=3)
    for hours in (2, 4, 10):
        Report.objects.create(
            category=Category.objects.get(code="khac"), description="x",
            location=Point(x, y, srid=4326), status="resolved", reported_at=when,
            resolved_at=when + dt.timedelta(hours=hours),
        )  # fmt: skip
    body = client.get(reverse("api:ward-stats")).json()
    by_code = {f["id"]: f["properties"] for f in body["features"]}
    assert len(by_code) == 6
    mc2 = by_code["06709"]
    # 3 reports / 40,000 residents × 1,000 = 0.075 -> 0.07 (2 decimals); median of 2, 4, 10 h = 4
    assert (mc2["received"], mc2["per_1000_residents"], mc2["median_hours"]) == (3, 0.07, 4.0)
    assert by_code["06757"]["received"] == 0 and by_code["06757"]["per_1000_residents"] is None
    assert client.get(reverse("api:ward-stats"), {"since": "x"}).status_code == 400
    old = client.get(reverse("api:ward-stats"), {"version": "mong-cai-2024"}).json()
    assert len(old["features"]) == 17


def add_far_wards(n: int) -> None:
    """A third boundary version in force today: `n` square wards far from Móng Cái (listed
    with the current wards, never the answer of a lookup there)."""
    import datetime as dt

    from django.contrib.gis.geos import MultiPolygon, Polygon

    from ward_boundaries.models import BoundaryVersion, Ward

    version = BoundaryVersion.objects.create(name="xa-thu", valid_from=dt.date(2025, 7, 1))
    Ward.objects.bulk_create(
        Ward(
            version=version,
            code=f"9{i:04d}",
            name=f"Xã thử {i}",
            unit_type="xa",
            geom=MultiPolygon(Polygon.from_bbox((105 + i / 50, 20, 105.01 + i / 50, 20.01))),
        )
        for i in range(n)
    )


def add_reports_in_every_ward(per_ward: int) -> None:
    from django.contrib.gis.geos import Point

    from gis_core.models import Category, Report

    category = Category.objects.get(code="khac")
    points = cases.interior_points("mong_cai_wards_2025_derived.geojson")
    Report.objects.bulk_create(
        Report(category=category, description="x", location=Point(x, y, srid=4326))
        for x, y in points.values()
        for _ in range(per_ward)
    )


@pytest.mark.parametrize(
    "params,at_most",
    [
        ({}, 4),  # wards, pending reports, folded id, the counts
        ({"simplify": "5"}, 5),  # and the simplified outlines
    ],
)
def test_ward_list_queries_do_not_grow_with_wards_or_reports(
    client, mong_cai_wards, params, at_most
):
    add_reports_in_every_ward(1)

    def listed() -> tuple[int, int]:
        features = client.get(reverse("api:ward-list"), params).json()["features"]
        return len(features), sum(f["properties"]["report_counts"]["total"] for f in features)

    def add_rows() -> None:
        add_far_wards(20)
        add_reports_in_every_ward(5)

    few, many = assert_queries_flat(listed, add_rows, at_most=at_most)
    assert (few, many) == ((6, 6), (26, 36))


@pytest.mark.parametrize(
    "params,at_most",
    [
        ({}, 1),  # the lookup function, which returns the ward's columns too
        ({"version": "mong-cai-2025"}, 2),  # and the version named
    ],
)
def test_ward_lookup_is_one_query_whatever_the_wards(client, mong_cai_wards, params, at_most):
    x, y = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06736"]

    def looked_up() -> str:
        return client.get(reverse("api:ward-lookup"), {"lon": x, "lat": y, **params}).json()["code"]

    def add_rows() -> None:
        add_far_wards(20)
        add_reports_in_every_ward(5)

    assert assert_queries_flat(looked_up, add_rows, at_most=at_most) == ("06736", "06736")
