"""Possible duplicates (same category, within the radius and window) and merging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from gis_core.selectors import possible_duplicates
from gis_core.workflow import TransitionError, report_merge, report_transition

pytestmark = pytest.mark.django_db

LON, LAT = 107.9653, 21.5338
# At latitude 21.53°, one metre north is 1/110,700 of a degree (WGS84 meridian arc).
M_LAT = 1 / 110_700


def make(category="moi_truong", north_m=0.0, days_ago=0, **extra) -> Report:
    return Report.objects.create(
        category=Category.objects.get(code=category),
        description="Rác",
        location=Point(LON, LAT + north_m * M_LAT, srid=4326),
        reported_at=timezone.now() - dt.timedelta(days=days_ago),
        **extra,
    )


def test_same_category_near_and_recent_only():
    near = make(north_m=30)
    make(north_m=70)  # beyond 50 m
    make(category="ha_tang", north_m=10)  # other category
    make(north_m=10, days_ago=31)  # older than 30 days
    rejected = make(north_m=5)
    report_transition(
        report_id=rejected.pk, from_status="received", to_status="rejected", reason="spam"
    )
    found = possible_duplicates(lon=LON, lat=LAT, category=Category.objects.get(code="moi_truong"))
    assert [d.report.pk for d in found] == [near.pk]
    assert found[0].distance_m == pytest.approx(30, abs=0.5)


def test_radius_and_window_are_per_category():
    Category.objects.filter(code="moi_truong").update(
        duplicate_radius_m=100, duplicate_window_days=60
    )
    far = make(north_m=80, days_ago=45)
    found = possible_duplicates(lon=LON, lat=LAT, category=Category.objects.get(code="moi_truong"))
    assert [d.report.pk for d in found] == [far.pk]


def test_api_returns_candidates_nearest_first_without_personal_data():
    second = make(north_m=40, contact_phone="0911111111")
    first = make(north_m=10)
    response = APIClient().get(
        reverse("api:report-duplicates"), {"lon": LON, "lat": LAT, "category": "moi_truong"}
    )
    body = response.json()
    assert response.status_code == 200 and body["radius_m"] == 50
    assert [f["id"] for f in body["features"]] == [str(first.public_id), str(second.public_id)]
    assert body["features"][0]["properties"]["distance_m"] == pytest.approx(10, abs=0.5)
    assert "0911111111" not in response.content.decode()
    bad = APIClient().get(
        reverse("api:report-duplicates"), {"lon": LON, "lat": 95, "category": "x"}
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"lat", "category"}


def test_merge_rejects_the_duplicate_and_it_follows_the_survivor(city_agency):
    survivor = make(north_m=0)
    duplicate = make(north_m=20)
    report_merge(duplicate_id=duplicate.pk, survivor_id=survivor.pk)
    duplicate.refresh_from_db()
    assert duplicate.status == "rejected" and duplicate.rejection_reason == "duplicate"
    assert duplicate.merged_into == survivor
    for before, after in (
        ("received", "verified"),
        ("verified", "assigned"),
        ("assigned", "in_progress"),
    ):
        report_transition(report_id=survivor.pk, from_status=before, to_status=after)
    report_transition(
        report_id=survivor.pk, from_status="in_progress", to_status="resolved", answer="Đã thu gom."
    )
    body = APIClient().get(reverse("api:report-detail", args=[duplicate.public_id])).json()
    followed = body["properties"]["merged_into"]
    assert followed["id"] == str(survivor.public_id)
    assert followed["status"] == "resolved" and followed["answer"] == "Đã thu gom."
    # A merged report is no longer offered as a duplicate.
    found = possible_duplicates(lon=LON, lat=LAT, category=Category.objects.get(code="moi_truong"))
    assert [d.report.pk for d in found] == [survivor.pk]


def test_merge_refusals():
    a, b = make(), make(north_m=5)
    other = make(category="ha_tang")
    with pytest.raises(TransitionError, match="vào chính nó"):
        report_merge(duplicate_id=a.pk, survivor_id=a.pk)
    with pytest.raises(TransitionError, match="cùng lĩnh vực"):
        report_merge(duplicate_id=a.pk, survivor_id=other.pk)
    report_merge(duplicate_id=b.pk, survivor_id=a.pk)
    with pytest.raises(TransitionError, match="đã bị từ chối hoặc đã gộp"):
        report_merge(duplicate_id=a.pk, survivor_id=b.pk)
    a.refresh_from_db()
    assert a.status == "received" and a.merged_into is None
