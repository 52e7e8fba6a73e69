"""load_demo: both ward versions, the OSM POIs and generated reports; a second run keeps them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from gis_core.models import Agency, Report, RoutingRule
from layers.models import PointOfInterest
from ward_boundaries.models import BoundaryVersion, Ward

pytestmark = pytest.mark.django_db


def test_demo_loads_real_boundaries_pois_and_realistic_reports():
    call_command("load_demo", reports=400, stdout=StringIO())
    versions = dict(BoundaryVersion.objects.annotate(n=Count("wards")).values_list("name", "n"))
    assert versions == {"mong-cai-2024": 17, "mong-cai-2025": 6}
    assert PointOfInterest.objects.filter(layer="tourism").count() == 8
    assert Report.objects.filter(source="demo").count() == 400

    # Denser in the central wards than in the mountain communes (2024 wards, per km²).
    per_ward = dict(
        Report.objects.filter(ward__version__name="mong-cai-2024")
        .values_list("ward__code")
        .annotate(n=Count("id"))
    )
    assert per_ward.get("06709", 0) > per_ward.get(
        "06727", 0
    )  # Ka Long (1.5 km²) > Bắc Sơn (49 km²)
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"received", "resolved"} <= statuses and len(statuses) >= 4
    assert Report.objects.filter(ward_match="nearest").exists()  # the Trà Cổ beach reports
    assert not Report.objects.exclude(contact_phone="").exists()
    # Agencies with routing rules; reports past verification are with one and have a due time.
    assert Agency.objects.count() == 7 and RoutingRule.objects.filter(category=None).count() == 1
    routed = Report.objects.filter(status__in=["assigned", "in_progress", "resolved"])
    assert routed.exists() and not routed.filter(agency=None).exists()
    assert not routed.filter(due_at=None).exists()
    assert routed.filter(category__code="moi_truong").first().agency.code == "tnmt"

    out = StringIO()
    call_command("load_demo", reports=400, if_empty=True, stdout=out)
    assert "already loaded" in out.getvalue()
    assert Report.objects.count() == 400 and Ward.objects.count() == 23
