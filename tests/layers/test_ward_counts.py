"""The ward counts of the map's ward outlines come from the cells: exactly what counting the
reports by ward and status gives, pending or folded, after status changes and moves."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from gis_core.models import Report
from gis_core.selectors import report_counts_by_ward
from layers.report_cells import compact_report_cells, fold_pending
from layers.ward_counts import ward_report_counts
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db


def assert_same() -> None:
    ids = list(Ward.objects.values_list("id", flat=True))
    expected = report_counts_by_ward(ids)
    assert expected  # the fixture's reports lie in wards
    assert ward_report_counts(ids) == expected
    some = ids[:3]
    assert ward_report_counts(some) == {k: v for k, v in expected.items() if k in some}


def test_ward_counts_equal_counting_the_reports(many_reports):
    assert_same()  # all pending
    fold_pending()
    assert_same()  # all folded
    folded = list(Report.objects.values_list("pk", flat=True)[:40])
    Report.objects.filter(pk__in=folded[:20]).update(status="rejected")
    # Moved across the city: another ward for most of them (the trigger re-decides it).
    Report.objects.filter(pk__in=folded[20:]).update(
        location=Point(107.8205, 21.5205, srid=4326)  # Hải Ninh
    )
    Report.objects.filter(pk__in=folded[30:35]).delete()
    assert_same()  # deltas of folded reports
    compact_report_cells()
    assert_same()
    assert ward_report_counts([]) == {}


def test_the_ward_list_carries_those_counts(client, many_reports):
    fold_pending()
    body = client.get("/api/v1/wards/").json()
    ids = dict(Ward.objects.values_list("code", "id"))
    expected = report_counts_by_ward(list(ids.values()))
    for feature in body["features"]:
        by_status = expected.get(ids[feature["properties"]["code"]], {})
        assert feature["properties"]["report_counts"] == {
            "total": sum(by_status.values()),
            "by_status": by_status,
        }
