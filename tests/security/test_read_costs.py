"""Anonymous reads do bounded work whatever their parameters (issue 10, section 1): each bound
is shown by the rows of the report table a request reads (tests/query_cost.py), never by time.
"""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from layers.report_cells import FINEST_LEVEL, cell_size, fold_pending
from tests.query_cost import rows_read

pytestmark = pytest.mark.django_db

WHOLE_MAP = "100,5,120,30"
REPORTS = 12


@pytest.fixture
def reports(mong_cai_wards) -> list[Report]:
    """REPORTS reports a few metres apart in central Móng Cái, folded into the cells."""
    category = Category.objects.get(code="moi_truong")
    made = [
        Report.objects.create(
            category=category,
            description=f"Báo cáo {i}",
            location=Point(107.9653 + i * 0.0003, 21.5338, srid=4326),
        )
        for i in range(REPORTS)
    ]
    fold_pending()
    return made


def _get(name: str, **params):
    return APIClient().get(reverse(name), params)


# --- heat ------------------------------------------------------------------------------------


def test_a_fine_zoom_over_a_wide_view_reads_no_report(reports, monkeypatch):
    """Zoom 18 over the whole map counted the reports one by one, several times over (7 s with
    a million); now a view holding more than HEAT_RAW_MAX_REPORTS gets the finest stored
    cells, exact, reading no more reports than that."""
    monkeypatch.setattr("layers.heat.HEAT_RAW_MAX_REPORTS", 5, raising=False)
    response, read, _ = rows_read(
        lambda: _get("api:report-heat", zoom=18, bbox=WHOLE_MAP), "gis_core_report"
    )
    body = response.json()
    assert response.status_code == 200
    assert body["total"] == REPORTS
    assert body["cell_deg"] >= cell_size(FINEST_LEVEL)
    assert read <= 5


def test_a_fine_zoom_over_few_reports_is_still_counted_from_them(reports, monkeypatch):
    """The normal case, unchanged: a street-level view holding few reports gets 8-pixel cells
    counted from the reports, reading only those in the view."""
    monkeypatch.setattr("layers.heat.HEAT_RAW_MAX_REPORTS", 5, raising=False)
    street = "107.9650,21.5330,107.9665,21.5345"  # the first few reports only
    response, read, _ = rows_read(
        lambda: _get("api:report-heat", zoom=18, bbox=street), "gis_core_report"
    )
    body = response.json()
    assert body["cell_deg"] == pytest.approx(360 / 2**23)
    assert body["total"] == 5
    assert read <= 5


def test_the_zoom_error_quotes_nothing():
    response = _get("api:report-heat", zoom="<script>x</script>")
    assert response.status_code == 400
    message = response.json()["errors"]["zoom"][0]
    assert "script" not in message and "'" not in message


# --- report list -----------------------------------------------------------------------------


def test_a_deep_page_is_refused_naming_page():
    """page=999 of 1,000 read and sorted 999,000 rows (2.9 s, 444 MB); pages now end by row
    5,000 (what the web map fetches at most), and the 400 says to narrow the filters."""
    assert _get("api:report-list", page_size=1000, page=5).status_code == 200
    response = _get("api:report-list", page_size=1000, page=6)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"page"}
    assert _get("api:report-list", page_size=1000, page=999).status_code == 400


def test_the_web_maps_pages_stay_accepted(reports):
    """The map asks for at most 10 pages of 500 (api.js pagesFor)."""
    for page in (1, 10):
        assert _get("api:report-list", page_size=500, page=page).status_code == 200
    body = _get("api:report-list", page_size=5, bbox=WHOLE_MAP).json()
    assert (body["count"], body["count_exact"], len(body["features"])) == (REPORTS, True, 5)
    assert body["next"] is not None


def test_the_count_reads_at_most_the_cap(reports, monkeypatch):
    """The exact count(*) read every matching row (a million: 0.7 s); it now stops one row
    past MAX_LIST_ROWS and gives the database's estimate beyond, and no page points past it."""
    for module in ("gis_core.api.params", "gis_core.api.views"):
        monkeypatch.setattr(f"{module}.MAX_LIST_ROWS", 6, raising=False)

    response, _, each = rows_read(
        lambda: _get("api:report-list", page_size=3, bbox=WHOLE_MAP), "gis_core_report"
    )
    counted = [rows for sql, rows in each if "COUNT(" in sql.upper()]
    body = response.json()
    assert response.status_code == 200
    assert body["count_exact"] is False and body["count"] > 6
    assert counted and max(counted) <= 7
    assert _get("api:report-list", page_size=3, page=2).json()["next"] is None
    assert _get("api:report-list", page_size=3, page=3).status_code == 400
