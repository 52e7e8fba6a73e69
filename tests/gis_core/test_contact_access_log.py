"""The contact access log: each staff answer that shows a reporter's contact writes one row
per report shown (who, which report, when, which view); answers that show none write none;
only operators and administrators read it; old rows are purged."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gis_core.models import Agency, Category, ContactAccess, Report, StaffProfile
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
PHONE = "+84911222333"


@pytest.fixture
def world(mong_cai_wards):
    v2025 = mong_cai_wards["2025"]
    agency = Agency.objects.create(code="a", name="Đơn vị A")
    users = {"citizen": User.objects.create_user("+84900000000")}

    def staff(name, group, wards=(), is_staff=False):
        user = User.objects.create_user(name, password="x", is_staff=is_staff)
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        profile = StaffProfile.objects.create(
            user=user, agency=agency if group == "agency_officer" else None
        )
        profile.wards.set(Ward.objects.filter(version=v2025, code__in=wards))
        users[name] = user

    staff("operator", "operator")
    staff("ward_own", "ward_officer", wards=["06709"], is_staff=True)
    staff("agency_own", "agency_officer")
    users["admin"] = User.objects.create_superuser("admin", "admin@example.vn", "pw")

    def report(contact=True, status="assigned") -> Report:
        x, y = POINTS["06709"]
        extra = {"contact_phone": PHONE, "contact_name": "Người Gửi"} if contact else {}
        return Report.objects.create(
            category=Category.objects.get(code="ha_tang"), description="Cống vỡ",
            location=Point(x, y, srid=4326), status=status, agency=agency, **extra,
        )  # fmt: skip

    return {"users": users, "report": report}


def as_user(world, name) -> Client:
    client = Client()
    if name != "anonymous":
        client.force_login(world["users"][name])
    return client


def rows() -> list[tuple[str, int, str]]:
    return list(ContactAccess.objects.order_by("id").values_list("username", "report_id", "view"))


def test_staff_api_detail_logs_who_saw_which_report_where(world):
    report = world["report"]()
    before = timezone.now()
    response = as_user(world, "operator").get(
        reverse("api:staff-report-detail", args=[report.public_id])
    )
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert rows() == [("operator", report.pk, "api:staff-report-detail")]
    entry = ContactAccess.objects.get()
    assert entry.user == world["users"]["operator"] and before <= entry.at <= timezone.now()


def test_staff_api_list_logs_one_row_per_report_with_contact(world):
    with_contact = [world["report"]() for _ in range(3)]
    world["report"](contact=False)  # shown, but it has no contact to reveal
    response = as_user(world, "ward_own").get(reverse("api:staff-report-list"))
    assert len(response.json()["features"]) == 4
    assert sorted(r[1] for r in rows()) == sorted(r.pk for r in with_contact)
    assert {(r[0], r[2]) for r in rows()} == {("ward_own", "api:staff-report-list")}


def test_a_transition_answer_with_contact_is_logged(world):
    report = world["report"](status="received")
    response = as_user(world, "operator").post(
        reverse("api:staff-report-transition", args=[report.public_id]),
        {"from_status": "received", "to_status": "verified"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert rows() == [("operator", report.pk, "api:staff-report-transition")]


def test_staff_pages_log_the_report_and_the_queue(world):
    report = world["report"]()
    other = world["report"]()
    client = as_user(world, "ward_own")
    page = client.get(reverse("web_map:staff-report", args=[report.public_id]))
    assert page.status_code == 200 and PHONE in page.content.decode()
    assert rows() == [("ward_own", report.pk, "web_map:staff-report")]
    ContactAccess.objects.all().delete()
    queue = client.get(reverse("web_map:staff-queue"))
    assert queue.status_code == 200 and PHONE in queue.content.decode()
    assert sorted(r[1] for r in rows()) == sorted([report.pk, other.pk])
    assert {r[2] for r in rows()} == {"web_map:staff-queue"}


def test_the_admin_change_page_is_logged_and_its_list_is_not(world):
    report = world["report"]()
    client = as_user(world, "admin")
    assert client.get("/admin/gis_core/report/").status_code == 200
    assert rows() == []
    page = client.get(f"/admin/gis_core/report/{report.pk}/change/")
    assert page.status_code == 200 and PHONE in page.content.decode()
    assert rows() == [("admin", report.pk, "admin:gis_core_report_change")]


def test_views_that_show_no_contact_log_nothing(world):
    report = world["report"]()
    agency = as_user(world, "agency_own")
    detail = agency.get(reverse("api:staff-report-detail", args=[report.public_id]))
    assert detail.status_code == 200 and PHONE not in detail.content.decode()
    assert agency.get(reverse("web_map:staff-queue")).status_code == 200
    assert agency.get(reverse("api:staff-report-list")).status_code == 200
    for name in ("anonymous", "citizen"):
        client = as_user(world, name)
        assert client.get(reverse("api:report-detail", args=[report.public_id])).status_code == 200
        assert client.get(reverse("api:report-list")).status_code == 200
        assert client.get(reverse("web_map:report", args=[report.public_id])).status_code == 200
    assert rows() == []


@pytest.mark.parametrize(
    ("role", "page_status", "admin_status"),
    [
        ("operator", 200, 302),  # not an admin user: the admin sends them to its login
        ("admin", 200, 200),
        ("ward_own", 403, 403),  # an admin user, but not one who audits the log
        ("agency_own", 403, 302),
        ("citizen", 403, 302),
        ("anonymous", 302, 302),
    ],
)
def test_only_operators_and_administrators_read_the_log(world, role, page_status, admin_status):
    report = world["report"]()
    as_user(world, "ward_own").get(reverse("api:staff-report-detail", args=[report.public_id]))
    client = as_user(world, role)
    page = client.get(reverse("web_map:staff-privacy"))
    assert page.status_code == page_status
    if page_status == 200:
        assert "ward_own" in page.content.decode() and report.reference in page.content.decode()
    else:
        assert "ward_own" not in page.content.decode()
    admin = client.get("/admin/gis_core/contactaccess/")
    assert admin.status_code == admin_status
    if admin_status == 200:
        assert "ward_own" in admin.content.decode()
        # Read-only: no add, no change, no delete.
        assert client.get("/admin/gis_core/contactaccess/add/").status_code == 403
        entry = ContactAccess.objects.get()
        assert client.post(f"/admin/gis_core/contactaccess/{entry.pk}/delete/").status_code == 403
        assert ContactAccess.objects.count() == 1


def test_the_retention_command_purges_old_log_rows(world, settings):
    settings.CONTACT_ACCESS_LOG_MONTHS = 12
    report = world["report"]()
    staff = world["users"]["operator"]
    now = timezone.now()
    for days in (400, 370, 300, 1):
        ContactAccess.objects.create(
            user=staff,
            username="operator",
            report=report,
            view="x",
            at=now - dt.timedelta(days=days),
        )
    out = StringIO()
    call_command("anonymise_reports", "--dry-run", stdout=out)
    assert "2 contact access log row(s)" in out.getvalue() and ContactAccess.objects.count() == 4
    call_command("anonymise_reports", stdout=StringIO())
    kept = sorted((now - at).days for at in ContactAccess.objects.values_list("at", flat=True))
    assert kept == [1, 300]
