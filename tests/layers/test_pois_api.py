"""GET /api/v1/pois/: diacritic-insensitive search, nearest first with geodesic distances."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pyproj import Geod

from layers.models import PointOfInterest

pytestmark = pytest.mark.django_db

GEOD = Geod(ellps="WGS84")


def _get(client, **params):
    return client.get(reverse("api:poi-list"), params)


def _names(body) -> list[str]:
    return [f["properties"]["name"] for f in body["features"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("tra co", {"Bãi Trà Cổ", "Biểu tượng du lịch ngã ba Trà Cổ"}),
        ("TRÀ CỔ", {"Bãi Trà Cổ", "Biểu tượng du lịch ngã ba Trà Cổ"}),
        ("den xa tac", {"Đền Xã Tắc"}),
        ("Đền xã TẮC", {"Đền Xã Tắc"}),
        ("bãi", {"Bãi Trà Cổ", "Bãi Đá Đen"}),
        ("nothing like this", set()),
    ],
)
def test_search_ignores_case_and_diacritics(client, tourism_pois, q, expected):
    response = _get(client, q=q)
    assert response.status_code == 200
    assert set(_names(response.json())) == expected


def test_search_matches_the_english_name(client, tourism_pois):
    PointOfInterest.objects.filter(name="Đền Xã Tắc").update(name_en="Xa Tac Temple")
    assert _names(_get(client, q="temple").json()) == ["Đền Xã Tắc"]


def test_geojson_shape_and_filters(client, tourism_pois):
    body = _get(client, layer="tourism", category="bai_bien").json()
    assert body["type"] == "FeatureCollection"
    assert sorted(_names(body)) == ["Bãi Trà Cổ", "Bãi Đá Đen"]
    feature = next(f for f in body["features"] if f["properties"]["name"] == "Bãi Trà Cổ")
    assert feature["geometry"] == {"type": "Point", "coordinates": [108.049323, 21.481915]}
    props = feature["properties"]
    assert isinstance(feature["id"], int)
    assert props["ward"] == {"code": "06712", "name": props["ward"]["name"]}
    assert props["ward_match"] == "nearest"
    assert props["tags"] == ["beach", "famous"]
    assert props["distance_m"] is None
    assert props["licence"].startswith("ODbL")
    assert "ward_id" not in props and "source_id" not in props
    assert _names(_get(client, layer="other").json()) == []


def test_limit_without_near(client, tourism_pois):
    assert len(_get(client).json()["features"]) == 8
    assert len(_get(client, limit=3).json()["features"]) == 3


@pytest.mark.parametrize(
    "near", [(107.9660, 21.5246), (108.05, 21.49), (107.90, 21.60), (108.0117, 21.4839)]
)
def test_near_orders_by_geodesic_distance(client, tourism_pois, near):
    lon, lat = near
    expected = []
    for poi in PointOfInterest.objects.all():
        _, _, metres = GEOD.inv(lon, lat, poi.location.x, poi.location.y)
        expected.append((metres, poi.name))
    expected.sort()
    for limit in (1, 3, 8):
        body = _get(client, near=f"{lon},{lat}", limit=limit).json()
        assert _names(body) == [name for _, name in expected[:limit]]
        distances = [f["properties"]["distance_m"] for f in body["features"]]
        assert distances == pytest.approx([m for m, _ in expected[:limit]], abs=0.05)


def test_near_is_geodesic_where_planar_degrees_disagree(client, tourism_pois):
    # Here the nearest in plain lon/lat degrees is the water park (a degree of longitude is
    # 7 % shorter than one of latitude at 21.5° N); on the ground it is the Trà Cổ junction.
    body = _get(client, near="107.9714,21.4823", limit=1).json()
    assert [f["properties"]["name"] for f in body["features"]] == [
        "Biểu tượng du lịch ngã ba Trà Cổ"
    ]


def test_near_combines_with_search(client, tourism_pois):
    body = _get(client, q="tra co", near="108.0117,21.4839").json()
    assert _names(body) == ["Biểu tượng du lịch ngã ba Trà Cổ", "Bãi Trà Cổ"]
    assert body["features"][0]["properties"]["distance_m"] < 10


def test_near_with_no_match_is_empty(client, tourism_pois):
    assert _get(client, q="zzz", near="108,21.5").json()["features"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"near": "abc"}, "near"),
        ({"near": "108"}, "near"),
        ({"near": "108,21.5,3"}, "near"),
        ({"near": "200,21.5"}, "near"),
        ({"near": "108,nan"}, "near"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_bad_input_is_400_with_field_errors(client, tourism_pois, params, field):
    response = _get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]


def test_limit_200_is_allowed(client, tourism_pois):
    assert _get(client, limit=200).status_code == 200


def test_photo_url_is_an_absolute_media_url(client, tourism_pois, monkeypatch, settings):
    from tests.layers.poi_photo import give_photo

    temple = PointOfInterest.objects.get(name="Đền Xã Tắc")
    stored = give_photo(temple, monkeypatch)
    body = _get(client, q="tra co").json()
    assert {f["properties"]["photo_url"] for f in body["features"]} == {None}
    [feature] = _get(client, q="den xa tac").json()["features"]
    url = feature["properties"]["photo_url"]
    assert url == f"http://testserver{settings.MEDIA_URL}{stored}"
    # The URL serves the PNG that was stored.
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # Nearest-first results carry it too.
    near = _get(client, near="107.965281,21.533804", limit=1).json()["features"]
    assert near[0]["properties"]["photo_url"] == url
