"""load_demo: both ward versions, the OSM POIs and generated reports; a second run keeps them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from gis_core.models import Agency, Report, RoutingRule
from gis_core.working_time import _sessions, add_working_hours
from layers.models import PointOfInterest
from ward_boundaries.models import BoundaryVersion, Ward

pytestmark = pytest.mark.django_db


def in_working_time(moment) -> bool:
    """Inside one of the working sessions of its local day (settings.WORKING_HOURS)."""
    local = timezone.localtime(moment)
    return any(begin <= local <= end for begin, end in _sessions(local.date()))


def test_demo_loads_real_boundaries_pois_and_realistic_reports():
    call_command("load_demo", reports=400, stdout=StringIO())
    versions = dict(BoundaryVersion.objects.annotate(n=Count("wards")).values_list("name", "n"))
    assert versions == {"mong-cai-2024": 17, "mong-cai-2025": 6}
    assert PointOfInterest.objects.filter(layer="tourism", is_demo=False).count() == 8
    # The demo places for visitors (etl.demo_places), beside the OSM points.
    demo_places = PointOfInterest.objects.filter(layer="tourism", is_demo=True, source="demo")
    assert demo_places.count() == 60
    from layers.models import WifiSite

    assert WifiSite.objects.filter(is_demo=True).count() == 7
    assert not WifiSite.objects.filter(ward=None).exists()
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
    resolved = Report.objects.filter(status="resolved")
    assert not resolved.filter(resolved_at=None).exists()
    assert resolved.filter(resolved_at__gt=F("due_at")).exists()  # some late, some on time
    assert resolved.filter(resolved_at__lte=F("due_at")).exists()
    assert routed.filter(category__code="moi_truong").first().agency.code == "tnmt"
    # Deadlines follow the rule: assigned inside working hours (never at 20:56 or 06:50);
    # an ordinary report due the category's working hours after assignment (so inside
    # working hours too), an urgent one its urgent clock hours after.
    urgent = 0
    for report in routed.select_related("category"):
        assert in_working_time(report.assigned_at), report.assigned_at
        if report.priority == "urgent":
            urgent += 1
            hours = dt.timedelta(hours=report.category.urgent_deadline_hours)
            assert report.due_at == report.assigned_at + hours
            continue
        assert in_working_time(report.due_at), report.due_at
        hours = report.category.deadline_working_hours
        assert report.due_at == add_working_hours(report.assigned_at, hours)
    assert urgent > 0  # the demo has urgent reports (its public-order category)

    # One account of each staff role, scoped as the README says.
    from django.contrib.auth.models import User

    from gis_core.staff import reports_for_staff, staff_role

    roles = {
        u: staff_role(User.objects.get(username=u))
        for u in ("quantri", "dieuhanh", "phuong-mc1", "qldt", "dulich")
    }
    assert roles == {
        "quantri": "administrator", "dieuhanh": "operator",
        "phuong-mc1": "ward_officer", "qldt": "agency_officer", "dulich": "tourism",
    }  # fmt: skip
    assert User.objects.get(username="dieuhanh").check_password("hientruong-demo")
    ward_queue = reports_for_staff(User.objects.get(username="phuong-mc1"))
    assert ward_queue.exists() and set(ward_queue.values_list("ward__code", flat=True)) == {"06712"}
    agency_queue = reports_for_staff(User.objects.get(username="qldt"))
    assert set(agency_queue.values_list("agency__code", flat=True)) == {"qldt"}

    out = StringIO()
    call_command("load_demo", reports=400, if_empty=True, stdout=out)
    assert "already loaded" in out.getvalue()
    assert Report.objects.count() == 400 and Ward.objects.count() == 23
