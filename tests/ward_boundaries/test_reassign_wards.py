"""reassign_wards: set-based, counts what changed, honours --version and the date window."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.utils import timezone

from gis_core.models import Category, Report
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("reassign_wards", *args, stdout=out)
    return out.getvalue()


def test_reassign_after_boundaries_change(mong_cai_wards):
    x, y = cases.interior_points("mong_cai_wards_2024_clean.geojson")["06742"]
    category = Category.objects.get(code="khac")
    for day in (dt.datetime(2024, 2, 1), dt.datetime(2024, 3, 1), dt.datetime(2026, 1, 1)):
        Report.objects.create(
            category=category,
            description="x",
            location=Point(x, y, srid=4326),
            reported_at=timezone.make_aware(day),
        )
    assert "0 of 3 reports changed ward." in run()
    assert "2 of 2 reports changed ward." in run(
        "--version", "mong-cai-2025", "--until", "2024-12-31"
    )
    assert set(Report.objects.values_list("ward__code", "ward__version__name")) == {
        ("06712", "mong-cai-2025")
    }
    assert "1 of 1 reports changed ward." in run("--since", "2024-02-15", "--until", "2024-12-31")
    assert "1 of 3 reports changed ward." in run()
    assert set(Report.objects.values_list("ward__code", flat=True)) == {"06742", "06712"}


def test_reassign_refuses_unknown_version_and_bad_dates(mong_cai_wards):
    with pytest.raises(
        CommandError, match=r"Unknown version 'x'\. Known: mong-cai-2024, mong-cai-2025"
    ):
        run("--version", "x")
    with pytest.raises(CommandError, match="--since: '2024-02-30' is not a date"):
        run("--since", "2024-02-30")
