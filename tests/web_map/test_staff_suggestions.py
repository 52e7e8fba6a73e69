"""The classifier's suggestion on the staff pages (issue 14): beside the chosen category, with
the agency it would go to; the queue's "another category suggested" filter; the category form
only for the operations centre, before the report is handed over."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.urls import reverse

from gis_core.category_suggestions import fill_suggestions
from gis_core.models import Agency, Category, Report, RoutingRule, StaffProfile
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
DRAIN = "Cống thoát nước trước nhà bị tắc, mưa xuống là nước tràn lên mặt đường"
RUBBISH = "Rác thải đổ trộm ven đường bốc mùi hôi thối cả tuần không ai dọn"


def make(text: str, status: str = "received") -> Report:
    x, y = POINTS["06709"]
    return Report.objects.create(
        category=Category.objects.get(code="moi_truong"),
        description=text,
        location=Point(x, y, srid=4326),
        status=status,
    )


def login(client, name: str, group: str, wards=()):
    user = User.objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    profile = StaffProfile.objects.create(user=user)
    profile.wards.set(Ward.objects.filter(code__in=wards, version__valid_to__isnull=True))
    client.force_login(user)
    return client


def test_the_report_page_shows_the_suggestion_and_where_it_would_go(
    client, mong_cai_wards, current_model
):
    works = Agency.objects.create(code="qldt", name="Phòng Quản lý đô thị")
    RoutingRule.objects.create(category=Category.objects.get(code="ha_tang"), agency=works)
    drain, rubbish = make(DRAIN), make(RUBBISH)
    fill_suggestions()
    login(client, "operator", "operator")
    page = client.get(reverse("web_map:staff-report", args=[drain.public_id])).content.decode()
    assert 'id="report-suggestion" class="st-suggested" data-differs="1"' in page
    assert "khác lĩnh vực đã chọn" in page and "sẽ chuyển cho Phòng Quản lý đô thị" in page
    assert 'id="category-form"' in page
    agreeing = client.get(reverse("web_map:staff-report", args=[rubbish.public_id])).content
    assert b'id="report-suggestion">' in agreeing and b"data-differs" not in agreeing


def test_a_report_not_reached_yet_gets_its_suggestion_on_the_spot(
    client, mong_cai_wards, current_model
):
    report = make(DRAIN)
    login(client, "operator", "operator")
    page = client.get(reverse("web_map:staff-report", args=[report.public_id])).content.decode()
    assert "data-differs" in page
    report.refresh_from_db()
    assert report.suggested_score is None  # a read never writes


def test_ward_officers_see_the_hint_but_not_the_form(client, mong_cai_wards, current_model):
    report = make(DRAIN)
    login(client, "ward", "ward_officer", wards=["06709"])
    page = client.get(reverse("web_map:staff-report", args=[report.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "report-suggestion" in body and 'id="category-form"' not in body


def test_no_form_once_handed_over(client, mong_cai_wards, current_model):
    report = make(DRAIN, status="assigned")
    login(client, "operator", "operator")
    body = client.get(reverse("web_map:staff-report", args=[report.public_id])).content
    assert b'id="category-form"' not in body


def test_the_queue_marks_and_filters_disagreements(client, mong_cai_wards, current_model):
    wrong, right = make(DRAIN), make(RUBBISH)
    fill_suggestions()
    login(client, "operator", "operator")
    every = client.get(reverse("web_map:staff-queue")).content.decode()
    assert every.count('class="st-suggested"') == 1
    only = client.get(reverse("web_map:staff-queue"), {"disagrees": "1"}).content.decode()
    assert str(wrong.public_id) in only and str(right.public_id) not in only
    assert 'name="disagrees" value="1" checked' in only


def test_without_a_model_the_pages_show_no_hint(client, mong_cai_wards):
    report = make(DRAIN)
    login(client, "operator", "operator")
    body = client.get(reverse("web_map:staff-report", args=[report.public_id])).content
    assert b"report-suggestion" not in body and b'id="category-form"' in body
