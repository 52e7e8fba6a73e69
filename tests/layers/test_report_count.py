"""GET /api/v1/reports/count/: the reports of the cells covering a map view, exact for those
cells (compared with counting the reports), bounded work, 400s naming the parameter, no
personal data, and a count that follows writes."""

from __future__ import annotations

import math

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from layers.report_cells import FINEST_LEVEL, TOTAL_LEVELS, cell_size, fold_pending
from layers.report_count import COUNT_CELLS_ACROSS, count_level, covering_cells
from tests.layers.factories import CITY

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/count/"
VIEWS = [
    CITY,
    (107.93, 21.49, 108.02, 21.56),  # a district
    (107.97, 21.52, 107.985, 21.53),  # a few streets
    (107.9701, 21.5201, 107.9712, 21.5209),  # one street: the finest level
    (100.0, 10.0, 115.0, 25.0),  # far wider than the city: the coarsest level
]


def bbox_param(bbox) -> str:
    return ",".join(f"{v:.7f}" for v in bbox)


def count(client, bbox, **filters):
    response = client.get(URL, {"bbox": bbox_param(bbox), **filters})
    assert response.status_code == 200, response.content
    return response.json()


def counted_by_hand(body, **filters) -> int:
    """Reports inside the covering cells (half-open, as cells are), counted one by one."""
    x0, y0, x1, y1 = body["covered"]
    reports = Report.objects.all()
    if "category" in filters:
        reports = reports.filter(category__code=filters["category"])
    if "status" in filters:
        reports = reports.filter(status=filters["status"])
    return sum(
        1 for r in reports.only("location") if x0 <= r.location.x < x1 and y0 <= r.location.y < y1
    )


@pytest.mark.parametrize("folded", [False, True], ids=["pending", "folded"])
def test_count_is_the_reports_of_the_covering_cells(many_reports, folded):
    if folded:
        fold_pending()
    client = APIClient()
    for bbox in VIEWS:
        for filters in ({}, {"category": "ha_tang"}, {"status": "resolved"}):
            body = count(client, bbox, **filters)
            assert body["count"] == counted_by_hand(body, **filters), (bbox, filters)
            # The covering cells contain the view.
            x0, y0, x1, y1 = body["covered"]
            assert x0 <= bbox[0] and y0 <= bbox[1] and x1 >= bbox[2] and y1 >= bbox[3]
    assert count(client, CITY)["count"] == many_reports  # every report lies in the city box


def test_the_level_bounds_the_work():
    """About COUNT_CELLS_ACROSS cells over the longer side, whatever the view."""
    for bbox in VIEWS:
        level = count_level(bbox)
        x0, y0, x1, y1 = covering_cells(bbox, level)
        if TOTAL_LEVELS[0] < level < FINEST_LEVEL:
            assert max(x1 - x0, y1 - y0) + 1 <= COUNT_CELLS_ACROSS + 1
            # One level finer would need more than that many.
            assert max(bbox[2] - bbox[0], bbox[3] - bbox[1]) > cell_size(level + 1) * (
                COUNT_CELLS_ACROSS
            )
    assert count_level((-180, -90, 180, 90)) == TOTAL_LEVELS[0]
    assert count_level((107.97, 21.52, 107.97, 21.52)) == FINEST_LEVEL  # a point


def test_status_changes_of_folded_reports_move_the_count(many_reports):
    fold_pending()
    client = APIClient()
    before = count(client, CITY, status="resolved")["count"]
    moved = list(Report.objects.exclude(status="resolved").values_list("pk", flat=True)[:7])
    Report.objects.filter(pk__in=moved).update(status="resolved")
    assert count(client, CITY, status="resolved")["count"] == before + 7


def test_a_new_report_is_counted_at_once(mong_cai_wards):
    client = APIClient()
    view = (107.96, 21.52, 107.98, 21.54)
    assert count(client, view)["count"] == 0
    created = client.post(
        reverse("api:report-list"),
        {"category": "moi_truong", "description": "Rác", "lon": 107.97, "lat": 21.53},
        format="json",
    )
    assert created.status_code == 201
    assert count(client, view)["count"] == 1  # a cached zero is not served: new generation


def test_bad_parameters_are_400_naming_each_one():
    client = APIClient()
    missing = client.get(URL)
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"bbox"}
    for bad in ("1,2,3", "a,b,c,d", "108,21,107,22", "0,-91,1,0", "nan,1,2,3"):
        response = client.get(URL, {"bbox": bad})
        assert response.status_code == 400 and "bbox" in response.json()["errors"], bad
    several = client.get(URL, {"bbox": "1,2,3", "status": "done", "since": "hôm qua"})
    assert several.status_code == 400
    assert set(several.json()["errors"]) == {"bbox", "status", "since"}
    # An unknown category or ward matches nothing: a count of zero, not an error.
    assert count(client, CITY, category="no-such")["count"] == 0
    assert count(client, CITY, ward="99999")["count"] == 0


def test_no_personal_data_and_only_numbers(mong_cai_wards):
    Report.objects.create(
        category=Category.objects.get(code="moi_truong"),
        description="Số điện thoại trong mô tả",
        location=Point(107.97, 21.53, srid=4326),
        contact_name="Nguyễn Văn A",
        contact_phone="+84912345678",
        contact_email="a@example.vn",
    )
    response = APIClient().get(URL, {"bbox": bbox_param(CITY)})
    body = response.json()
    assert set(body) == {"count", "covered", "level"} and body["count"] == 1
    for secret in ("912345678", "Nguyễn", "example.vn", "điện thoại"):
        assert secret not in response.content.decode()


def test_cache_headers_and_revalidation(mong_cai_wards):
    client = APIClient()
    first = client.get(URL, {"bbox": bbox_param(CITY)})
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    again = client.get(URL, {"bbox": bbox_param(CITY)}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    # The weak form the gzip middleware hands out matches as well.
    weak = client.get(URL, {"bbox": bbox_param(CITY)}, HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert weak.status_code == 304
    # A small pan inside the same covering cells answers the same.
    size = cell_size(first.json()["level"])
    nudged = tuple(v + size * 0.01 for v in CITY)
    if covering_cells(nudged, first.json()["level"]) == covering_cells(CITY, first.json()["level"]):
        assert client.get(URL, {"bbox": bbox_param(nudged)})["ETag"] == etag


def test_count_answers_are_small_and_not_worth_compressing(mong_cai_wards):
    response = APIClient().get(URL, {"bbox": bbox_param(CITY)}, HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
    assert len(response.content) < 200
    assert math.isfinite(response.json()["count"])
