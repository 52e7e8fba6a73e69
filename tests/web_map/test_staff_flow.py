"""A flow that matches the work (issue 11, section 3): verifying assigns in one step with its
deadline, a hold needs a reason, buttons name the action, a dissatisfied rating reaches the
operator with the reopen action, answer templates, the report page's map, the ward filter's
scope and the overdue list's lateness."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.humanize import lateness
from gis_core.actions import allowed_actions
from gis_core.models import (
    Agency,
    Category,
    Report,
    ReportRating,
    ResponseTemplate,
    RoutingRule,
    StaffProfile,
)
from gis_core.workflow import TransitionError, report_rate, report_transition
from gis_core.working_time import add_working_hours
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


@pytest.fixture
def world(mong_cai_wards):
    v2025 = mong_cai_wards["2025"]
    agency = Agency.objects.create(code="qldt", name="Phòng Quản lý đô thị")
    category = Category.objects.get_or_create(
        code="ha_tang", defaults={"name_vi": "Hạ tầng", "name_en": "Infrastructure"}
    )[0]
    RoutingRule.objects.create(category=category, ward=None, agency=agency)
    citizen = User.objects.create_user("+84900000009")
    users = {"citizen": citizen}

    def staff(name, group, wards=(), agency=None):
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        profile = StaffProfile.objects.create(user=user, agency=agency)
        profile.wards.set(Ward.objects.filter(version=v2025, code__in=wards))
        users[name] = user

    staff("operator", "operator")
    staff("ward", "ward_officer", wards=["06709"])
    staff("agency", "agency_officer", agency=agency)

    def report(status="received", **extra) -> Report:
        x, y = POINTS["06709"]
        return Report.objects.create(
            category=category, description="Nắp cống vỡ", location=Point(x, y, srid=4326),
            status=status, reporter=citizen, **extra,
        )  # fmt: skip

    return {"users": users, "report": report, "agency": agency, "category": category}


def page(world, name, url, **params) -> str:
    client = Client()
    client.force_login(world["users"][name])
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def api(world, name) -> APIClient:
    client = APIClient()
    client.force_login(world["users"][name])
    return client


def transition_url(report) -> str:
    return reverse("api:staff-report-transition", args=[report.public_id])


def report_url(report) -> str:
    return reverse("web_map:staff-report", args=[report.public_id])


def test_verifying_assigns_in_one_step_with_the_deadline(world):
    report = world["report"]()
    response = api(world, "ward").post(
        transition_url(report),
        {"from_status": "received", "to_status": "assigned", "note": "Đã xác minh tại chỗ"},
        format="json",
    )
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == "assigned" and report.agency == world["agency"]
    assert report.assigned_at is not None
    hours = world["category"].deadline_working_hours
    assert report.due_at == add_working_hours(report.assigned_at, hours)
    history = list(report.transitions.values_list("from_status", "to_status", "note"))
    assert history == [("received", "assigned", "Đã xác minh tại chỗ")]
    # The agency officer now has their button at once, named for the action.
    html = page(world, "agency", report_url(report))
    assert 'data-to-status="in_progress"' in html and "Bắt đầu xử lý</button>" in html


def test_one_step_without_an_agency_is_refused(world):
    RoutingRule.objects.all().delete()
    report = world["report"]()
    with pytest.raises(TransitionError, match="Chưa có đơn vị nào xử lý phản ánh này"):
        report_transition(report_id=report.pk, from_status="received", to_status="assigned")
    report.refresh_from_db()
    assert report.status == "received" and report.due_at is None
    # The page (and the API's allowed actions) then offer plain verification, not the
    # one-step button nor a hold.
    actions = allowed_actions(world["users"]["operator"], report)
    assert {"to_status": "verified", "label": "Xác minh"} in actions
    assert "assigned" not in {a["to_status"] for a in actions}
    html = page(world, "operator", report_url(report))
    assert 'data-to-status="verified"' in html and ">Xác minh</button>" in html
    assert 'data-to-status="assigned"' not in html and 'id="hold-form"' not in html


def test_holding_at_verified_needs_a_reason_kept_in_the_history(world):
    report = world["report"]()
    client = api(world, "operator")
    body = {"from_status": "received", "to_status": "verified"}
    refused = client.post(transition_url(report), body, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["errors"]
    report.refresh_from_db()
    assert report.status == "received" and not report.transitions.exists()
    held = client.post(
        transition_url(report), {**body, "note": "Chờ ý kiến lãnh đạo phường"}, format="json"
    )
    assert held.status_code == 200, held.content
    report.refresh_from_db()
    assert report.status == "verified" and report.due_at is None
    assert report.transitions.get().note == "Chờ ý kiến lãnh đạo phường"
    assert "Chờ ý kiến lãnh đạo phường" in page(world, "operator", report_url(report))


def test_received_page_offers_verify_and_assign_and_a_hold_form(world):
    report = world["report"]()
    html = page(world, "operator", report_url(report))
    assert 'data-to-status="assigned"' in html and "Xác minh và chuyển xử lý</button>" in html
    assert "Chuyển đến: Phòng Quản lý đô thị" in html
    hold = html.split('id="hold-form"')[1].split("</form>")[0]
    assert 'value="verified"' in hold and 'name="note" rows="2" required' in hold


@pytest.mark.parametrize(
    "role,status,expected",
    [
        ("operator", "received", {"assigned": "Xác minh và chuyển xử lý", "rejected": "Từ chối"}),
        ("ward", "received", {"assigned": "Xác minh và chuyển xử lý", "rejected": "Từ chối"}),
        ("agency", "received", {}),
        ("agency", "assigned", {"in_progress": "Bắt đầu xử lý"}),
        ("agency", "in_progress", {"resolved": "Hoàn thành và trả lời"}),
        ("operator", "verified", {"assigned": "Chuyển xử lý", "rejected": "Từ chối"}),
    ],
)
def test_action_labels_per_role(world, role, status, expected):
    report = world["report"](status=status, agency=world["agency"])
    actions = {a["to_status"]: a["label"] for a in allowed_actions(world["users"][role], report)}
    # The operator may also hold a received report at verified.
    actions.pop("verified", None)
    assert actions == expected
    detail = api(world, role).get(reverse("api:staff-report-detail", args=[report.public_id]))
    listed = {a["to_status"] for a in detail.json()["properties"]["allowed_actions"]}
    assert listed - {"verified"} == set(expected)


def resolved_and_rated(world, value="dissatisfied", comment="Vẫn còn ổ gà"):
    report = world["report"](status="in_progress", agency=world["agency"])
    report_transition(
        report_id=report.pk, from_status="in_progress", to_status="resolved", answer="Đã sửa"
    )
    report_rate(report_id=report.pk, user=world["users"]["citizen"], value=value, comment=comment)
    report.refresh_from_db()
    return report


def test_dissatisfied_rating_is_shown_listed_for_review_and_reopened(world):
    report = resolved_and_rated(world)
    content = resolved_and_rated(world, value="satisfied", comment="Cảm ơn")
    html = page(world, "operator", report_url(report))
    rating = html.split('id="rating"')[1].split("</section>")[0]
    assert "Không hài lòng" in rating and "Vẫn còn ổ gà" in rating and "Cần xem lại" in rating
    assert 'data-to-status="in_progress"' in html and "Mở lại</button>" in html
    # The operator's "cần xem lại" tab lists it, and only it.
    queue = page(world, "operator", reverse("web_map:staff-queue"), review="1")
    assert str(report.public_id) in queue and str(content.public_id) not in queue
    assert 'id="review-tab"' in queue and "(1)" in queue.split('id="review-tab"')[1][:200]
    # The agency sees the rating but cannot reopen (the operations centre's decision).
    agency_html = page(world, "agency", report_url(report))
    assert "Vẫn còn ổ gà" in agency_html and "Mở lại</button>" not in agency_html
    assert 'id="review-tab"' not in page(world, "agency", reverse("web_map:staff-queue"))
    # Reopening through the page's form: back in progress, off the review list.
    response = api(world, "operator").post(
        transition_url(report), {"from_status": "resolved", "to_status": "in_progress"}, "json"
    )
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == "in_progress" and not report.needs_review
    queue = page(world, "operator", reverse("web_map:staff-queue"), review="1")
    assert str(report.public_id) not in queue
    assert ReportRating.objects.get(report=report).value == "dissatisfied"


def test_answer_templates_fill_the_answer_and_are_sent_edited(world):
    own = ResponseTemplate.objects.create(
        category=world["category"], status="resolved", title="Đã thay nắp cống",
        text="Đơn vị đã thay nắp cống mới tại vị trí phản ánh.",
    )  # fmt: skip
    anywhere = ResponseTemplate.objects.create(
        category=None, status="resolved", title="Mẫu chung", text="Đã xử lý xong."
    )
    other = Category.objects.create(code="khac_x", name_vi="Khác X", name_en="Other X")
    ResponseTemplate.objects.create(
        category=other, status="resolved", title="Lĩnh vực khác", text="x"
    )
    ResponseTemplate.objects.create(
        category=None, status="resolved", title="Tắt", text="x", is_active=False
    )
    report = world["report"](status="in_progress", agency=world["agency"])
    html = page(world, "agency", report_url(report))
    resolve = html.split('id="resolve-form"')[1].split("</form>")[0]
    assert "Đã thay nắp cống" in resolve and "Mẫu chung" in resolve
    assert "Lĩnh vực khác" not in resolve and "Tắt" not in resolve
    assert f'data-text="{own.text}"' in resolve and 'form="pick-resolved"' in resolve
    assert '<form id="pick-resolved" method="get"' in html
    # Without JavaScript: the GET fills the answer in.
    filled = page(world, "agency", report_url(report), mau=str(anywhere.pk))
    answer = filled.split('name="answer"')[1].split("</textarea>")[0]
    assert answer.endswith("Đã xử lý xong.")
    # Edited, then sent as the public answer.
    text = own.text + " Xin cảm ơn."
    response = api(world, "agency").post(
        transition_url(report),
        {"from_status": "in_progress", "to_status": "resolved", "answer": text},
        format="json",
    )
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == "resolved" and report.answer == text


def test_report_page_has_a_map_with_the_ward_outline_and_a_geo_link(world):
    report = world["report"]()
    report.refresh_from_db()  # the ward, set by the database
    html = page(world, "operator", report_url(report))
    lon, lat = report.location.coords
    assert 'id="report-map"' in html
    assert f'href="geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}"' in html
    assert f"mlat={lat:.6f}&amp;mlon={lon:.6f}" in html
    ward = json.loads(html.split('id="report-ward" type="application/json">')[1].split("<")[0])
    assert [f["properties"]["name"] for f in ward] == [report.ward.name]
    assert ward[0]["geometry"]["type"] == "MultiPolygon"
    assert "data-tiles-notice hidden" in html


def ward_choices(html: str) -> list[str]:
    select = html.split('<select name="ward">')[1].split("</select>")[0]
    return [part.split('"')[0] for part in select.split('<option value="')[2:]]


def test_ward_filter_lists_only_the_wards_in_scope(world, mong_cai_wards):
    queue = reverse("web_map:staff-queue")
    assert ward_choices(page(world, "ward", queue)) == ["06709"]
    today = set(Ward.objects.filter(version=mong_cai_wards["2025"]).values_list("code", flat=True))
    operator = page(world, "operator", queue)
    assert sorted(ward_choices(operator)) == sorted(today) and len(today) == 6
    outlines = json.loads(
        operator.split('id="staff-wards" type="application/json">')[1].split("<")[0]
    )
    assert len(outlines) == 6 and all(f["geometry"]["type"] == "MultiPolygon" for f in outlines)


def test_overdue_list_says_how_late_most_overdue_first(world):
    now = timezone.now()
    a_bit = world["report"](
        status="assigned", agency=world["agency"], due_at=now - dt.timedelta(minutes=45)
    )
    very = world["report"](
        status="in_progress", agency=world["agency"],
        due_at=now - dt.timedelta(days=2, hours=3, minutes=10),
    )  # fmt: skip
    world["report"](status="assigned", agency=world["agency"], due_at=now + dt.timedelta(hours=1))
    html = page(world, "operator", reverse("web_map:staff-queue"), overdue="1")
    rows = html.split('data-report-id="')[1:]
    assert [r.split('"')[0] for r in rows] == [str(very.public_id), str(a_bit.public_id)]
    assert "trễ 2 ngày 3 giờ" in rows[0] and "trễ 45 phút" in rows[1]


@pytest.mark.parametrize(
    "late,text",
    [
        (dt.timedelta(days=2, hours=3, minutes=59), "trễ 2 ngày 3 giờ"),
        (dt.timedelta(days=1), "trễ 1 ngày"),
        (dt.timedelta(hours=5, minutes=7), "trễ 5 giờ 7 phút"),
        (dt.timedelta(seconds=20), "trễ 1 phút"),
    ],
)
def test_lateness_is_humanized(late, text):
    assert lateness(late) == text
