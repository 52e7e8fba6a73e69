"""The operations centre's board endpoint: its counts against a hand count, who may read it,
and the unchanged poll's fast path (a 304 by one index lookup, counted in queries)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.local_time import local_midnight
from gis_core.board import board_counts
from gis_core.models import Agency, Category, Report, StaffProfile
from layers.board import board_unchanged
from tests.hotspot_data import plant_emerging_cluster
from tests.query_count import queries_of
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
W1, W2 = "06709", "06757"
URL = "/api/v1/staff/board/"


def _later_today(now: dt.datetime) -> dt.datetime:
    """Half-way between now and the local midnight: due today whenever the test runs."""
    end = local_midnight(timezone.localtime(now).date() + dt.timedelta(days=1))
    return now + (end - now) / 2


@pytest.fixture
def board_world(mong_cai_wards):
    """Nine reports whose counts are known by hand (see test_counts_match_a_hand_count)."""
    now = timezone.now()
    a = Agency.objects.create(code="a", name="Đơn vị A")
    b = Agency.objects.create(code="b", name="Đơn vị B")
    category = Category.objects.get(code="ha_tang")

    def report(ward, status, agency=None, due=None, **extra):
        x, y = POINTS[ward]
        return Report.objects.create(
            category=category, description="Cống vỡ", location=Point(x, y, srid=4326),
            status=status, agency=agency, due_at=due, **extra,
        )  # fmt: skip

    past, soon, later = now - dt.timedelta(hours=3), _later_today(now), now + dt.timedelta(days=3)
    made = {
        "r1": report(W1, "received"),
        "r2": report(W2, "received"),
        "r3": report(W1, "assigned", a, past),  # overdue
        "r4": report(W1, "in_progress", a, soon, priority="urgent"),  # due today, urgent
        "r5": report(W1, "in_progress", b, later),  # nothing yet
        "r6": report(W2, "resolved", a, past, needs_review=True),  # review (closed: not overdue)
        "r7": report(W2, "resolved", a, past, priority="urgent"),  # done (urgent, but closed)
        "r8": report(W2, "rejected", None, past),  # done
        "r9": report(W2, "verified", None, past),  # overdue, unrouted
    }
    return {"now": now, "soon": soon, "agencies": (a, b), "reports": made}


def _user(name: str, group: str | None, **profile) -> User:
    user = User.objects.create_user(name, password="x")
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        StaffProfile.objects.create(user=user, **profile)
    return user


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _operator_client() -> APIClient:
    return _client(_user("op", "operator"))


def test_counts_match_a_hand_count(board_world):
    data = _operator_client().get(URL).json()
    assert data["keys"] == ["new", "urgent", "overdue", "due_today", "review"]
    assert data["totals"] == {"new": 2, "urgent": 1, "overdue": 2, "due_today": 1, "review": 1}
    ward_names = dict(Ward.objects.filter(code__in=[W1, W2]).values_list("code", "name"))
    by_agency = {(g["code"], g["name"]): g["counts"] for g in data["by_agency"]}
    assert by_agency == {
        ("", "Chưa chuyển đơn vị xử lý"): {
            "new": 2,
            "urgent": 0,
            "overdue": 1,
            "due_today": 0,
            "review": 0,
        },
        ("a", "Đơn vị A"): {"new": 0, "urgent": 1, "overdue": 1, "due_today": 1, "review": 1},
    }  # B's only report is due in three days: nothing to show
    assert [g["code"] for g in data["by_agency"]] == ["", "a"]  # most overdue, then most new
    by_ward = {(g["code"], g["name"]): g["counts"] for g in data["by_ward"]}
    assert by_ward == {
        (W1, ward_names[W1]): {"new": 1, "urgent": 1, "overdue": 1, "due_today": 1, "review": 0},
        (W2, ward_names[W2]): {"new": 1, "urgent": 0, "overdue": 1, "due_today": 0, "review": 1},
    }
    reports = board_world["reports"]
    newest = [r["id"] for r in data["newest"]]
    assert sorted(newest) == sorted(str(r.public_id) for r in reports.values())
    shown = {r["id"]: r for r in data["newest"]}
    assert shown[str(reports["r3"].public_id)]["overdue"] is True
    assert shown[str(reports["r6"].public_id)]["overdue"] is False
    assert not {"description", "contact", "contact_phone"} & set(data["newest"][0])


def test_due_today_becomes_overdue_by_the_clock_and_the_version_says_when(board_world):
    soon = board_world["soon"]
    counts = board_counts(board_world["now"])
    assert counts.next_change == soon  # the next due time comes before the day's end
    after = board_counts(soon + dt.timedelta(seconds=1))
    assert (after.totals["due_today"], after.totals["overdue"]) == (0, 3)


def test_a_reopened_review_leaves_the_review_count(board_world):
    r6 = board_world["reports"]["r6"]
    assert board_counts().totals["review"] == 1
    Report.objects.filter(pk=r6.pk).update(status="in_progress", needs_review=False)
    assert board_counts().totals["review"] == 0


@pytest.mark.parametrize(
    ("group", "superuser", "status"),
    [
        ("operator", False, 200),
        ("administrator", False, 200),
        (None, True, 200),
        ("ward_officer", False, 403),
        ("agency_officer", False, 403),
        (None, False, 403),  # a signed-in citizen
    ],
)
def test_only_the_operations_centre_reads_the_board(board_world, group, superuser, status):
    user = _user("someone", group)
    if superuser:
        user.is_superuser = True
        user.save()
    response = _client(user).get(URL)
    assert response.status_code == status
    if status == 403:
        assert set(response.json()) == {"detail", "code"}


def test_anonymous_gets_403_from_the_api_and_the_login_from_the_page(board_world):
    assert APIClient().get(URL).status_code == 403
    page = APIClient().get(reverse("web_map:board"))
    assert page.status_code == 302 and page["Location"].startswith("/admin/login/?next=")
    officer = _user("ward", "ward_officer")
    assert _client(officer).get(reverse("web_map:board")).status_code == 403
    operator = _client(_user("op", "operator")).get(reverse("web_map:board"))
    assert operator.status_code == 200
    assert b'id="board-data"' in operator.content


def test_an_unchanged_poll_is_a_304_from_one_index_lookup(board_world):
    client = _operator_client()
    first = client.get(URL)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    response, sql = queries_of(lambda: client.get(URL, HTTP_IF_NONE_MATCH=etag))
    assert response.status_code == 304 and response["ETag"] == etag
    reports = [q for q in sql if "gis_core_report" in q]
    assert len(reports) == 1 and 'MAX("gis_core_report"."updated_at")' in reports[0], sql
    assert not any("COUNT(" in q for q in sql), sql
    assert len(sql) <= 4, sql  # the session, the user, the groups, the lookup

    # A new report changes the version: the next poll gets the full answer with it.
    x, y = POINTS[W1]
    Report.objects.create(
        category=Category.objects.get(code="ha_tang"), description="Mới",
        location=Point(x, y, srid=4326),
    )  # fmt: skip
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["totals"]["new"] == 3


def test_a_workflow_change_and_a_foreign_tag_are_not_304(board_world):
    client = _operator_client()
    etag = client.get(URL)["ETag"]
    r1 = board_world["reports"]["r1"]
    r1.status = "verified"
    r1.save(update_fields=["status", "updated_at"])
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["totals"]["new"] == 1
    for foreign in ('"b1-1-99999999999-000000000000"', "*", '"x"', etag):
        assert client.get(URL, HTTP_IF_NONE_MATCH=foreign).status_code == 200


def test_a_version_past_its_time_is_not_held(board_world):
    client = _operator_client()
    etag = client.get(URL)["ETag"]
    assert board_unchanged(etag) and board_unchanged("W/" + etag)
    last, _until, alert = etag.strip('"').split("-")[1:]
    assert not board_unchanged(f'"b1-{last}-{int(timezone.now().timestamp()) - 1}-{alert}"')


def test_the_board_shows_the_emerging_hotspot_alert_and_its_change(board_world):
    """The version holds the stored alert: cron's refresh (a new alert) changes it even when
    no report's updated_at moved."""
    client = _operator_client()
    first = client.get(URL)
    etag, last = first["ETag"], Report.objects.aggregate(m=Max("updated_at"))["m"]
    assert first.json()["hotspots"] == []
    plant_emerging_cluster(ward_code=W1)
    Report.objects.filter(updated_at__gt=last).update(updated_at=last)  # same last change
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304  # the stored alert
    call_command("refresh_hotspot_alert", stdout=StringIO())
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    alert = response.json()["hotspots"]
    assert len(alert) == 1 and alert[0]["ward_code"] == W1 and alert[0]["report_count"] >= 64
