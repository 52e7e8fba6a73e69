"""Hotspot detection on real PostGIS and the real Móng Cái wards: a planted cluster is found in
its ward, uniform noise gives nothing (the false-positive check), emerging is told apart from
persistent, and the API speaks GeoJSON with field-named errors."""

from __future__ import annotations

import datetime as dt
import math
from io import StringIO

import numpy as np
import pytest
import shapely
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from layers.hotspots import find_hotspots, hex_radius, previous_period
from tests.conftest import WARDS_2025
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db

SINCE, UNTIL = dt.date(2025, 9, 1), dt.date(2025, 11, 29)  # 90 days, 2025 wards in force
PREVIOUS = previous_period(SINCE, UNTIL)  # 2025-06-03 .. 2025-08-31
CENTRES = cases.interior_points("mong_cai_wards_2025_derived.geojson")
M_PER_DEG_LAT = 110_574.0


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wards(mong_cai_wards):
    return mong_cai_wards


def _area():
    return shapely.union_all(list(cases.ward_shapes(WARDS_2025.name).values()))


def uniform_points(n: int, seed: int) -> list[tuple[float, float]]:
    """n points uniform over the union of the 2025 wards (rejection sampling in its box)."""
    area = _area()
    shapely.prepare(area)
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = area.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        x = rng.uniform(minx, maxx, 4 * n)
        y = rng.uniform(miny, maxy, 4 * n)
        keep = shapely.contains_xy(area, x, y)
        out.extend(zip(x[keep].tolist(), y[keep].tolist(), strict=True))
    return out[:n]


def disc_points(centre, n: int, radius_m: float, seed: int) -> list[tuple[float, float]]:
    """n points uniform in a disc of radius_m metres around (lon, lat)."""
    rng = np.random.default_rng(seed)
    lon, lat = centre
    dist = radius_m * np.sqrt(rng.uniform(0, 1, n))
    angle = rng.uniform(0, 2 * math.pi, n)
    dlat = dist * np.sin(angle) / M_PER_DEG_LAT
    dlon = dist * np.cos(angle) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return list(zip((lon + dlon).tolist(), (lat + dlat).tolist(), strict=True))


def add_reports(points, *, start: dt.date, days: int, seed: int, code: str = "moi_truong"):
    """Reports at `points`, spread over `days` local days from `start` (one INSERT)."""
    category = Category.objects.get(code=code)
    rng = np.random.default_rng(seed)
    base = timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0)))
    offsets = rng.uniform(0, days * 86400 - 1, len(points))
    Report.objects.bulk_create(
        Report(
            category=category,
            description="x",
            location=Point(lon, lat, srid=4326),
            reported_at=base + dt.timedelta(seconds=float(s)),
        )
        for (lon, lat), s in zip(points, offsets, strict=True)
    )


def current(points, seed, **kw):
    add_reports(points, start=SINCE, days=(UNTIL - SINCE).days + 1, seed=seed, **kw)


def before(points, seed, **kw):
    add_reports(points, start=PREVIOUS[0], days=(PREVIOUS[1] - PREVIOUS[0]).days + 1, seed=seed)


def distance_m(a, b) -> float:
    dlat = (a[1] - b[1]) * M_PER_DEG_LAT
    dlon = (a[0] - b[0]) * M_PER_DEG_LAT * math.cos(math.radians(a[1]))
    return math.hypot(dlat, dlon)


def test_planted_cluster_is_found_in_its_ward(wards):
    # 150 reports within 150 m in Móng Cái 2 (06709), among 1,500 uniform over the city.
    planted = CENTRES["06709"]
    current(disc_points(planted, 150, 150, seed=1) + uniform_points(1500, seed=2), seed=3)
    result = find_hotspots(category="moi_truong", since=SINCE, until=UNTIL)
    assert len(result.clusters) == 1, [(c.ward_code, c.report_count) for c in result.clusters]
    cluster = result.clusters[0]
    assert (cluster.ward_code, cluster.ward_name) == ("06709", "Móng Cái 2")
    # A 300 m disc spans 2-5 hexes 300 m across; noise adds ~0.2 report per hex (1,500 over
    # ~6,700 hexes), so the count is the 150 planted plus at most a handful.
    assert 150 <= cluster.report_count <= 160
    assert 2 <= cluster.hex_count <= 7
    assert distance_m((cluster.lon, cluster.lat), planted) < 100
    assert cluster.max_z > 10
    assert cluster.geometry["type"] in ("Polygon", "MultiPolygon")
    # The grid holds the zeros of the whole study area, not only the hexes with reports.
    cells = result.cells
    assert len(cells) > 5000 and sum(c.count for c in cells) == 1650
    assert sum(c.cluster_id == 1 for c in cells) == cluster.hex_count
    # Nothing in the previous period: every cluster is new.
    assert cluster.emerging and cluster.previous_count == 0 and cluster.change_pct is None
    # Another category sees none of it.
    assert find_hotspots(category="ha_tang", since=SINCE, until=UNTIL).clusters == []


def test_uniform_noise_gives_no_cluster(wards):
    # The false-positive check: 1,500 reports uniform over the city. Gi* alone at p < 0.05
    # flags some 5 % of ~6,700 hexes; the FDR correction must leave none.
    current(uniform_points(1500, seed=11), seed=12)
    result = find_hotspots(category="moi_truong", since=SINCE, until=UNTIL)
    assert result.clusters == []
    assert not any(c.significant for c in result.cells)
    raw = sum(c.p < 0.05 and c.z > 0 for c in result.cells)
    assert raw > 20  # uncorrected, noise does look "significant" here and there


def test_emerging_versus_persistent(wards):
    old, new = CENTRES["06712"], CENTRES["06724"]  # Móng Cái 1 (both periods), Hải Sơn (now)
    current(
        disc_points(old, 120, 150, seed=21)
        + disc_points(new, 120, 150, seed=22)
        + uniform_points(1500, seed=23),
        seed=24,
    )
    before(disc_points(old, 100, 150, seed=25) + uniform_points(1500, seed=26), seed=27)
    result = find_hotspots(category="moi_truong", since=SINCE, until=UNTIL)
    by_ward = {c.ward_code: c for c in result.clusters}
    assert set(by_ward) == {"06712", "06724"}
    assert not by_ward["06712"].emerging
    assert 100 <= by_ward["06712"].previous_count <= 110
    assert by_ward["06712"].change_pct == pytest.approx(
        100 * (by_ward["06712"].report_count - by_ward["06712"].previous_count)
        / by_ward["06712"].previous_count, abs=0.1,
    )  # fmt: skip
    assert by_ward["06724"].emerging and by_ward["06724"].previous_count <= 5
    assert [c.ward_code for c in result.emerging] == ["06724"]
    assert result.previous_since == PREVIOUS[0] and result.previous_until == PREVIOUS[1]


def test_hex_size_changes_the_grid(wards):
    # 300 reports within 600 m: several hexes at either size (a concentration that fits in
    # one hex is a high outlier, not a cluster of high values; see docs/hotspots.md).
    planted = CENTRES["06709"]
    current(disc_points(planted, 300, 600, seed=31) + uniform_points(800, seed=33), seed=32)
    small = find_hotspots(category=None, since=SINCE, until=UNTIL, hex_size_m=300)
    large = find_hotspots(category=None, since=SINCE, until=UNTIL, hex_size_m=600)
    assert len(large.cells) < len(small.cells) / 3
    for result in (small, large):
        assert [c.ward_code for c in result.clusters] == ["06709"]
        assert 300 <= result.clusters[0].report_count <= 320
    assert small.clusters[0].hex_count > large.clusters[0].hex_count
    # Neighbouring hex centres are one hex width apart.
    r = hex_radius(300)
    assert 1.5 * r * math.sqrt(1 + 1 / 3) == pytest.approx(300)


@pytest.fixture
def staff_client(db):
    """A signed-in staff member: only staff start an analysis from the API."""
    user = User.objects.create_user("planner", password="x", is_staff=True)
    client = APIClient()
    client.force_login(user)
    return client


def test_api_geojson_and_errors(wards, staff_client):
    client = staff_client
    url = reverse("api:hotspots")
    current(disc_points(CENTRES["06709"], 150, 150, seed=41) + uniform_points(800, 42), seed=43)
    params = {"category": "moi_truong", "since": SINCE.isoformat(), "until": UNTIL.isoformat()}
    body = client.get(url, params).json()
    assert body["type"] == "FeatureCollection"
    assert body["parameters"]["hex_size_m"] == 300
    assert body["previous_since"] == PREVIOUS[0].isoformat()
    [feature] = body["features"]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    props = feature["properties"]
    assert set(props) >= {
        "id", "lon", "lat", "hex_count", "report_count", "ward_code", "ward_name", "max_z",
        "previous_count", "change_pct", "emerging",
    }  # fmt: skip
    assert props["ward_code"] == "06709" and props["emerging"] is True
    # Cached: a new report does not change the answer until the cache expires.
    current(disc_points(CENTRES["06724"], 150, 150, seed=44), seed=45)
    assert len(client.get(url, params).json()["features"]) == 1
    cache.clear()
    assert len(client.get(url, params).json()["features"]) == 2

    bad = client.get(url, {"since": "2025-13-01", "until": "x", "hex_size": "10"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"since", "until", "hex_size"}
    reversed_dates = client.get(url, {"since": "2025-10-01", "until": "2025-09-01"})
    assert reversed_dates.status_code == 400 and set(reversed_dates.json()["errors"]) == {"since"}
    unknown = client.get(url, {"category": "nope"})
    assert unknown.status_code == 400 and set(unknown.json()["errors"]) == {"category"}
    assert client.get(url, {"hex_size": "abc"}).status_code == 400


def test_api_defaults_to_the_last_90_days(wards):
    # Anonymous callers read what the precompute command stored (the default period).
    call_command("precompute_hotspots", stdout=StringIO())
    body = APIClient().get(reverse("api:hotspots")).json()
    today = timezone.localdate()
    assert body["until"] == today.isoformat()
    assert body["since"] == (today - dt.timedelta(days=89)).isoformat()
    assert body["features"] == []
