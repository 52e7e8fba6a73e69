"""The distance rule: a report farther than REPORT_MAX_DISTANCE_FROM_WARD_KM from every ward
is refused by the API, Open311 and the importer alike; the sea off Móng Cái stays accepted."""

from __future__ import annotations

from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from gis_core.models import Report
from open311.models import ApiKey

pytestmark = pytest.mark.django_db

NORTH_POLE = (180.0, 90.0)
OFFSHORE_37_KM = (108.30, 21.20)  # the Gulf of Tonkin, south-east of Trà Cổ
OFFSHORE_76_KM = (108.60, 21.00)
REFUSED = "cách mọi phường, xã của hệ thống hơn 50 km"


def km_to_nearest_ward(lon: float, lat: float) -> float:
    """The geodesic distance the rule is about, measured here the plain way (every ward)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(ST_Distance(geom::geography, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)) / 1000 FROM ward_boundaries_ward",
            [lon, lat],
        )
        return cursor.fetchone()[0]


def api_post(lon: float, lat: float):
    body = {"category": "moi_truong", "description": "Rác trôi dạt", "lon": lon, "lat": lat}
    return APIClient().post("/api/v1/reports/", body, format="json")


def open311_post(lon: float, lat: float):
    fields = {
        "api_key": ApiKey.issue("tests")[1],
        "service_code": "moi_truong",
        "lat": lat,
        "long": lon,
        "description": "Rác trôi dạt",
    }
    return APIClient().post(
        "/open311/v2/requests.json",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


def test_the_cases_are_where_they_say(mong_cai_wards):
    assert 30 < km_to_nearest_ward(*OFFSHORE_37_KM) < 50
    assert 50 < km_to_nearest_ward(*OFFSHORE_76_KM) < 100
    assert km_to_nearest_ward(*NORTH_POLE) > 5000


@pytest.mark.parametrize("point", [NORTH_POLE, OFFSHORE_76_KM])
def test_the_api_refuses_a_point_far_from_every_ward(mong_cai_wards, seed_categories, point):
    response = api_post(*point)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == {"lon", "lat"}
    assert REFUSED in " ".join(errors["lon"]) and REFUSED in " ".join(errors["lat"])
    assert str(point[0]) not in " ".join(errors["lon"])  # the input is not echoed
    assert not Report.objects.exists()


def test_the_api_accepts_the_sea_within_the_distance(mong_cai_wards, seed_categories):
    response = api_post(*OFFSHORE_37_KM)
    assert response.status_code == 201, response.content
    report = Report.objects.get(public_id=response.json()["id"])
    assert report.ward is None and report.ward_match == "outside"


def test_the_distance_is_a_setting(mong_cai_wards, seed_categories, settings):
    settings.REPORT_MAX_DISTANCE_FROM_WARD_KM = 30
    response = api_post(*OFFSHORE_37_KM)
    assert response.status_code == 400, response.content
    assert "hơn 30 km" in " ".join(response.json()["errors"]["lon"])
    settings.REPORT_MAX_DISTANCE_FROM_WARD_KM = 0  # off
    assert api_post(*NORTH_POLE).status_code == 201


def test_without_any_ward_loaded_the_rule_does_not_apply(seed_categories):
    """A new installation has no territory to measure from: nothing is refused for it."""
    assert api_post(*NORTH_POLE).status_code == 201


def test_open311_refuses_it_naming_lat_and_long(mong_cai_wards, seed_categories):
    answer = open311_post(*NORTH_POLE)
    assert answer.status_code == 400, answer.content
    named = {e["description"].split(":", 1)[0] for e in answer.json()}
    assert named == {"lat", "long"}, answer.json()
    assert all(REFUSED in e["description"] for e in answer.json())
    assert not Report.objects.exists()
    assert open311_post(*OFFSHORE_37_KM).status_code == 201


def test_the_importer_refuses_the_row_by_number(mong_cai_wards, seed_categories, tmp_path):
    path = tmp_path / "legacy.csv"
    (x1, y1), (x2, y2), (x3, y3) = OFFSHORE_37_KM, NORTH_POLE, OFFSHORE_76_KM
    path.write_text(
        "id,category,description,lon,lat\n"
        f"S1,moi_truong,Ngoài biển,{x1},{y1}\n"
        f"S2,moi_truong,Bắc Cực,{x2},{y2}\n"
        f"S3,moi_truong,Xa bờ,{x3},{y3}\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=err)
    assert "1 reports imported, 2 bad rows skipped (of 3 rows)" in out.getvalue()
    lines = err.getvalue().splitlines()
    assert [line.split(": ")[:2] for line in lines] == [
        ["row 2", "lon"],
        ["row 2", "lat"],
        ["row 3", "lon"],
        ["row 3", "lat"],
    ]
    assert all(REFUSED in line for line in lines)
    assert list(Report.objects.values_list("idempotency_key", flat=True)) == ["legacy:S1"]


def test_the_rule_agrees_with_the_plain_geodesic_distance_around_the_edge(mong_cai_wards):
    """The quick planar check only ever says 'near' for points truly within the distance: on
    rings 45-55 km out in every direction, single and batched answers match the geodesic."""
    import math

    from ward_boundaries.distance_rule import point_near_wards, points_near_wards

    centre_lon, centre_lat = 107.97, 21.53
    points = []
    for km in (20, 45, 49, 51, 55, 80):
        for bearing in range(0, 360, 30):
            dlat = km / 111.0 * math.cos(math.radians(bearing))
            dlon = (
                km / (111.0 * math.cos(math.radians(centre_lat))) * math.sin(math.radians(bearing))
            )
            points.append((centre_lon + dlon, centre_lat + dlat))
    truth = [km_to_nearest_ward(x, y) <= 50 for x, y in points]
    assert any(truth) and not all(truth)
    assert [point_near_wards(x, y) for x, y in points] == truth
    assert list(points_near_wards([p[0] for p in points], [p[1] for p in points])) == truth


def test_a_submission_in_the_city_asks_the_database_nothing(
    mong_cai_wards, django_assert_num_queries
):
    """The process keeps the ward parts: after the first read, a point in the city is near
    with no query; a point far away still gets the exact answer from the database."""
    from ward_boundaries import distance_rule

    assert distance_rule.point_near_wards(107.97, 21.53)  # reads the parts once
    with django_assert_num_queries(0):
        assert distance_rule.point_near_wards(107.96, 21.54)
    with django_assert_num_queries(1):
        assert not distance_rule.point_near_wards(*NORTH_POLE)  # not surely near: asked
    # A ward saved in this process drops the copy, so the next point reads them again.
    from ward_boundaries.models import Ward

    ward = Ward.objects.first()
    ward.save()
    with django_assert_num_queries(1):
        assert distance_rule.point_near_wards(107.96, 21.54)
