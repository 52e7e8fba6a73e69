"""A planted emerging hotspot: 64 reports on a 8 × 8 grid of ~30 m steps (about 240 m across)
around a point well inside Móng Cái 2 (06709), in the last days, none before."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Point
from django.utils import timezone

from gis_core.models import Category, Report
from tests.ward_boundaries import geometry_cases as cases


def plant_emerging_cluster(*, ward_code: str = "06709", days_ago: int = 0, n: int = 64) -> None:
    x, y = cases.interior_points("mong_cai_wards_2025_derived.geojson")[ward_code]
    category = Category.objects.get(code="moi_truong")
    Report.objects.bulk_create(
        Report(
            category=category,
            description="Rác",
            location=Point(x + (i % 8 - 3.5) * 0.0003, y + (i // 8 - 3.5) * 0.0003, srid=4326),
            reported_at=timezone.now() - dt.timedelta(days=days_ago, hours=i),
        )
        for i in range(n)
    )
