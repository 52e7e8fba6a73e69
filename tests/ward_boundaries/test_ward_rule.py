"""The ward rule on the real Móng Cái polygons, through the database trigger and the lookup."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import timezone

from gis_core.models import Category, Report
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward
from ward_boundaries.selectors import ward_for_point

pytestmark = pytest.mark.django_db

IN_2024 = timezone.make_aware(dt.datetime(2024, 5, 1, 9, 0))
IN_2026 = timezone.make_aware(dt.datetime(2026, 3, 1, 9, 0))


def make_report(lon: float, lat: float, when: dt.datetime = IN_2024) -> Report:
    report = Report.objects.create(
        category=Category.objects.get(code="moi_truong"),
        description="Rác thải",
        location=Point(lon, lat, srid=4326),
        reported_at=when,
    )
    report.refresh_from_db()
    return report


def test_interior_points_of_every_ward_in_both_versions(mong_cai_wards):
    for code, (x, y) in cases.interior_points("mong_cai_wards_2024_clean.geojson").items():
        report = make_report(x, y, IN_2024)
        assert (report.ward.code, report.ward.version.name) == (code, "mong-cai-2024"), code
        assert report.ward_match == "inside" and report.ward_distance_m is None
    for code, (x, y) in cases.interior_points("mong_cai_wards_2025_derived.geojson").items():
        report = make_report(x, y, IN_2026)
        assert (report.ward.code, report.ward.version.name) == (code, "mong-cai-2025"), code


def test_same_point_gets_the_ward_valid_at_the_report_time(mong_cai_wards):
    # Hải Hoà (06742) merged into Móng Cái 1 (06712) on 2025-07-01.
    x, y = cases.interior_points("mong_cai_wards_2024_clean.geojson")["06742"]
    last_day_old = timezone.make_aware(dt.datetime(2025, 6, 30, 23, 30))
    first_day_new = timezone.make_aware(dt.datetime(2025, 7, 1, 0, 30))
    assert make_report(x, y, last_day_old).ward.code == "06742"
    new = make_report(x, y, first_day_new)
    assert (new.ward.code, new.ward.name) == ("06712", "Móng Cái 1")


def test_local_date_decides_not_utc(mong_cai_wards):
    # 2025-06-30 20:00 UTC is already 2025-07-01 03:00 in Vietnam: the new wards apply.
    x, y = cases.interior_points("mong_cai_wards_2024_clean.geojson")["06742"]
    report = make_report(x, y, dt.datetime(2025, 6, 30, 20, 0, tzinfo=dt.UTC))
    assert report.ward.version.name == "mong-cai-2025"


def test_shared_vertices_go_to_the_lowest_code(mong_cai_wards):
    shapes = cases.ward_shapes("mong_cai_wards_2024_clean.geojson")
    vertices = cases.shared_vertices("mong_cai_wards_2024_clean.geojson")
    assert len(vertices) > 100  # the partition's shared boundary vertices
    for (x, y), owners in vertices:
        # A vertex of two wards can also lie on an edge of a third (a T-junction): every ward
        # whose polygon covers the point competes.
        covering = owners | {c for c, g in shapes.items() if g.covers(shapely.Point(x, y))}
        report = make_report(x, y)
        assert report.ward_match == "inside"
        assert report.ward.code == min(covering), ((x, y), covering)


def test_shared_edge_points_get_exactly_one_of_their_wards(mong_cai_wards):
    midpoints = cases.shared_edge_midpoints("mong_cai_wards_2024_clean.geojson")
    assert len(midpoints) > 50
    for (x, y), owners in midpoints:
        report = make_report(x, y)
        assert report.ward.code in owners, ((x, y), owners)
        covering = {
            w.code
            for w in Ward.objects.filter(
                version=mong_cai_wards["2024"], geom__covers=Point(x, y, srid=4326)
            )
        }
        # Whichever wards the database finds covering the point, the lowest code wins.
        assert report.ward.code == min(covering)


def test_offshore_pois_get_the_nearest_ward_with_distance(mong_cai_wards, poi_features):
    offshore = {
        f["properties"]["name"]: f
        for f in poi_features
        if f["properties"]["ward_code_2024"] is None
    }
    assert set(offshore) == {"Bãi Trà Cổ", "Mũi Sa Vĩ"}
    for name, feature in offshore.items():
        x, y = feature["geometry"]["coordinates"]
        report = make_report(x, y)
        expected = feature["properties"]["distance_to_ward_m"]
        assert report.ward.code == feature["properties"]["nearest_ward_code_2024"], name
        assert report.ward_match == "nearest"
        assert report.ward_distance_m == pytest.approx(expected, abs=2.0), name


def test_points_in_china_and_in_the_sea_are_stored_without_ward(mong_cai_wards):
    for x, y in (cases.CHINA_DONGXING, cases.SEA):
        report = make_report(x, y)
        assert report.pk and report.ward is None and report.ward_match == "outside"


def test_tolerance_is_a_setting(mong_cai_wards, poi_features):
    beach = next(f for f in poi_features if f["properties"]["name"] == "Bãi Trà Cổ")
    x, y = beach["geometry"]["coordinates"]
    with connection.cursor() as cursor:
        cursor.execute("SET hientruong.ward_tolerance_m = '100'")
    try:
        assert make_report(x, y).ward_match == "outside"  # 156 m > 100 m
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET hientruong.ward_tolerance_m")
    assert make_report(x, y).ward_match == "nearest"


def test_plain_sql_insert_is_assigned_too(mong_cai_wards):
    x, y = cases.interior_points("mong_cai_wards_2024_clean.geojson")["06709"]
    category_id = Category.objects.get(code="khac").pk
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO gis_core_report (category_id, description, location, reported_at) "
            "VALUES (%s, 'sql', ST_SetSRID(ST_MakePoint(%s, %s), 4326), '2024-03-01') "
            "RETURNING id",
            [category_id, x, y],
        )
        report_id = cursor.fetchone()[0]
    report = Report.objects.get(pk=report_id)
    assert (report.ward.code, report.ward_match, report.status) == ("06709", "inside", "received")


def test_moving_a_report_reassigns_but_a_status_change_does_not(mong_cai_wards):
    points = cases.interior_points("mong_cai_wards_2024_clean.geojson")
    report = make_report(*points["06709"])
    report.location = Point(*points["06757"], srid=4326)
    report.save()
    report.refresh_from_db()
    assert report.ward.code == "06757"
    # Force another ward by hand (as reassign_wards --version does), then save a status change.
    other = Ward.objects.get(version=mong_cai_wards["2024"], code="06709")
    Report.objects.filter(pk=report.pk).update(ward=other)
    report.refresh_from_db()
    report.status = "verified"
    report.save()
    report.refresh_from_db()
    assert report.ward == other


def test_lookup_selector_agrees_with_the_trigger(mong_cai_wards):
    x, y = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06736"]
    result = ward_for_point(lon=x, lat=y, at=dt.date(2026, 1, 1))
    assert (result.ward.code, result.match) == ("06736", "inside")
    forced = ward_for_point(lon=x, lat=y, version=mong_cai_wards["2024"])
    assert forced.ward.version == mong_cai_wards["2024"]
    assert shapely.Point(x, y).within(
        cases.ward_shapes("mong_cai_wards_2024_clean.geojson")[forced.ward.code]
    )
    assert ward_for_point(lon=cases.SEA[0], lat=cases.SEA[1]) is None


def test_ward_parts_follow_the_ward_polygon(mong_cai_wards):
    ward = Ward.objects.get(version=mong_cai_wards["2024"], code="06709")
    assert ward.parts.count() >= 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Union(geom)) FROM ward_boundaries_wardpart WHERE ward_id = %s",
            [ward.pk],
        )
        parts_area = cursor.fetchone()[0]
    assert parts_area == pytest.approx(ward.geom.area, rel=1e-9)
