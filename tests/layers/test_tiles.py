"""Vector tiles decode (mapbox-vector-tile) to the expected features; caching follows writes."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from layers.heat import report_heat
from layers.tiles import tile_bounds
from tests.layers.factories import CITY
from tests.query_count import assert_queries_flat
from tests.tile_math import tile_xy, tiles_over

pytestmark = pytest.mark.django_db

SPOT = (107.97, 21.53)  # (lon, lat) in Móng Cái, where the tests put their reports


def get_tile(client, kind, z, x, y, **params):
    return client.get(reverse(f"tiles:{kind}", args=[z, x, y]), params)


def decode(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    if not response.content:
        return []
    layers = mapbox_vector_tile.decode(response.content)
    return layers.get("reports", layers.get("pois", {"features": []}))["features"]


@pytest.mark.parametrize("z", [9, 12, 14])
def test_aggregated_tiles_count_every_report_once(many_reports, z):
    client = APIClient()
    total = 0
    for x, y in tiles_over(CITY, z):
        for feature in decode(get_tile(client, "reports", z, x, y)):
            assert feature["geometry"]["type"] == "Point"
            gx, gy = feature["geometry"]["coordinates"]
            assert 0 <= gx <= 4096 and 0 <= gy <= 4096
            assert set(feature["properties"]) == {"count"}
            total += feature["properties"]["count"]
    assert total == many_reports


def test_a_tile_holds_the_heatmap_cells_of_its_area(many_reports):
    z, (x, y) = 12, tile_xy(*SPOT, 12)
    b = tile_bounds(z, x, y)
    _, cells = report_heat(zoom=z)
    expected = sorted(
        n for lat, lon, n in cells if b.west <= lon < b.east and b.south <= lat < b.north
    )
    got = sorted(
        f["properties"]["count"] for f in decode(get_tile(APIClient(), "reports", z, x, y))
    )
    assert got == expected and got
    # A filter is applied inside the tile.
    filtered = decode(get_tile(APIClient(), "reports", z, x, y, category="ha_tang"))
    assert sum(f["properties"]["count"] for f in filtered) < sum(got)


def test_fine_tiles_carry_reports_with_public_fields_only(mong_cai_wards):
    category = Category.objects.get(code="moi_truong")
    report = Report.objects.create(
        category=category,
        description="secret phone inside",
        location=Point(SPOT[0] + 1e-4, SPOT[1] + 1e-4, srid=4326),
        contact_name="Nguyễn Văn A",
        contact_phone="+84912345678",
    )
    Report.objects.create(
        category=category, description="far", location=Point(108.05, 21.48, srid=4326)
    )
    z = 16
    x, y = tile_xy(*report.location.coords, z)
    features = decode(get_tile(APIClient(), "reports", z, x, y))
    assert [f["properties"] for f in features] == [
        {"id": str(report.public_id), "category": "moi_truong", "status": "received"}
    ]
    assert b"84912345678" not in get_tile(APIClient(), "reports", z, x, y).content
    assert decode(get_tile(APIClient(), "reports", z, x, y, status="resolved")) == []


def test_cache_headers_and_invalidation_by_writes(
    mong_cai_wards, django_capture_on_commit_callbacks
):
    client = APIClient()
    z, (x, y) = 12, tile_xy(*SPOT, 12)
    first = get_tile(client, "reports", z, x, y)
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    assert decode(first) == []
    again = get_tile(client, "reports", z, x, y)
    assert again["ETag"] == etag
    not_modified = client.get(reverse("tiles:reports", args=[z, x, y]), HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not not_modified.content
    # A write makes the cached tile stale: a new ETag and the new report in the tile.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Report.objects.create(
            category=Category.objects.get(code="khac"),
            description="x",
            location=Point(*SPOT, srid=4326),
        )
    assert callbacks  # the post-commit bump
    fresh = get_tile(client, "reports", z, x, y)
    assert fresh["ETag"] != etag
    assert [f["properties"]["count"] for f in decode(fresh)] == [1]


def test_bad_tiles_and_filters_are_400_naming_the_parameter():
    client = APIClient()
    bad = get_tile(client, "reports", 3, 2**3, 0)  # one column east of the last
    assert bad.status_code == 400 and "tile" in bad.json()["errors"]
    bad = get_tile(client, "reports", 23, 0, 0)  # finer than the deepest zoom
    assert bad.status_code == 400
    bad = get_tile(client, "reports", 10, 0, 0, status="nope", since="hôm qua")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"status", "since"}
    # The whole world at zoom 0 is a valid (empty) tile.
    assert get_tile(client, "reports", 0, 0, 0).status_code == 200
    assert get_tile(client, "pois", 0, 0, 0).status_code == 200


def test_poi_tiles(tourism_pois):
    from layers.models import PointOfInterest

    poi = PointOfInterest.objects.first()
    z = 15
    x, y = tile_xy(poi.location.x, poi.location.y, z)
    features = decode(get_tile(APIClient(), "pois", z, x, y))
    names = {f["properties"]["name"] for f in features}
    assert poi.name in names
    assert set(features[0]["properties"]) >= {"id", "name", "layer", "category"}
    other = decode(get_tile(APIClient(), "pois", z, x, y, layer="no-such-layer"))
    assert other == []


def test_a_submission_through_the_api_reaches_a_cached_tile(mong_cai_wards):
    """The submission's SQL path sends no signal: the newest report id moves the ETag."""
    client = APIClient()
    z, (x, y) = 12, tile_xy(*SPOT, 12)
    before = get_tile(client, "reports", z, x, y)
    assert decode(before) == []
    created = client.post(
        reverse("api:report-list"),
        {"category": "moi_truong", "description": "Rác", "lon": SPOT[0], "lat": SPOT[1]},
        format="json",
    )
    assert created.status_code == 201
    after = get_tile(client, "reports", z, x, y)
    assert after["ETag"] != before["ETag"]
    assert [f["properties"]["count"] for f in decode(after)] == [1]


def add_reports_east_of(lon: float, lat: float, n: int) -> None:
    """`n` reports a metre apart eastwards from (lon, lat): within one tile up to zoom 16."""
    category = Category.objects.get(code="moi_truong")
    Report.objects.bulk_create(
        Report(category=category, description=f"r{i}", location=Point(lon + i * 1e-5, lat))
        for i in range(n)
    )


@pytest.mark.parametrize(
    "z,at_most",
    [
        (12, 4),  # generation, pending reports, folded id, the cells' tile
        (16, 2),  # generation, the reports' tile
    ],
)
def test_report_tile_queries_do_not_grow_with_its_reports(mong_cai_wards, z, at_most):
    add_reports_east_of(*SPOT, 3)
    x, y = tile_xy(*SPOT, z)

    def reports_in_tile() -> int:
        features = decode(get_tile(APIClient(), "reports", z, x, y))
        return sum(f["properties"].get("count", 1) for f in features)

    few, many = assert_queries_flat(
        reports_in_tile, lambda: add_reports_east_of(SPOT[0] + 1e-4, SPOT[1], 40), at_most=at_most
    )
    assert (few, many) == (3, 43)


def test_poi_tile_queries_do_not_grow_with_its_pois(
    tourism_pois, django_capture_on_commit_callbacks
):
    from layers.models import PointOfInterest

    poi = PointOfInterest.objects.first()
    z = 15
    x, y = tile_xy(poi.location.x, poi.location.y, z)

    def pois_in_tile() -> int:
        return len(decode(get_tile(APIClient(), "pois", z, x, y)))

    def add_pois() -> None:
        # Saved one by one, so the post-commit signal makes the cached tile stale.
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(1, 31):
                PointOfInterest.objects.create(
                    layer=poi.layer,
                    name=f"Điểm {i}",
                    source_id=f"test/{i}",
                    location=Point(poi.location.x + i * 1e-6, poi.location.y, srid=4326),
                )

    few, many = assert_queries_flat(pois_in_tile, add_pois, at_most=2)  # generation, tile
    assert many == few + 30
