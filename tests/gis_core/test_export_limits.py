"""Report downloads are bounded by who asks: a public caller gets what builds in well under a
second (HT_EXPORT_MAX_ROWS_PUBLIC), staff more; past the limit a 400 in the caller's language,
without counting every matching row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
URL = "/api/v1/exports/reports.csv"


@pytest.fixture
def four_reports(mong_cai_wards, seed_categories, settings):
    settings.EXPORT_MAX_ROWS_PUBLIC = 3
    settings.EXPORT_MAX_ROWS_STAFF = 10
    x, y = POINTS["06709"]
    category = Category.objects.get(code="ha_tang")
    for i in range(4):
        Report.objects.create(
            category=category, description=f"Cống vỡ {i}", location=Point(x, y, srid=4326)
        )


def csv_rows(response) -> int:
    return len(response.content.decode("utf-8-sig").strip().splitlines()) - 1


def test_public_caller_past_the_limit_gets_a_vietnamese_400(four_reports):
    response = APIClient().get(URL)
    assert response.status_code == 400
    message = response.json()["errors"]["non_field_errors"][0]
    assert message.startswith("Quá 3 phản ánh trong một tệp")


def test_the_same_refusal_in_english(four_reports):
    response = APIClient().get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "More than 3 reports in one file" in response.json()["errors"]["non_field_errors"][0]


def test_within_the_public_limit_downloads(four_reports):
    Report.objects.order_by("id").first().delete()
    response = APIClient().get(URL)
    assert response.status_code == 200
    assert csv_rows(response) == 3


def test_staff_get_the_larger_limit(four_reports):
    operator = User.objects.create_user("op-export", password="x")
    operator.groups.add(Group.objects.get_or_create(name="operator")[0])
    client = APIClient()
    client.force_login(operator)
    response = client.get(URL)
    assert response.status_code == 200
    assert csv_rows(response) == 4


def test_the_limit_check_never_counts_every_row(four_reports):
    with CaptureQueriesContext(connection) as queries:
        APIClient().get(URL)
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
