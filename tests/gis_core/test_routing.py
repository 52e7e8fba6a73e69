"""Routing on verification, deadlines on assignment, re-routing with a reason."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from gis_core.models import Agency, AgencyDeadline, Category, Report, RoutingRule
from gis_core.workflow import TransitionError, report_reroute, report_transition
from gis_core.working_time import add_working_hours
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


def make(code: str, category: str = "ha_tang") -> Report:
    x, y = POINTS[code]
    return Report.objects.create(
        category=Category.objects.get(code=category),
        description="x",
        location=Point(x, y, srid=4326),
    )


def agency(code: str) -> Agency:
    return Agency.objects.create(code=code, name=code.upper(), contact_email=f"{code}@example.vn")


def verify(report: Report) -> Report:
    report_transition(report_id=report.pk, from_status="received", to_status="verified")
    report.refresh_from_db()
    return report


def test_most_specific_rule_wins(mong_cai_wards):
    default, infra, ward_office, infra_mc1 = (agency(c) for c in ("ioc", "qldt", "ubnd1", "qldt1"))
    ward_mc1 = Ward.objects.get(version=mong_cai_wards["2025"], code="06712")
    RoutingRule.objects.create(agency=default)
    RoutingRule.objects.create(category=Category.objects.get(code="ha_tang"), agency=infra)
    RoutingRule.objects.create(ward=ward_mc1, agency=ward_office)
    RoutingRule.objects.create(
        category=Category.objects.get(code="ha_tang"), ward=ward_mc1, agency=infra_mc1
    )
    assert verify(make("06712")).agency == infra_mc1  # category × ward
    assert verify(make("06709")).agency == infra  # category × city
    assert verify(make("06712", "moi_truong")).agency == ward_office  # any × ward
    assert verify(make("06709", "moi_truong")).agency == default  # city-wide default


def test_one_rule_per_category_and_ward_even_for_any(mong_cai_wards):
    from django.db import IntegrityError, transaction

    a = agency("a")
    RoutingRule.objects.create(agency=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(agency=agency("b"))


def test_assignment_sets_the_due_time_with_agency_override(mong_cai_wards, city_agency):
    report = verify(make("06709"))
    report_transition(report_id=report.pk, from_status="verified", to_status="assigned")
    report.refresh_from_db()
    assert report.due_at == add_working_hours(report.assigned_at, 40)  # the category's 40 h

    AgencyDeadline.objects.create(
        agency=city_agency, category=Category.objects.get(code="ha_tang"), working_hours=8
    )
    other = verify(make("06712"))
    report_transition(report_id=other.pk, from_status="verified", to_status="assigned")
    other.refresh_from_db()
    assert other.due_at == add_working_hours(other.assigned_at, 8)


def test_assignment_without_an_agency_is_refused(mong_cai_wards):
    report = verify(make("06709"))
    assert report.agency is None
    with pytest.raises(TransitionError, match="Chưa có đơn vị nào xử lý phản ánh này"):
        report_transition(report_id=report.pk, from_status="verified", to_status="assigned")
    report.refresh_from_db()
    assert report.status == "verified" and report.due_at is None


def test_reroute_records_the_reason_and_restarts_the_deadline(mong_cai_wards, city_agency):
    police = agency("cong-an")
    report = verify(make("06709"))
    report_transition(report_id=report.pk, from_status="verified", to_status="assigned")
    with pytest.raises(TransitionError, match="cần ghi lý do"):
        report_reroute(report_id=report.pk, agency_id=police.pk, reason=" ")
    report_reroute(report_id=report.pk, agency_id=police.pk, reason="Thuộc thẩm quyền công an")
    report.refresh_from_db()
    assert report.agency == police
    change = report.routing_changes.get()
    assert (change.from_agency, change.to_agency, change.reason) == (
        city_agency,
        police,
        "Thuộc thẩm quyền công an",
    )
    assert report.due_at == add_working_hours(report.assigned_at, 40)
    with pytest.raises(TransitionError, match="Phản ánh đã ở đơn vị"):
        report_reroute(report_id=report.pk, agency_id=police.pk, reason="again")
    received = make("06712")
    with pytest.raises(TransitionError, match="không chuyển đơn vị được"):
        report_reroute(report_id=received.pk, agency_id=police.pk, reason="x")
