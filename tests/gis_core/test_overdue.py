"""Overdue and closed: the query (reports_overdue) and the per-row test (is_overdue) agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from gis_core.models import CLOSED_STATUSES, Category, Report, ReportStatus
from gis_core.selectors import is_overdue, reports_overdue

pytestmark = pytest.mark.django_db


def test_the_overdue_query_and_the_row_test_agree():
    now = timezone.now()
    category = Category.objects.get(code="khac")
    for status in ReportStatus.values:
        for due_at in (None, now - dt.timedelta(hours=1), now, now + dt.timedelta(hours=1)):
            Report.objects.create(
                category=category, description=f"{status} {due_at}", status=status,
                location=Point(107.96, 21.53, srid=4326), due_at=due_at,
            )  # fmt: skip
    queried = set(reports_overdue(Report.objects.all(), now).values_list("pk", flat=True))
    tested = {r.pk for r in Report.objects.all() if is_overdue(r.status, r.due_at, now)}
    assert queried == tested
    overdue = Report.objects.filter(pk__in=queried)
    # Due an hour ago and still open: each open status once; closed ones and `now` never.
    assert sorted(overdue.values_list("status", flat=True)) == sorted(
        s for s in ReportStatus.values if s not in CLOSED_STATUSES
    )
    assert {r.due_at for r in overdue} == {now - dt.timedelta(hours=1)}
