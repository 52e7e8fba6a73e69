"""The right to erasure: a signed-in citizen asks (page or API), the request is logged with
its deadline two working days on, `process_erasure_requests` carries it out (the reports
stay, without contact and unlinked; the account can no longer sign in), and operators see
the deadline, overdue ones marked."""

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

from common.field_crypto import phone_hash
from gis_core.accounts import citizen_for_phone
from gis_core.models import (
    Category,
    CitizenPhone,
    ErasureRequest,
    PhoneLoginCode,
    Report,
    ReportRating,
)
from gis_core.working_time import add_working_days

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
TZ = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def citizen(db) -> User:
    return citizen_for_phone(PHONE)  # as sign-in makes it: username the hash, phone encrypted


def report(**fields) -> Report:
    defaults = {
        "category": Category.objects.get(code="moi_truong"),
        "description": "Rác ở chợ đêm",
        "location": Point(107.97, 21.53, srid=4326),
    }
    return Report.objects.create(**{**defaults, **fields})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_working_days_skip_the_weekend():
    friday = dt.datetime(2026, 3, 6, 16, 30, tzinfo=TZ)
    assert add_working_days(friday, 2) == dt.datetime(2026, 3, 10, 16, 30, tzinfo=TZ)
    saturday = dt.datetime(2026, 3, 7, 10, 0, tzinfo=TZ)
    assert add_working_days(saturday, 2) == dt.datetime(2026, 3, 10, 17, 30, tzinfo=TZ)


def test_the_api_logs_the_request_with_its_deadline_once(citizen):
    client = signed_in(citizen)
    before = timezone.now()
    response = client.post(reverse("api:my-erasure"))
    assert response.status_code == 201, response.content
    erasure = ErasureRequest.objects.get()
    assert erasure.account == citizen and before <= erasure.requested_at <= timezone.now()
    assert erasure.deadline == add_working_days(erasure.requested_at, 2)
    body = response.json()["request"]
    assert body["status"] == "pending"
    assert dt.datetime.fromisoformat(body["deadline"]) == erasure.deadline
    again = client.post(reverse("api:my-erasure"))
    assert again.status_code == 200 and ErasureRequest.objects.count() == 1
    assert client.get(reverse("api:my-erasure")).json()["request"]["status"] == "pending"


def test_only_a_signed_in_citizen_can_ask(db):
    for method in ("get", "post"):
        assert getattr(Client(), method)(reverse("api:my-erasure")).status_code == 403
    assert Client().post(reverse("web_map:request-erasure")).status_code == 302
    assert ErasureRequest.objects.count() == 0


def test_the_api_needs_the_csrf_token_for_a_session(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(reverse("api:my-erasure")).status_code == 403
    assert ErasureRequest.objects.count() == 0


def test_my_reports_page_asks_then_shows_the_deadline(citizen):
    client = signed_in(citizen)
    page = client.get(reverse("web_map:my-reports")).content.decode()
    assert 'action="/cua-toi/xoa-du-lieu/"' in page and "2 ngày làm việc" in page
    response = client.post(reverse("web_map:request-erasure"))
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(account=citizen)
    page = client.get(response["Location"]).content.decode()
    deadline = timezone.localtime(erasure.deadline).strftime("%H:%M %d/%m/%Y")
    assert deadline in page and 'action="/cua-toi/xoa-du-lieu/"' not in page


def test_the_command_anonymises_the_reports_which_stay(citizen):
    mine = report(reporter=citizen, contact_phone=PHONE, contact_name="Lan", status="resolved")
    sent_signed_out = report(contact_phone=PHONE, contact_email="lan@example.vn")
    someone_else = report(contact_phone="+84900000001", contact_name="Minh")
    ReportRating.objects.create(report=mine, rater=citizen, value="satisfied")
    PhoneLoginCode.objects.create(
        phone=phone_hash(PHONE),
        code_hash="0" * 64,
        expires_at=timezone.now() + dt.timedelta(minutes=5),
    )
    operator = User.objects.create_user("op")
    erasure = ErasureRequest.objects.create(
        account=citizen, deadline=timezone.now() + dt.timedelta(days=2)
    )
    out = StringIO()
    call_command("process_erasure_requests", "--by", "op", stdout=out)
    assert "2 report(s) anonymised, account retired" in out.getvalue()

    assert Report.objects.count() == 3  # the reports stay
    for kept in (mine, sent_signed_out):
        kept.refresh_from_db()
        assert (kept.contact_name, kept.contact_phone, kept.contact_email) == ("", "", "")
        assert kept.reporter_id is None
    mine.refresh_from_db()
    assert mine.description == "Rác ở chợ đêm" and mine.status == "resolved"
    assert ReportRating.objects.get(report=mine).rater_id is None
    someone_else.refresh_from_db()
    assert someone_else.contact_phone == "+84900000001"
    assert not PhoneLoginCode.objects.filter(phone=phone_hash(PHONE)).exists()
    citizen.refresh_from_db()
    assert citizen.username == f"erased-{citizen.pk}" and not citizen.is_active
    assert not CitizenPhone.objects.filter(user=citizen).exists()
    erasure.refresh_from_db()
    assert erasure.done_at is not None and erasure.done_by == operator
    assert erasure.reports_anonymised == 2

    again = StringIO()
    call_command("process_erasure_requests", stdout=again)
    assert "0 erasure request(s) carried out" in again.getvalue()


def test_the_retired_account_is_signed_out(citizen):
    client = signed_in(citizen)
    ErasureRequest.objects.create(account=citizen, deadline=timezone.now())
    call_command("process_erasure_requests", stdout=StringIO())
    assert client.get(reverse("api:my-erasure")).status_code == 403
    assert client.get(reverse("web_map:my-reports")).status_code == 302


def test_a_staff_account_keeps_its_sign_in(db):
    staff = User.objects.create_user("+84911000111")
    staff.groups.add(Group.objects.get_or_create(name="ward_officer")[0])
    own = report(reporter=staff, contact_phone="+84911000111")
    ErasureRequest.objects.create(account=staff, deadline=timezone.now())
    call_command("process_erasure_requests", stdout=StringIO())
    staff.refresh_from_db()
    own.refresh_from_db()
    assert staff.is_active and staff.username == "+84911000111"
    assert own.contact_phone == "" and own.reporter_id is None


def test_operators_see_deadlines_with_the_overdue_marked(citizen):
    late = User.objects.create_user("+84912000002")
    ErasureRequest.objects.create(account=citizen, deadline=timezone.now() + dt.timedelta(days=1))
    overdue = ErasureRequest.objects.create(
        account=late,
        requested_at=timezone.now() - dt.timedelta(days=5),
        deadline=timezone.now() - dt.timedelta(hours=1),
    )
    operator = User.objects.create_user("op")
    operator.groups.add(Group.objects.get_or_create(name="operator")[0])
    page = signed_in(operator).get(reverse("web_map:staff-privacy")).content.decode()
    table = page[page.index('id="erasure-pending"') :]
    # Earliest deadline first; the overdue row highlighted and badged, the other not.
    # Accounts by number: their names are phone hashes, and the command needs no contact shown.
    assert table.index(f"#{late.pk}<") < table.index(f"#{citizen.pk}<")
    assert PHONE not in page
    assert f'<tr class="st-row--overdue" data-erasure-id="{overdue.pk}">' in table
    assert "1 quá hạn" in page
    assert page.count("st-row--overdue") == 1


def test_the_admin_lists_requests_with_overdue(citizen):
    ErasureRequest.objects.create(account=citizen, deadline=timezone.now() - dt.timedelta(hours=1))
    admin = User.objects.create_superuser("admin", "admin@example.vn", "pw")
    page = signed_in(admin).get("/admin/gis_core/erasurerequest/").content.decode()
    assert f"#{citizen.pk}" in page and 'alt="True"' in page  # the overdue column's tick
    assert PHONE not in page  # carrying the request out needs no contact shown
