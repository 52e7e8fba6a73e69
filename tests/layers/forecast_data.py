"""A planted city for the forecast tests: food-safety reports in one ward with a spike in the
last complete week, environment reports in another ward without one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.contrib.gis.geos import Point

from common.local_time import local_midnight, local_today
from gis_core.models import Category, Report
from layers.forecast_counts import monday
from tests.ward_boundaries import geometry_cases as cases

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
WARD = "06709"
FOOD = "ve_sinh_an_toan_thuc_pham"
WEEKS = 100


def plant(counts: list[int], *, ward: str, category: str, end: dt.date, status="received"):
    """counts[i] reports in the i-th of the weeks before `end` (a Monday), at the ward's
    interior point, spread over the week's days."""
    x, y = POINTS[ward]
    cat = Category.objects.get(code=category)
    first = end - dt.timedelta(weeks=len(counts))
    rows = []
    for i, n in enumerate(counts):
        for k in range(n):
            day = first + dt.timedelta(weeks=i, days=k % 7)
            rows.append(
                Report(
                    category=cat,
                    description="Quán ăn không đảm bảo vệ sinh",
                    location=Point(x + 0.0001 * (k % 5), y, srid=4326),
                    reported_at=local_midnight(day) + dt.timedelta(hours=8 + k % 10),
                    status=status,
                )
            )
    Report.objects.bulk_create(rows)


@pytest.fixture
def planted_city(mong_cai_wards):
    """Food-safety reports in one ward, Poisson around 4 a week, with a spike of 30 in the
    last complete week; environment reports in another ward without one; a few rejected."""
    end = monday(local_today())
    rng = np.random.default_rng(14)
    food = list(rng.poisson(4, WEEKS))
    food[-1] = 30
    plant(food, ward=WARD, category=FOOD, end=end)
    other = list(rng.poisson(6, WEEKS))
    plant(other, ward="06757", category="moi_truong", end=end)
    plant([3] * 4, ward=WARD, category=FOOD, end=end, status="rejected")
    return {"end": end, "food": food, "other": other}
