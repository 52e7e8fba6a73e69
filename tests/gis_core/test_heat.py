"""The heatmap is summed in the database: few weighted cells, whatever the number of reports."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from layers.heat import report_heat

pytestmark = pytest.mark.django_db


def make(lon, lat, code="moi_truong", n=1):
    category = Category.objects.get(code=code)
    for _ in range(n):
        Report.objects.create(
            category=category, description="x", location=Point(lon, lat, srid=4326)
        )


def test_cells_sum_the_reports():
    import math

    cell = 360 / (256 * 2**12) * 8  # zoom 12: about 0.0027°, some 280 m
    lon = (math.floor(107.9653 / cell) + 0.5) * cell  # the middle of a cell, so that
    lat = (math.floor(21.5338 / cell) + 0.5) * cell  # 15 m away is surely the same cell
    make(lon, lat, n=5)
    make(lon + 0.0001, lat + 0.0001, n=2)
    make(108.05, 21.48, code="ha_tang", n=3)  # Trà Cổ, far away
    got_cell, cells = report_heat(zoom=12)
    assert got_cell == pytest.approx(cell)
    assert sorted(n for _, _, n in cells) == [3, 7]
    top_lat, top_lon, _ = max(cells, key=lambda c: c[2])
    assert (top_lat, top_lon) == (pytest.approx(lat, abs=1e-6), pytest.approx(lon, abs=1e-6))
    # A filter sums only what matches.
    assert [n for _, _, n in report_heat(zoom=12, category="ha_tang")[1]] == [3]


def test_api_and_the_cell_cap(monkeypatch):
    make(107.9653, 21.5338, n=2)
    make(107.99, 21.52, n=1)
    body = APIClient().get(reverse("api:report-heat"), {"zoom": 14}).json()
    assert (body["total"], body["max"], len(body["cells"])) == (3, 2, 2)
    # With a cap of 1 cell, the cells grow until everything fits in one.
    monkeypatch.setattr("gis_core.selectors.HEAT_MAX_CELLS", 1)
    capped = APIClient().get(reverse("api:report-heat"), {"zoom": 14}).json()
    assert len(capped["cells"]) == 1 and capped["total"] == 3
    assert capped["cell_deg"] > body["cell_deg"]
    bad = APIClient().get(reverse("api:report-heat"), {"zoom": 99, "status": "x"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"zoom", "status"}
