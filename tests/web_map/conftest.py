"""Fixtures of the web map's tests: the map's reports, the planner's and the tourist map's
data, and the phone (the desktop browser page and the categories are in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.utils import timezone

from gis_core.models import Report
from layers.services import load_demo_wifi
from tests.conftest import reseed_layer_registry
from tests.ward_boundaries import geometry_cases as cases
from tests.web_map.map_page import HAI_NINH, MONG_CAI_1, MONG_CAI_3
from tests.web_map.phone_browser import phone_page, phone_session  # noqa: F401

XSS_EXISTING = '<img src=x onerror=alert("existing")>'


@pytest.fixture
def map_data(live_server, mong_cai_wards, categories) -> dict[str, Report]:
    """Three reports close together (one cluster) and one XSS attempt on its own."""
    env = categories["moi_truong"]
    lat, lon = MONG_CAI_1
    cluster = [
        Report.objects.create(
            category=env,
            description=f"Rác thải {i}",
            location=Point(lon + i * 0.001, lat + i * 0.001, srid=4326),
            status=status,
        )
        for i, status in enumerate(["received", "in_progress", "resolved"])
    ]
    xss = Report.objects.create(
        category=categories["ha_tang"],
        description=XSS_EXISTING,
        location=Point(HAI_NINH[1], HAI_NINH[0], srid=4326),
        status="verified",
    )
    return {"cluster": cluster[0], "xss": xss}


def _import_tourism_and_wifi() -> None:
    call_command(
        "import_pois", str(cases.DATA / "mong_cai_poi_osm.geojson"), "--layer", "tourism",
        stdout=StringIO(),
    )  # fmt: skip
    load_demo_wifi()
    reseed_layer_registry()  # TransactionTestCase flushed it


def _months_ago(today: dt.date, n: int) -> dt.date:
    """The 15th of the month `n` months before today's."""
    index = today.year * 12 + today.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 15)


@pytest.fixture
def planner_data(live_server, mong_cai_wards, categories):
    """3 reports last month and 5 reports 14 months ago, in different places."""
    today = timezone.localdate()
    recent, old = _months_ago(today, 1), _months_ago(today, 14)
    made = []
    for when, (lat, lon), n in ((recent, MONG_CAI_1, 3), (old, MONG_CAI_3, 4), (old, HAI_NINH, 1)):
        for i in range(n):
            report = Report.objects.create(
                category=categories["moi_truong"],
                description="Rác",
                location=Point(lon + i * 0.002, lat, srid=4326),
                status="received",
            )
            made.append((report.pk, when))
    for pk, when in made:
        at = timezone.make_aware(dt.datetime.combine(when, dt.time(9)))
        Report.objects.filter(pk=pk).update(reported_at=at)
    _import_tourism_and_wifi()
    return {"recent": recent, "old": old}


@pytest.fixture
def tourist_data(live_server, mong_cai_wards, categories):
    _import_tourism_and_wifi()
