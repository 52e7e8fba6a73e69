"""The staff pages and the public report page through the test client: who sees what.

The pages are only views over gis_core.staff; these tests check that the HTML keeps the same
promises as the JSON API (scope, contact, actions) and never leaks private data publicly.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Agency, Category, Report, ReportTransition, StaffProfile
from tests.hotspot_data import plant_emerging_cluster
from tests.query_count import assert_queries_flat
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
PHONE = "+84911222333"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(mong_cai_wards):
    v2025 = mong_cai_wards["2025"]
    agency_a = Agency.objects.create(code="a", name="Đơn vị A")
    agency_b = Agency.objects.create(code="b", name="Đơn vị B")
    users = {"citizen": User.objects.create_user("+84900000000")}

    def staff(name, group, wards=(), agency=None):
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        profile = StaffProfile.objects.create(user=user, agency=agency)
        profile.wards.set(Ward.objects.filter(version=v2025, code__in=wards))
        users[name] = user

    staff("operator", "operator")
    staff("ward_other", "ward_officer", wards=["06757"])
    staff("agency_own", "agency_officer", agency=agency_a)

    def report(status="assigned", agency=agency_a, description="Cống vỡ", **extra) -> Report:
        x, y = POINTS["06709"]
        return Report.objects.create(
            category=Category.objects.get(code="ha_tang"), description=description,
            location=Point(x, y, srid=4326), status=status, agency=agency,
            contact_phone=PHONE, contact_name="Người Gửi", **extra,
        )  # fmt: skip

    return {"users": users, "report": report, "agency_b": agency_b}


def login(client, world, name):
    client.force_login(world["users"][name])
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_anonymous_goes_to_login_and_citizen_is_refused(client, world):
    report = world["report"]()
    for url in (
        reverse("web_map:staff-queue"),
        reverse("web_map:staff-report", args=[report.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")
    login(client, world, "citizen")
    assert client.get(reverse("web_map:staff-queue")).status_code == 403
    assert client.get(reverse("web_map:staff-report", args=[report.public_id])).status_code == 403


def test_operator_queue_has_contact_map_and_no_contact_in_map(client, world):
    report = world["report"]()
    page = html(login(client, world, "operator").get(reverse("web_map:staff-queue")))
    assert str(report.public_id) in page
    assert "Liên hệ" in page and PHONE in page
    points = page.split('id="staff-points"')[1].split("</script>")[0]
    assert "/can-bo/phan-anh/" in points and PHONE not in points and "Người Gửi" not in points
    assert "web_map/vendor/leaflet/leaflet.js" in page


def test_agency_officer_sees_only_own_reports_and_no_contact(client, world):
    own = world["report"]()
    other = world["report"](agency=world["agency_b"], description="Đèn hỏng")
    login(client, world, "agency_own")
    page = html(client.get(reverse("web_map:staff-queue")))
    assert str(own.public_id) in page and str(other.public_id) not in page
    assert PHONE not in page and "Người Gửi" not in page and "Liên hệ" not in page
    detail = html(client.get(reverse("web_map:staff-report", args=[own.public_id])))
    assert PHONE not in detail and "Người Gửi" not in detail
    assert client.get(reverse("web_map:staff-report", args=[other.public_id])).status_code == 404


def test_ward_officer_of_another_ward_gets_404(client, world):
    report = world["report"]()
    login(client, world, "ward_other")
    assert client.get(reverse("web_map:staff-report", args=[report.public_id])).status_code == 404
    assert str(report.public_id) not in html(client.get(reverse("web_map:staff-queue")))


def test_actions_per_role(client, world):
    assigned = world["report"]()
    agency_page = html(
        login(client, world, "agency_own").get(
            reverse("web_map:staff-report", args=[assigned.public_id])
        )
    )
    assert 'data-to-status="in_progress"' in agency_page and "Bắt đầu xử lý</button>" in agency_page
    assert 'id="reroute-form"' not in agency_page and 'id="merge-form"' not in agency_page
    assert 'id="reject-form"' not in agency_page and 'id="resolve-form"' not in agency_page
    assert 'data-from-status="assigned"' in agency_page

    op_page = html(
        login(client, world, "operator").get(
            reverse("web_map:staff-report", args=[assigned.public_id])
        )
    )
    assert 'data-to-status="in_progress"' in op_page and 'id="reroute-form"' in op_page
    assert "Đơn vị B" in op_page  # the other agency is offered; the current one is not
    assert reverse("api:staff-report-reroute", args=[assigned.public_id]) in op_page

    received = world["report"](status="received", agency=None)
    older = world["report"](
        status="received", agency=None, reported_at=timezone.now() - dt.timedelta(days=1)
    )
    op_page = html(client.get(reverse("web_map:staff-report", args=[received.public_id])))
    assert 'data-to-status="verified"' in op_page and 'id="reject-form"' in op_page
    assert 'value="not_enough_information"' in op_page
    assert 'id="reroute-form"' not in op_page  # not routed yet: verify first
    merge = op_page.split('<select name="into"')[1].split("</select>")[0]
    assert str(older.public_id) in merge and str(received.public_id) not in merge

    in_progress = world["report"](status="in_progress")
    page = html(
        login(client, world, "agency_own").get(
            reverse("web_map:staff-report", args=[in_progress.public_id])
        )
    )
    assert 'id="resolve-form"' in page and 'name="answer"' in page
    assert "data-to-status=" not in page

    resolved = world["report"](status="resolved", answer="Đã sửa")
    page = html(
        login(client, world, "operator").get(
            reverse("web_map:staff-report", args=[resolved.public_id])
        )
    )
    assert 'class="st-form' not in page


def test_queue_filters(client, world):
    received = world["report"](status="received", agency=None)
    overdue = world["report"](due_at=timezone.now() - dt.timedelta(hours=2))
    on_time = world["report"](due_at=timezone.now() + dt.timedelta(hours=2))
    login(client, world, "operator")
    url = reverse("web_map:staff-queue")
    page = html(client.get(url, {"status": "received"}))
    assert str(received.public_id) in page
    assert str(overdue.public_id) not in page and str(on_time.public_id) not in page
    page = html(client.get(url, {"overdue": "1"}))
    assert str(overdue.public_id) in page and "Quá hạn</span>" in page
    assert str(received.public_id) not in page and str(on_time.public_id) not in page
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert str(received.public_id) not in html(client.get(url, {"since": tomorrow}))
    page = html(client.get(url, {"ward": "06757"}))
    assert str(received.public_id) not in page
    page = html(client.get(url, {"since": "not-a-date"}))
    assert "Từ ngày: Đây không phải là ngày (YYYY-MM-DD)." in page


def test_public_page_shows_history_and_answer_never_private_data(client, world):
    report = world["report"](status="resolved", answer="Đã thay nắp cống mới")
    operator = world["users"]["operator"]
    ReportTransition.objects.create(
        report=report, from_status="in_progress", to_status="resolved", actor=operator,
        note="Bí mật nội bộ", public_note="Đã xử lý xong",
    )  # fmt: skip
    page = html(client.get(reverse("web_map:report", args=[report.public_id])))
    assert "Đã thay nắp cống mới" in page and "Đã xử lý xong" in page
    assert "Đơn vị A" in page and "Cống vỡ" in page
    for secret in (PHONE, "Người Gửi", "Bí mật nội bộ", operator.username):
        assert secret not in page

    # The staff page shows who and the internal note.
    staff_page = html(
        login(client, world, "operator").get(
            reverse("web_map:staff-report", args=[report.public_id])
        )
    )
    assert "Bí mật nội bộ" in staff_page and "bởi operator" in staff_page


def test_public_page_of_merged_duplicate_follows_survivor(client, world):
    survivor = world["report"](status="resolved", answer="Đã sửa xong")
    duplicate = world["report"](status="rejected", rejection_reason="duplicate")
    Report.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    page = html(client.get(reverse("web_map:report", args=[duplicate.public_id])))
    assert reverse("web_map:report", args=[survivor.public_id]) in page
    assert "Đã sửa xong" in page and "Đã xử lý" in page
    assert client.get("/phan-anh/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_description_is_escaped_everywhere(client, world):
    report = world["report"](description=XSS)
    public = html(client.get(reverse("web_map:report", args=[report.public_id])))
    login(client, world, "operator")
    queue = html(client.get(reverse("web_map:staff-queue")))
    detail = html(client.get(reverse("web_map:staff-report", args=[report.public_id])))
    for page in (public, queue, detail):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page or "&lt;img" in page


def test_queue_count_is_capped(client, world, monkeypatch):
    """Past the cap the queue says "N+" instead of counting every row."""
    from web_map.staff import CappedPaginator

    world["report"]()
    world["report"]()
    login(client, world, "operator")
    total = Report.objects.count()
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", total - 1)
    page = html(client.get(reverse("web_map:staff-queue")))
    assert f"({total - 1}+)" in page
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", total)
    assert f"({total})" in html(client.get(reverse("web_map:staff-queue")))


def test_emerging_hotspot_alert_for_the_operations_centre_only(client, world):
    """64 reports within ~100 m in Móng Cái 2 in the last 30 days, none before: an emerging
    hotspot. Operators see the alert; a ward officer (who works on their wards' reports only)
    does not."""
    from django.core.cache import cache

    cache.clear()
    plant_emerging_cluster()
    login(client, world, "operator")
    page = html(client.get(reverse("web_map:staff-queue")))
    assert "Điểm nóng mới" in page and "Móng Cái 2 (06709): 64 phản ánh" in page
    client.logout()
    login(client, world, "ward_other")
    assert "Điểm nóng mới" not in html(client.get(reverse("web_map:staff-queue")))
    cache.clear()


def test_refresh_hotspot_alert_command_keeps_the_queue_page_from_computing(
    client, world, monkeypatch
):
    """Cron's `refresh_hotspot_alert` stores the alert; the queue page then only reads it."""
    from io import StringIO

    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    plant_emerging_cluster()
    out = StringIO()
    call_command("refresh_hotspot_alert", stdout=out)
    assert out.getvalue().startswith("1 emerging hotspot(s)") and "(64 reports)" in out.getvalue()

    def no_analysis(**_kwargs):
        raise AssertionError("the page ran the analysis instead of reading the stored alert")

    monkeypatch.setattr("layers.hotspots.find_hotspots", no_analysis)
    login(client, world, "operator")
    assert "Móng Cái 2 (06709): 64 phản ánh" in html(client.get(reverse("web_map:staff-queue")))
    cache.clear()


@pytest.fixture
def mixed_queue(world):
    """Reports that each filter tells apart: status, agency, category, ward, due, day."""
    now = timezone.now()
    x, y = POINTS["06757"]
    elsewhere = world["report"](status="received", agency=None)
    elsewhere.location = Point(x, y, srid=4326)
    elsewhere.category = Category.objects.get(code="moi_truong")
    elsewhere.save()
    return [
        elsewhere,
        world["report"](due_at=now - dt.timedelta(hours=2)),
        world["report"](status="in_progress", due_at=now + dt.timedelta(hours=2)),
        world["report"](status="resolved", due_at=now - dt.timedelta(hours=2), answer="Xong"),
        world["report"](agency=world["agency_b"], reported_at=now - dt.timedelta(days=3)),
    ]


def api_and_page(client, world, query: dict):
    """(API response, page response) for the same query string, as the operator."""
    api = APIClient()
    api.force_login(world["users"]["operator"])
    login(client, world, "operator")
    return (
        api.get(reverse("api:staff-report-list"), query),
        client.get(reverse("web_map:staff-queue"), query),
    )


def test_the_api_and_the_page_filter_the_queue_alike(client, world, mixed_queue):
    today = timezone.localdate()
    x, y = POINTS["06709"]
    mixed_queue[1].refresh_from_db()  # the insert trigger numbers it
    reference = mixed_queue[1].reference
    assert reference
    queries = [
        {},
        *({"overdue": value} for value in ("1", "true", "yes", "on", "TRUE", "0", "no")),
        {"status": "assigned"},
        {"status": "received"},
        {"agency": "b"},
        {"agency": " a "},
        {"category": "moi_truong"},
        {"ward": "06757"},
        {"since": (today - dt.timedelta(days=1)).isoformat()},
        {"until": (today - dt.timedelta(days=1)).isoformat()},
        {"reference": reference},
        {"reference": reference.lower()},
        {"bbox": f"{x - 0.001},{y - 0.001},{x + 0.001},{y + 0.001}"},
        {"status": "assigned", "overdue": "yes", "agency": "a"},
    ]
    sizes = set()
    for query in queries:
        api, page = api_and_page(client, world, query)
        assert api.status_code == 200 and page.status_code == 200, query
        from_api = [f["id"] for f in api.json()["features"]]
        from_page = [str(row["report"].public_id) for row in page.context["rows"]]
        assert from_api == from_page, query
        sizes.add(len(from_api))
    assert len(sizes) >= 4  # the queries do tell the reports apart


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not-a-date"},
        {"until": "2024-13-01"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},  # until + 1 day overflowed into a 500 before
        {"status": "nope"},
        {"reference": "x"},
        {"bbox": "1,2,3"},
        {"status": "nope", "until": "hôm qua", "reference": "MC-1"},
    ],
)
def test_the_api_and_the_page_refuse_the_same_mistakes_alike(client, world, mixed_queue, query):
    api, page = api_and_page(client, world, query)
    assert api.status_code == 400
    refused = api.json()["errors"]
    assert set(refused) == set(query)
    shown = page.context["errors"]
    expected = [m for field in refused for m in refused[field]]
    assert len(shown) == len(expected)
    assert all(any(s.endswith(m) for s in shown) for m in expected), (shown, expected)
    # The page still lists the queue, filtered by what it could read.
    assert len(page.context["rows"]) == len(mixed_queue)


@pytest.mark.parametrize("role", ["operator", "agency_own"])
def test_queue_page_queries_do_not_grow_with_its_rows(client, world, role):
    """The queue page reads its rows, their categories, wards and agencies in one query."""
    world["report"]()
    login(client, world, role)

    def rows() -> int:
        return html(client.get(reverse("web_map:staff-queue"))).count('href="/can-bo/phan-anh/')

    def add_reports() -> None:
        for _ in range(15):
            world["report"]()

    # Session, user, groups, (staff profile), capped count, the page, the category and ward
    # filter lists (the wards with their outlines for the map), the operator's count of
    # reports to review (the hotspot alert is computed once, then cached).
    few, many = assert_queries_flat(rows, add_reports, at_most=9 if role == "operator" else 8)
    assert (few, many) == (1, 16)
