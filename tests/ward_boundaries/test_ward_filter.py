"""A ward filter by a 2025 code also takes the pre-2025 wards it absorbed, everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from gis_core.selectors import report_heat_raw
from layers.heat import report_heat
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward
from ward_boundaries.selectors import ward_ids_for_code

pytestmark = pytest.mark.django_db

OLD = cases.ward_shapes("mong_cai_wards_2024_clean.geojson")
NEW = cases.ward_shapes("mong_cai_wards_2025_derived.geojson")
OLD_POINTS = cases.interior_points("mong_cai_wards_2024_clean.geojson")


def predecessors(new_code: str) -> set[str]:
    """The old wards lying mostly inside the new one, by shapely: the expected answer."""
    new = NEW[new_code]
    return {code for code, old in OLD.items() if old.intersection(new).area > 0.5 * old.area}


def test_predecessors_follow_the_polygons(mong_cai_wards):
    for new_code in NEW:
        ids = ward_ids_for_code(new_code)
        got = set(Ward.objects.filter(id__in=ids).values_list("version__name", "code"))
        expected = {("mong-cai-2025", new_code)} | {
            ("mong-cai-2024", code) for code in predecessors(new_code)
        }
        assert got == expected
    assert sum(len(predecessors(code)) for code in NEW) == len(OLD)  # a partition of the old
    # An old code takes that old ward and any 2025 ward lying mostly inside it (a unit the
    # merger left unchanged under a new code); most 2025 wards are larger than any old one.
    for code in set(OLD) - set(NEW):
        got = set(
            Ward.objects.filter(id__in=ward_ids_for_code(code)).values_list("version__name", "code")
        )
        old = OLD[code]
        inside = {c for c, new in NEW.items() if new.intersection(old).area > 0.5 * new.area}
        assert got == {("mong-cai-2024", code)} | {("mong-cai-2025", c) for c in inside}
    assert ward_ids_for_code("99999") == []


def test_filters_by_a_new_ward_include_older_reports_of_its_area(mong_cai_wards):
    new_code = "06712"
    inside_old = sorted(predecessors(new_code) - set(NEW))[0]  # a code the merger retired
    outside_old = next(
        code for code in OLD if code not in predecessors(new_code) and code not in NEW
    )
    category = Category.objects.get(code="moi_truong")

    def report(code: str, day: dt.date) -> Report:
        lon, lat = OLD_POINTS[code]
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        created = Report.objects.create(
            category=category,
            description=code,
            location=Point(lon, lat, srid=4326),
            reported_at=at,
        )
        created.refresh_from_db()  # the ward comes from the database trigger
        return created

    before_merger = report(inside_old, dt.date(2024, 10, 1))
    after_merger = report(inside_old, dt.date(2025, 10, 1))
    elsewhere = report(outside_old, dt.date(2024, 10, 1))
    assert before_merger.ward.code == inside_old and after_merger.ward.code == new_code

    body = APIClient().get(reverse("api:report-list"), {"ward": new_code}).json()
    assert {f["properties"]["description"] for f in body["features"]} == {inside_old}
    assert body["count"] == 2
    for heat in (report_heat, report_heat_raw):
        assert sum(n for *_, n in heat(zoom=12, ward_code=new_code)[1]) == 2
        assert sum(n for *_, n in heat(zoom=12, ward_code=inside_old)[1]) == 1
    old_only = APIClient().get(reverse("api:report-list"), {"ward": outside_old}).json()
    assert [f["id"] for f in old_only["features"]] == [str(elsewhere.public_id)]
