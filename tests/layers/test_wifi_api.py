"""GET /api/v1/wifi/nearest/: the demo WiFi sites nearest to a point."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pyproj import Geod

from etl.wifi_demo import DEMO_WIFI_SITES

pytestmark = pytest.mark.django_db

GEOD = Geod(ellps="WGS84")


def _get(client, **params):
    return client.get(reverse("api:wifi-nearest"), params)


def test_nearest_wifi_to_the_temple(client, demo_wifi):
    body = _get(client, lon=107.965281, lat=21.533804, limit=2).json()
    first, second = body["features"]
    assert first["properties"]["name"] == "Đền Xã Tắc"
    assert first["properties"]["distance_m"] < 10
    assert first["properties"]["is_demo"] is True
    assert first["properties"]["ward"]["code"] == "06709"
    assert second["properties"]["distance_m"] >= first["properties"]["distance_m"]


def test_nearest_wifi_order_matches_pyproj(client, demo_wifi):
    lon, lat = 108.03, 21.49
    expected = sorted((GEOD.inv(lon, lat, x, y)[2], name) for name, x, y, *_ in DEMO_WIFI_SITES)
    body = _get(client, lon=lon, lat=lat, limit=50).json()
    assert [f["properties"]["name"] for f in body["features"]] == [n for _, n in expected]
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == pytest.approx([m for m, _ in expected], abs=0.05)


def test_default_limit_is_five(client, demo_wifi):
    assert len(_get(client, lon=107.97, lat=21.53).json()["features"]) == 5


def test_no_sites_is_an_empty_collection(client, db):
    body = _get(client, lon=107.97, lat=21.53).json()
    assert body == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, ["lon", "lat"]),
        ({"lon": 107.97}, ["lat"]),
        ({"lon": "x", "lat": 21.5}, ["lon"]),
        ({"lon": 107.97, "lat": 95}, ["lat"]),
        ({"lon": 107.97, "lat": 21.5, "limit": 51}, ["limit"]),
        ({"lon": 107.97, "lat": 21.5, "limit": 0}, ["limit"]),
    ],
)
def test_bad_input_is_400(client, demo_wifi, params, fields):
    response = _get(client, **params)
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == sorted(fields)
