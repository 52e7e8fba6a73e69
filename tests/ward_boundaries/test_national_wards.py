"""A partition from etl.national_partition through import_wards: province columns, the
lookup against a shapely oracle (random, shared-edge and vertex points), the bulk assigner,
and ?province= wherever ?ward= filters.

A 50-unit partition of the same generator (three provinces) keeps the imports quick; the
full 3,321 units are checked without a database in tests/etl/test_national_partition.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from io import StringIO

import numpy as np
import pytest
import shapely
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from etl import national_partition as national
from gis_core.models import Category, Report
from gis_core.staff import StaffRole
from layers.hotspots import emerging_hotspots_alert_stored
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.bulk import BulkWardAssigner
from ward_boundaries.models import BoundaryVersion, Ward, WardPart
from ward_boundaries.selectors import provinces_in_force, ward_for_point

pytestmark = pytest.mark.django_db

PROVINCES = [
    ("22", "Tỉnh Quảng Ninh", 20, 107.40, 21.25),
    ("20", "Tỉnh Lạng Sơn", 12, 106.60, 21.85),
    ("01", "Thành phố Hà Nội", 18, 105.70, 21.00),
]
VERSION = "vn-test-national"
FROM = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def partition_file(tmp_path_factory):
    hole, hole_units = national.mong_cai_hole()
    provinces = [(c, n, u - hole_units if c == "22" else u, x, y) for c, n, u, x, y in PROVINCES]
    units = national.generate_units(provinces=provinces, hole=hole, seed=11)
    path = tmp_path_factory.mktemp("national") / "national.geojson"
    national.units_frame(units).to_file(path, driver="GeoJSON", COORDINATE_PRECISION=7)
    return path


@pytest.fixture
def national_wards(partition_file, mong_cai_wards) -> BoundaryVersion:
    out = StringIO()
    call_command(
        "import_wards",
        str(partition_file),
        "--version",
        VERSION,
        "--valid-from",
        FROM.isoformat(),
        stdout=out,
    )
    assert "44 created" in out.getvalue()
    return BoundaryVersion.objects.get(name=VERSION)


def shapes(version: BoundaryVersion) -> dict[str, shapely.Geometry]:
    return {w.code: shapely.from_wkb(bytes(w.geom.wkb)) for w in version.wards.all()}


def test_import_fills_the_province_columns(national_wards):
    wards = Ward.objects.filter(version=national_wards)
    assert wards.count() == 44
    per_province = defaultdict(set)
    for ward in wards:
        per_province[(ward.province_code, ward.province_name)].add(ward.code)
        assert ward.district_code == "" and ward.unit_type in ("phuong", "xa")
    assert {k: len(v) for k, v in per_province.items()} == {
        ("22", "Tỉnh Quảng Ninh"): 14,
        ("20", "Tỉnh Lạng Sơn"): 12,
        ("01", "Thành phố Hà Nội"): 18,
    }
    # The Móng Cái versions say Quảng Ninh too: one province, one name, for the choices.
    assert provinces_in_force(dt.date(2026, 1, 1)) == [
        ("01", "Thành phố Hà Nội"),
        ("20", "Tỉnh Lạng Sơn"),
        ("22", "Tỉnh Quảng Ninh"),
    ]
    assert provinces_in_force(dt.date(2024, 1, 1)) == [("22", "Tỉnh Quảng Ninh")]


def _oracle(all_shapes: dict[str, shapely.Geometry], x: float, y: float) -> set[str]:
    point = shapely.Point(x, y)
    return {code for code, geom in all_shapes.items() if geom.covers(point)}


def test_lookup_matches_a_shapely_oracle_on_random_points(national_wards, mong_cai_wards):
    day = dt.date(2026, 3, 1)
    every = shapes(national_wards) | shapes(mong_cai_wards["2025"])
    rng = np.random.default_rng(3)
    outline = national.outline_polygon()
    x0, y0, x1, y1 = outline.bounds
    points = [
        (x, y)
        for x, y in zip(rng.uniform(x0, x1, 800), rng.uniform(y0, y1, 800), strict=True)
        if outline.contains(shapely.Point(x, y))
    ]
    # And points over Móng Cái, where the two versions meet along the hole's edge.
    points += list(zip(rng.uniform(107.7, 108.1, 150), rng.uniform(21.3, 21.7, 150), strict=True))
    assert len(points) > 300
    inside = 0
    for x, y in points:
        covering = _oracle(every, x, y)
        found = ward_for_point(lon=x, lat=y, at=day)
        if covering:
            inside += 1
            assert found is not None and found.match == "inside", (x, y)
            assert found.ward.code == min(covering), (x, y, covering)
        else:  # off the wiggled coast: nearest within the tolerance, or none
            assert found is None or found.match == "nearest"
    assert inside > 0.9 * len(points) * 0.6


def test_vertices_and_shared_edges_follow_the_boundary_rule(national_wards):
    every = shapes(national_wards)
    owners: dict[tuple[float, float], set[str]] = defaultdict(set)
    segments: dict[frozenset, set[str]] = defaultdict(set)
    for code, geom in every.items():
        for polygon in geom.geoms:
            coords = list(polygon.exterior.coords)
            for xy in coords:
                owners[xy].add(code)
            for a, b in itertools.pairwise(coords):
                segments[frozenset((a, b))].add(code)
    vertices = sorted((xy, codes) for xy, codes in owners.items() if len(codes) >= 2)
    edges = sorted(
        (tuple(np.mean(sorted(seg), axis=0)), codes)
        for seg, codes in segments.items()
        if len(codes) >= 2 and len(seg) == 2
    )
    assert len(vertices) > 100 and len(edges) > 1000
    rng = np.random.default_rng(5)
    # Every node where three units meet, and a sample of the rest.
    picked = [v for v in vertices if len(v[1]) >= 3]
    picked += [vertices[i] for i in rng.choice(len(vertices), 150, replace=False)]
    assert len([v for v in picked if len(v[1]) >= 3]) > 20
    for (x, y), codes in picked:
        found = ward_for_point(lon=x, lat=y, version=national_wards)
        assert found is not None and found.match == "inside"
        # A vertex lies in every ward whose ring holds it: the lowest code wins.
        assert found.ward.code == min(codes | _oracle(every, x, y)), ((x, y), codes)
    for i in rng.choice(len(edges), 300, replace=False):
        (x, y), codes = edges[i]
        found = ward_for_point(lon=float(x), lat=float(y), version=national_wards)
        # A midpoint is on the shared edge up to rounding: one of its two wards, never
        # another, and the lowest code of those whose pieces (ST_Subdivide, what the rule
        # reads; cutting an edge moves it by rounding too) the database finds covering it.
        assert found is not None and found.ward.code in codes
        covering = set(
            WardPart.objects.filter(
                ward__version=national_wards, geom__covers=Point(float(x), float(y), srid=4326)
            ).values_list("ward__code", flat=True)
        )
        if covering:
            assert found.ward.code == min(covering)


@pytest.mark.parametrize("tree_min_shapes", [1, 10**9], ids=["tree", "scan"])
def test_bulk_assignment_agrees_with_the_oracle(national_wards, monkeypatch, tree_min_shapes):
    monkeypatch.setattr("ward_boundaries.bulk.TREE_MIN_SHAPES", tree_min_shapes)
    every = shapes(national_wards)
    rng = np.random.default_rng(9)
    x0, y0, x1, y1 = national.outline_polygon().bounds
    lon, lat = rng.uniform(x0, x1, 5000), rng.uniform(y0, y1, 5000)
    ids = BulkWardAssigner.from_database(version=national_wards).assign_inside(lon, lat, None)
    code_of = dict(national_wards.wards.values_list("id", "code"))
    for i in rng.choice(5000, 600, replace=False):
        covering = _oracle(every, lon[i], lat[i])
        assert (code_of[ids[i]] if ids[i] >= 0 else None) == (min(covering) if covering else None)


def test_bulk_tree_and_scan_agree_over_every_version_and_day(national_wards, monkeypatch):
    """All three versions (Móng Cái 2024 and 2025, national) with validity by day, on random
    points and on the shared vertices, where the tie-break decides."""
    rng = np.random.default_rng(13)
    lon = np.r_[rng.uniform(102.1, 109.5, 20000), rng.uniform(107.7, 108.1, 20000)]
    lat = np.r_[rng.uniform(8.5, 23.4, 20000), rng.uniform(21.3, 21.7, 20000)]
    vertices = cases.shared_vertices("mong_cai_wards_2024_clean.geojson")
    lon = np.r_[lon, [xy[0] for xy, _ in vertices]]
    lat = np.r_[lat, [xy[1] for xy, _ in vertices]]
    days = np.array(["2024-06-01", "2025-06-30", "2025-07-01", "2026-11-23"], dtype="datetime64[D]")
    day = days[rng.integers(0, len(days), lon.size)]
    answers = []
    for threshold in (1, 10**9):
        monkeypatch.setattr("ward_boundaries.bulk.TREE_MIN_SHAPES", threshold)
        answers.append(BulkWardAssigner.from_database().assign_inside(lon, lat, day))
    assert (answers[0] >= 0).sum() > 8000
    np.testing.assert_array_equal(answers[0], answers[1])


# --- ?province= ---------------------------------------------------------------------------


@pytest.fixture
def reports(national_wards):
    """One report in each of two provinces (national wards) and one in Móng Cái, all in 2026."""
    category = Category.objects.get(code="moi_truong")
    made = {}
    for province in ("01", "20"):
        ward = national_wards.wards.filter(province_code=province).order_by("code").first()
        x, y = shapely.from_wkb(bytes(ward.geom.wkb)).point_on_surface().coords[0]
        made[province] = _report(category, x, y, province)
    x, y = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06712"]
    made["22"] = _report(category, x, y, "22")
    for province, report in made.items():
        assert report.ward.province_code == province
    return made


def _report(category, x, y, description) -> Report:
    at = timezone.make_aware(dt.datetime(2026, 3, 2, 9))
    report = Report.objects.create(
        category=category, description=description, location=Point(x, y, srid=4326), reported_at=at
    )
    report.refresh_from_db()
    return report


def _operator() -> User:
    user = User.objects.create_user("op-national", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=StaffRole.OPERATOR)[0])
    return user


BAD = [
    ("99", "Không có tỉnh, thành phố mã 99. Các mã: 01, 20, 22."),
    ("x" * 11, "Mã tỉnh, thành phố không hợp lệ"),
    ("2 2", "Mã tỉnh, thành phố không hợp lệ"),
    ("đà", "Mã tỉnh, thành phố không hợp lệ"),
]


def _assert_refused(response):
    assert response.status_code == 400, response.content[:300]
    assert "province" in response.json()["errors"]


def test_public_lists_and_sums_filter_by_province(client, reports):
    api = APIClient()
    list_url = reverse("api:report-list")
    for province in ("01", "20", "22"):
        body = api.get(list_url, {"province": province, "since": "2026-01-01"}).json()
        assert [f["properties"]["description"] for f in body["features"]] == [province]
        for name in ("api:report-heat", "api:report-grid"):
            answer = api.get(reverse(name), {"province": province, "since": "2026-01-01"}).json()
            assert answer["total"] == 1, (name, province)
        count = api.get(
            reverse("api:report-count"), {"province": province, "bbox": "102,8,110,24"}
        ).json()
        assert count["count"] == 1, count
    both = api.get(list_url, {"province": "22", "ward": "06712"}).json()
    assert both["count"] == 1
    assert api.get(list_url, {"province": "01", "ward": "06712"}).json()["count"] == 0
    assert api.get(list_url).json()["count"] == 3
    for value, message in BAD:
        refused = api.get(list_url, {"province": value})
        _assert_refused(refused)
        assert message in refused.json()["errors"]["province"][0]
    english = api.get(list_url, {"province": "99"}, HTTP_ACCEPT_LANGUAGE="en")
    _assert_refused(english)
    for name in ("api:report-heat", "api:report-grid", "api:report-count"):
        _assert_refused(api.get(reverse(name), {"province": "99", "bbox": "102,8,110,24"}))


def test_tiles_and_exports_filter_by_province(reports):
    api = APIClient()
    tile = reverse("tiles:reports", args=[5, 25, 14])
    assert api.get(tile, {"province": "01"}).status_code == 200
    _assert_refused(api.get(tile, {"province": "x" * 11}))
    export = reverse("api:export-reports", kwargs={"fmt": "csv"})
    response = api.get(export, {"province": "20"})
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    assert "\n20," in body or ",20," in body or "20\r\n" in body or '"20"' in body
    assert body.count("\n") == 2  # a header and one row
    _assert_refused(api.get(export, {"province": "99"}))


def test_wards_and_ward_stats_filter_by_province(national_wards):
    api = APIClient()
    wards = api.get(reverse("api:ward-list"), {"province": "20", "date": "2026-01-01"}).json()
    assert len(wards["features"]) == 12
    assert {f["properties"]["province_code"] for f in wards["features"]} == {"20"}
    quang_ninh = api.get(reverse("api:ward-list"), {"province": "22"}).json()["features"]
    assert {f["properties"]["version"] for f in quang_ninh} == {VERSION, "mong-cai-2025"}
    stats = api.get(reverse("api:ward-stats"), {"province": "01"}).json()
    assert len(stats["features"]) == 18
    _assert_refused(api.get(reverse("api:ward-list"), {"province": "99"}))
    _assert_refused(api.get(reverse("api:ward-stats"), {"province": "x" * 11}))


def test_staff_queue_api_and_page_filter_by_province(client, reports):
    # The page runs the real emerging-hotspot alert (its cache is cold): Gi* over every hex
    # of the wards in force, 4.4 million at 300 m over this partition of the whole country.
    cache.clear()
    operator = _operator()
    api = APIClient()
    api.force_login(operator)
    client.force_login(operator)
    body = api.get(reverse("api:staff-report-list"), {"province": "20"}).json()
    assert [f["properties"]["description"] for f in body["features"]] == ["20"]
    _assert_refused(api.get(reverse("api:staff-report-list"), {"province": "99"}))
    page = client.get(reverse("web_map:staff-queue"), {"province": "01"}).content.decode()
    assert 'name="province"' in page
    assert '<option value="01" selected>Thành phố Hà Nội (01)</option>' in page
    # The ward dropdown shrinks to the chosen province's wards.
    assert page.count('<option value="9') == 18
    bad = client.get(reverse("web_map:staff-queue"), {"province": "99"}).content.decode()
    assert "Không có tỉnh, thành phố mã 99" in bad
    # The page computed the alert and stored it: three lone reports make no hotspot.
    assert emerging_hotspots_alert_stored() == []


def test_planner_offers_the_provinces(client, national_wards):
    client.force_login(_operator())
    page = client.get(reverse("web_map:planner")).content.decode()
    assert '"provinces": [{"code": "01"' in page
    assert 'id="pl-province"' in page


def test_one_city_gets_no_province_control(client, mong_cai_wards):
    client.force_login(_operator())
    page = client.get(reverse("web_map:staff-queue")).content.decode()
    assert 'name="province"' not in page
    assert 'name="ward"' in page
    planner = client.get(reverse("web_map:planner")).content.decode()
    assert '"provinces": [{"code": "22", "name": ' in planner
    assert '"code": "01"' not in planner


def test_planner_export_filters_by_province(client, reports, national_wards):
    client.force_login(_operator())
    url = reverse("web_map:planner-export")
    response = client.get(url, {"province": "20", "layers": "wards,reports"})
    assert response.status_code == 200, response.content[:300]
    assert response["X-Report-Count"] == "1"
    assert response["Content-Disposition"].startswith('attachment; filename="ban-do-tinh-20')
    html = response.content.decode()
    codes = dict(national_wards.wards.values_list("code", "province_code"))
    drawn = {code for code in codes if f'"code": "{code}"' in html}
    assert drawn == {code for code, province in codes.items() if province == "20"}
    # Quảng Ninh: the national version's units and Móng Cái's, and the Móng Cái report.
    quang_ninh = client.get(url, {"province": "22", "layers": "wards,reports"})
    assert quang_ninh["X-Report-Count"] == "1"
    assert '"code": "06712"' in quang_ninh.content.decode()
    both = client.get(url, {"province": "22", "ward": "06712", "layers": "reports"})
    assert both.status_code == 200 and both["X-Report-Count"] == "1"
    elsewhere = client.get(url, {"province": "01", "ward": "06712"})
    assert elsewhere.status_code == 400
    assert elsewhere.json()["errors"] == {
        "ward": ["Phường/xã 06712 không thuộc tỉnh, thành phố 01."]
    }
    for value, message in BAD:
        refused = client.get(url, {"province": value})
        assert refused.status_code == 400
        assert list(refused.json()["errors"]) == ["province"]
        assert message in refused.json()["errors"]["province"][0]
    every = client.get(url, {"layers": "reports"})
    assert every["X-Report-Count"] == "3"
    assert every["Content-Disposition"].startswith('attachment; filename="ban-do-thanh-pho')
