"""Urgent first (issue 11 §2): the category's default on every insert path, who may change the
priority and its history, the urgent deadline in clock hours, urgent-first queues, and the
immediate notice, deferred in the same transaction and sent by the real worker."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import (
    Agency,
    AgencyDeadline,
    Category,
    PriorityChange,
    Report,
    RoutingRule,
    StaffProfile,
)
from gis_core.priority import reports_urgent_open
from gis_core.urgent_notifications import notify_urgent, urgent_recipients
from gis_core.workflow import report_transition
from gis_core.working_time import add_working_hours
from open311.models import ApiKey
from tests.gis_core.worker import mail_files, procrastinate_worker, wait_for  # noqa: F401
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
FORM = "application/x-www-form-urlencoded"
URGENT_CODE = "an_ninh_trat_tu"  # seeded urgent, 4 clock hours (gis_core 0029)


def urgent_jobs() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args FROM procrastinate_jobs WHERE task_name = 'gis_core.notify_urgent' "
            "ORDER BY id"
        )
        rows = [json.loads(a) if isinstance(a, str) else a for (a,) in cursor.fetchall()]
    return [row["report_id"] for row in rows]


def make(code: str = "ha_tang", ward: str = "06709", **fields) -> Report:
    x, y = POINTS[ward]
    return Report.objects.create(
        category=Category.objects.get(code=code),
        description=fields.pop("description", "Sự cố"),
        location=Point(x, y, srid=4326),
        **fields,
    )


@pytest.fixture
def world(mong_cai_wards, seed_categories):
    v2025 = mong_cai_wards["2025"]
    agency = Agency.objects.create(code="dien", name="Điện lực", contact_email="dien@example.vn")
    other = Agency.objects.create(code="khac", name="Khác", contact_email="khac@example.vn")
    RoutingRule.objects.create(category=None, ward=None, agency=agency)
    users = {"citizen": User.objects.create_user("+84900000000")}

    def staff(name, group, wards=(), agency=None):
        user = User.objects.create_user(name, password="x", email=f"{name}@example.vn")
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        profile = StaffProfile.objects.create(user=user, agency=agency)
        profile.wards.set(Ward.objects.filter(version=v2025, code__in=wards))
        users[name] = user

    staff("operator", "operator")
    staff("administrator", "administrator")
    staff("ward_own", "ward_officer", wards=["06709"])
    staff("ward_other", "ward_officer", wards=["06757"])
    staff("agency_own", "agency_officer", agency=agency)
    staff("agency_other", "agency_officer", agency=other)
    return {"users": users, "agency": agency}


def client_for(world, role: str) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def priority_url(report: Report) -> str:
    return reverse("api:staff-report-priority", args=[report.public_id])


# --- the category's default, on every insert path --------------------------------------


@pytest.mark.django_db
def test_a_category_that_defaults_to_urgent_makes_new_reports_urgent_on_every_path(world, tmp_path):
    x, y = POINTS["06709"]
    # The citizen API (ht_report_submit)
    api = APIClient().post(
        reverse("api:report-list"),
        {"category": URGENT_CODE, "description": "Đánh nhau", "lon": x, "lat": y},
        format="json",
    )
    assert api.status_code == 201, api.content
    from_api = Report.objects.get(public_id=api.json()["id"])
    # Open311
    body = {
        "api_key": ApiKey.issue("tests")[1],
        "service_code": URGENT_CODE,
        "lat": y,
        "long": x,
        "description": "Gây rối",
    }
    answer = APIClient().post("/open311/v2/requests.json", urlencode(body), content_type=FORM)
    assert answer.status_code == 201, answer.content
    from_open311 = Report.objects.get(public_id=answer.json()[0]["service_request_id"])
    # The admin
    admin = APIClient()
    admin.force_login(User.objects.create_superuser("root", "root@example.vn", "pw"))
    added = admin.post(
        "/admin/gis_core/report/add/",
        {
            "category": Category.objects.get(code=URGENT_CODE).pk,
            "description": "Nhập từ trang quản trị",
            "location": f"SRID=4326;POINT({x} {y})",
            "status": "received",
            "source": "admin",
            "reported_at_0": "2026-01-05",
            "reported_at_1": "09:00:00",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    from_admin = Report.objects.get(source="admin")
    # The bulk import (its row triggers may be off: it sets the priority itself)
    csv = tmp_path / "legacy.csv"
    csv.write_text(
        "id,category,description,lon,lat,reported_at,status\n"
        f"L1,{URGENT_CODE},Cũ,{x},{y},2026-01-05 08:00,received\n"
        f"L2,moi_truong,Cũ,{x},{y},2026-01-05 08:00,received\n",
        encoding="utf-8",
    )
    call_command("import_reports", str(csv), stdout=StringIO(), stderr=StringIO())
    imported = {r.category.code: r for r in Report.objects.filter(source="import")}
    # A normal category stays normal; an explicit urgent stays urgent.
    normal = make("moi_truong")
    explicit = make("moi_truong", priority="urgent")

    for report in (from_api, from_open311, from_admin, imported[URGENT_CODE], explicit):
        report.refresh_from_db()
        assert (report.priority, report.urgent_open) == ("urgent", True), report.source
    normal.refresh_from_db()
    imported["moi_truong"].refresh_from_db()
    assert normal.priority == imported["moi_truong"].priority == "normal"
    # Each live insert queued its notice in its own transaction; the import none.
    assert urgent_jobs() == [from_api.pk, from_open311.pk, from_admin.pk, explicit.pk]


# --- who may set it, and the history ------------------------------------------------------

SET_EXPECT = {
    "anonymous": 403,
    "citizen": 403,
    "operator": 200,
    "administrator": 200,
    "ward_own": 200,
    "ward_other": 404,  # outside their wards: not found
    "agency_own": 403,  # agencies act on the priority, they do not set it
    "agency_other": 403,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SET_EXPECT))
def test_priority_is_set_by_the_operations_centre_and_ward_officers_only(world, role):
    report = make(status="assigned", agency=world["agency"])
    response = client_for(world, role).post(
        priority_url(report), {"priority": "urgent", "reason": "Dây điện rơi"}, format="json"
    )
    assert response.status_code == SET_EXPECT[role], response.content
    report.refresh_from_db()
    changed = SET_EXPECT[role] == 200
    assert report.priority == ("urgent" if changed else "normal")
    assert PriorityChange.objects.filter(report=report).exists() == changed
    assert urgent_jobs() == ([report.pk] if changed else [])
    if changed:
        assert response.json()["properties"]["priority"] == "urgent"


@pytest.mark.django_db
def test_each_change_is_recorded_and_refusals_name_the_reason(world):
    operator = client_for(world, "operator")
    report = make(status="received")
    url = priority_url(report)
    assert (
        operator.post(url, {"priority": "urgent", "reason": "Cháy"}, format="json").status_code
        == 200
    )
    assert operator.post(url, {"priority": "normal"}, format="json").status_code == 200
    detail = operator.get(reverse("api:staff-report-detail", args=[report.public_id])).json()
    history = detail["properties"]["priority_history"]
    assert [(h["from_priority"], h["priority"], h["by"], h["reason"]) for h in history] == [
        ("normal", "urgent", "operator", "Cháy"),
        ("urgent", "normal", "operator", ""),
    ]
    # Bad value: a 400 naming the field, without the input; the same priority or a closed
    # report: a 409; nothing recorded.
    bad = operator.post(url, {"priority": "<script>"}, format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["priority"]
    assert "<script>" not in bad.content.decode()
    assert operator.post(url, {"priority": "normal"}, format="json").status_code == 409
    Report.objects.filter(pk=report.pk).update(status="resolved")
    assert operator.post(url, {"priority": "urgent"}, format="json").status_code == 409
    assert PriorityChange.objects.filter(report=report).count() == 2


# --- the urgent deadline ----------------------------------------------------------------


@pytest.mark.django_db
def test_urgent_reports_are_due_in_clock_hours_and_a_change_moves_the_deadline(world):
    agency = world["agency"]
    urgent = make(URGENT_CODE, status="verified", agency=agency)
    normal = make("ha_tang", status="verified", agency=agency)
    AgencyDeadline.objects.create(agency=agency, category=normal.category, working_hours=16)
    for report in (urgent, normal):
        report_transition(report_id=report.pk, from_status="verified", to_status="assigned")
        report.refresh_from_db()
    assert urgent.due_at - urgent.assigned_at == dt.timedelta(hours=4)  # day or night
    assert normal.due_at == add_working_hours(normal.assigned_at, 16)

    operator = client_for(world, "operator")
    before = timezone.now()
    assert (
        operator.post(priority_url(normal), {"priority": "urgent"}, format="json").status_code
        == 200
    )
    normal.refresh_from_db()
    # Due within the category's urgent hours from the change (8 by default), never later.
    expected = before + dt.timedelta(hours=normal.category.urgent_deadline_hours)
    assert abs(normal.due_at - expected) < dt.timedelta(minutes=1)
    assert (
        operator.post(priority_url(normal), {"priority": "normal"}, format="json").status_code
        == 200
    )
    normal.refresh_from_db()
    assert normal.due_at == add_working_hours(normal.assigned_at, 16)


# --- urgent first --------------------------------------------------------------------------


def _queue_world(world) -> dict[str, Report]:
    now = timezone.now()
    rows = {
        "old_urgent": make(priority="urgent", reported_at=now - dt.timedelta(days=3)),
        "newest_normal": make(reported_at=now - dt.timedelta(hours=1)),
        "closed_urgent": make(
            priority="urgent", status="resolved", reported_at=now - dt.timedelta(hours=2)
        ),
        "older_normal": make(reported_at=now - dt.timedelta(days=1)),
    }
    return rows


EXPECTED_ORDER = ["old_urgent", "newest_normal", "closed_urgent", "older_normal"]


@pytest.mark.django_db
def test_the_queue_api_lists_open_urgent_reports_first(world):
    rows = _queue_world(world)
    by_id = {str(r.public_id): name for name, r in rows.items()}
    for role in ("operator", "ward_own"):
        data = client_for(world, role).get(reverse("api:staff-report-list")).json()
        assert [by_id[f["id"]] for f in data["features"]] == EXPECTED_ORDER
        assert [f["properties"]["priority"] for f in data["features"]] == [
            "urgent",
            "normal",
            "urgent",
            "normal",
        ]
    assert list(reports_urgent_open()) == [rows["old_urgent"]]


@pytest.mark.django_db
def test_the_queue_page_lists_urgent_first_with_the_badge_and_the_map_marks_them(world):
    rows = _queue_world(world)
    client = APIClient()
    client.force_login(world["users"]["operator"])
    html = client.get(reverse("web_map:staff-queue")).content.decode()
    positions = [html.index(f'data-report-id="{rows[name].public_id}"') for name in EXPECTED_ORDER]
    assert positions == sorted(positions)
    urgent_row = html[positions[0] : positions[1]]
    assert 'class="st-badge st-badge--urgent">Khẩn<' in urgent_row
    assert "st-badge--urgent" not in html[positions[1] : positions[2]]
    points = json.loads(html.split('id="staff-points" type="application/json">')[1].split("<")[0])
    assert [p["urgent"] for p in points] == [True, False, False, False]
    assert points[0]["label"].startswith("Khẩn · ")


@pytest.mark.django_db
def test_the_report_page_shows_the_control_to_those_who_may_set_it(world):
    report = make(priority="urgent", status="assigned", agency=world["agency"])
    for role, control in (("operator", True), ("ward_own", True), ("agency_own", False)):
        client = APIClient()
        client.force_login(world["users"][role])
        html = client.get(reverse("web_map:staff-report", args=[report.public_id])).content
        page = html.decode()
        assert 'id="report-urgent">Khẩn<' in page
        assert ('id="priority-form"' in page) == control, role


@pytest.mark.django_db
def test_the_queue_order_is_read_from_its_index_not_sorted(world):
    _queue_world(world)
    from gis_core.priority import QUEUE_ORDER

    query = Report.objects.order_by(*QUEUE_ORDER)[:50]
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "report_queue_order_idx" in plan and "Sort" not in plan, plan


# --- the immediate notice -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_notice_goes_to_the_agency_its_officers_and_the_ward_officers(world):
    report = make(URGENT_CODE, description="Dây điện rơi xuống đường")  # not yet routed
    report.refresh_from_db()  # the ward, from the trigger
    assert urgent_recipients(report) == [
        "agency_own@example.vn",
        "dien@example.vn",
        "ward_own@example.vn",
    ]
    mail.outbox.clear()
    assert notify_urgent(report.pk) == 3
    assert sorted(m.to[0] for m in mail.outbox) == urgent_recipients(report)
    message = mail.outbox[0]
    assert message.subject.startswith(f"Hiện Trường: phản ánh KHẨN {report.reference}")
    assert "Dây điện rơi xuống đường" in message.body
    assert f"/can-bo/phan-anh/{report.public_id}/" in message.body
    # No longer urgent (or closed) when the worker gets to it: nothing is sent.
    Report.objects.filter(pk=report.pk).update(status="resolved")
    assert notify_urgent(report.pk) == 0


@pytest.mark.django_db
def test_a_change_rolled_back_queues_no_notice(world):
    report = make()
    with pytest.raises(RuntimeError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(priority="urgent")
        assert urgent_jobs() == [report.pk]
        raise RuntimeError("rolled back")
    assert urgent_jobs() == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_notice_when_an_operator_makes_a_report_urgent(
    mong_cai_wards,
    seed_categories,
    mail_files,  # noqa: F811
    request,
):
    worker = request.getfixturevalue("procrastinate_worker")  # after mail_files set the env
    world = request.getfixturevalue("world")
    report = make(status="assigned", agency=world["agency"])
    response = client_for(world, "operator").post(
        priority_url(report), {"priority": "urgent", "reason": "Nguy cơ cháy"}, format="json"
    )
    assert response.status_code == 200
    addresses = ("dien@example.vn", "agency_own@example.vn", "ward_own@example.vn")

    def sent() -> str:
        # The file backend appends the messages of one second to one file.
        text = "\n".join(f.read_text(encoding="utf-8") for f in mail_files.glob("*.log"))
        return text if all(f"To: {a}" in text for a in addresses) else ""

    try:
        text = wait_for(sent, timeout=30, what="the urgent notices")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{worker.output()}") from None
    assert "ward_other@example.vn" not in text and "agency_other" not in text
    assert report.reference in text
    assert settings.PUBLIC_BASE_URL in text
