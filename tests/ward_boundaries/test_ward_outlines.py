"""GET /api/v1/wards/?simplify=: outlines for drawing, lighter, while the default response and
the lookup keep the full polygons; bad tolerances are a 400 naming `simplify`."""

from __future__ import annotations

import gzip
import json

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.urls import reverse
from rest_framework.test import APIClient
from shapely.geometry import shape

from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
URL = "/api/v1/wards/"


def vertices(geometry: dict) -> int:
    return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)


def decimals(geometry: dict) -> int:
    coords = [c for polygon in geometry["coordinates"] for ring in polygon for p in ring for c in p]
    return max(len(repr(c).split(".")[1]) if "." in repr(c) else 0 for c in coords)


def test_default_response_is_the_full_polygons(mong_cai_wards):
    body = APIClient().get(URL).json()
    for feature in body["features"]:
        ward = Ward.objects.get(code=feature["id"], version__name="mong-cai-2025")
        assert feature["geometry"] == json.loads(ward.geom.json)


def test_simplified_outlines_are_lighter_and_keep_everything_else(mong_cai_wards):
    client = APIClient()
    full = client.get(URL, {"version": "mong-cai-2024"}).json()
    light = client.get(URL, {"version": "mong-cai-2024", "simplify": "200"}).json()
    assert [f["id"] for f in light["features"]] == [f["id"] for f in full["features"]]
    assert [f["properties"] for f in light["features"]] == [
        f["properties"] for f in full["features"]
    ]
    total_full = sum(vertices(f["geometry"]) for f in full["features"])
    total_light = sum(vertices(f["geometry"]) for f in light["features"])
    assert total_light < total_full * 0.8
    for simple, exact in zip(light["features"], full["features"], strict=True):
        # For drawing only: parts simplified on their own may touch (never used for lookups).
        assert simple["geometry"]["type"] == "MultiPolygon"
        assert len(simple["geometry"]["coordinates"]) == len(exact["geometry"]["coordinates"])
        # Within the tolerance of the original (200 m is about 0.0018 degrees).
        distance = shape(simple["geometry"]).hausdorff_distance(shape(exact["geometry"]))
        assert distance <= 200 / 111_320 * 1.01
        assert decimals(simple["geometry"]) <= 6
    # A tolerance below the data's detail drops next to nothing (repeated or collinear points).
    fine = client.get(URL, {"simplify": "0.5"}).json()
    exact = client.get(URL).json()
    kept = sum(vertices(f["geometry"]) for f in fine["features"])
    assert kept >= 0.97 * sum(vertices(f["geometry"]) for f in exact["features"])
    for simple, full_feature in zip(fine["features"], exact["features"], strict=True):
        distance = shape(simple["geometry"]).hausdorff_distance(shape(full_feature["geometry"]))
        assert distance <= 0.5 / 111_320 * 1.01


def test_the_lookup_keeps_the_full_polygons(mong_cai_wards):
    """A point inside a ward's full polygon but outside its heavily simplified outline still
    gets that ward: the outlines are for drawing only."""
    client = APIClient()
    ward = Ward.objects.get(code="06712", version__name="mong-cai-2025")
    outline = client.get(URL, {"simplify": "1000"}).json()
    simple = next(f for f in outline["features"] if f["id"] == "06712")
    simplified = GEOSGeometry(json.dumps(simple["geometry"]), srid=4326)
    difference = ward.geom.difference(simplified)
    assert not difference.empty
    inside = difference.point_on_surface
    assert ward.geom.contains(inside) and not simplified.contains(inside)
    found = client.get(reverse("api:ward-lookup"), {"lon": inside.x, "lat": inside.y}).json()
    assert found["code"] == "06712" and found["match"] == "inside"


@pytest.mark.parametrize("bad", ["abc", "0", "0.1", "5000", "nan", "inf", "-3"])
def test_bad_tolerances_are_400_naming_simplify(mong_cai_wards, bad):
    response = APIClient().get(URL, {"simplify": bad})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"simplify"}


def test_large_answers_are_gzipped_for_clients_that_accept_it(mong_cai_wards):
    client = APIClient()
    plain = client.get(URL, {"version": "mong-cai-2024"})
    packed = client.get(URL, {"version": "mong-cai-2024"}, HTTP_ACCEPT_ENCODING="gzip, br")
    assert not plain.has_header("Content-Encoding")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
