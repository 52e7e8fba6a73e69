"""A small world for the hostile-input tests: the real wards, the seed categories, a few
reports in and around Móng Cái, a POI and an Open311 key."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point


@pytest.fixture
def world(mong_cai_wards, seed_categories, city_agency):
    from gis_core.models import Category, Report
    from open311.models import ApiKey

    env = Category.objects.get(code="moi_truong")
    infra = Category.objects.get(code="ha_tang")
    reports = [
        Report.objects.create(
            category=cat,
            description=f"Báo cáo thử {i}",
            location=Point(lon, lat, srid=4326),
            status=status,
        )
        for i, (cat, lon, lat, status) in enumerate(
            [
                (env, 107.99811, 21.51748, "received"),
                (env, 107.9653, 21.5338, "verified"),
                (infra, 107.90352, 21.53921, "in_progress"),
                (infra, 107.82049, 21.52054, "resolved"),
            ]
        )
    ]
    _, open311_key = ApiKey.issue("fuzzer")
    return {"reports": reports, "open311_key": open311_key, "wards": mong_cai_wards}


@pytest.fixture(autouse=True)
def _no_submission_limits(settings):
    """Hundreds of hostile submissions from one address would hit the rate limits (tested
    elsewhere); here every one must reach validation."""
    settings.SUBMIT_LIMIT_PER_IP = None
    settings.SUBMIT_LIMIT_PER_PHONE = None
