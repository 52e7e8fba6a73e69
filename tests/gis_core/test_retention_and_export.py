"""Personal data: retention (anonymise_reports), the citizen's own export, and no reporter's
phone, name or e-mail on any public surface (APIs, tiles, exports, pages, error pages)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, Report, ReportRating, ReportTransition
from gis_core.retention import months_ago
from tests.tile_math import tile_xy
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
NAME, PHONE, EMAIL = "Trần Thị Riêng Tư", "+84977123456", "riengtu@example.vn"
SECRETS = (NAME, PHONE, EMAIL, "977123456", "0977 123 456", "riengtu")


def make_report(status="received", closed_days_ago=None, reporter=None, **extra) -> Report:
    x, y = POINTS["06709"]
    report = Report.objects.create(
        category=Category.objects.get(code="ha_tang"), description="Cống vỡ",
        location=Point(x, y, srid=4326), status=status, reporter=reporter,
        contact_name=NAME, contact_phone=PHONE, contact_email=EMAIL, **extra,
    )  # fmt: skip
    if closed_days_ago is not None:
        when = timezone.now() - dt.timedelta(days=closed_days_ago)
        transition = ReportTransition.objects.create(
            report=report, from_status="verified", to_status=status
        )
        ReportTransition.objects.filter(pk=transition.pk).update(created_at=when)
        if status == "resolved":
            Report.objects.filter(pk=report.pk).update(resolved_at=when)
    return report


# --- retention ----------------------------------------------------------------------------


def test_months_ago_handles_month_ends():
    now = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert months_ago(1, now) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert months_ago(24, now) == dt.datetime(2024, 3, 31, 12, tzinfo=dt.UTC)


def test_anonymise_closed_reports_after_the_retention_period(settings, django_user_model):
    settings.RETENTION_MONTHS = 24
    citizen = django_user_model.objects.create_user(PHONE)
    old_resolved = make_report("resolved", closed_days_ago=800, reporter=citizen)
    ReportRating.objects.create(report=old_resolved, value="satisfied", rater=citizen)
    old_rejected = make_report("rejected", closed_days_ago=760)
    recent_resolved = make_report("resolved", closed_days_ago=30, reporter=citizen)
    old_but_open = make_report("in_progress")
    Report.objects.filter(pk=old_but_open.pk).update(
        reported_at=timezone.now() - dt.timedelta(days=900)
    )

    out = io.StringIO()
    call_command("anonymise_reports", "--dry-run", stdout=out)
    assert "2 report(s)" in out.getvalue() and "would be anonymised" in out.getvalue()
    assert Report.objects.filter(contact_phone=PHONE).count() == 4  # dry run: nothing changed

    out = io.StringIO()
    call_command("anonymise_reports", stdout=out)
    text = out.getvalue()
    assert "2 report(s)" in text and "1 unlinked from a citizen account" in text
    assert "1 rating(s) unlinked" in text
    for report in (old_resolved, old_rejected):
        report.refresh_from_db()
        assert (report.contact_name, report.contact_phone, report.contact_email) == ("", "", "")
        assert report.reporter_id is None
        assert report.description == "Cống vỡ"  # the public record stays
    assert ReportRating.objects.get(report=old_resolved).rater_id is None
    for report in (recent_resolved, old_but_open):
        report.refresh_from_db()
        assert report.contact_phone == PHONE and report.contact_name == NAME

    out = io.StringIO()
    call_command("anonymise_reports", stdout=out)  # idempotent
    assert out.getvalue().startswith("0 report(s)")


def test_anonymise_falls_back_to_resolved_at_without_transitions(settings):
    report = make_report("resolved")
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - dt.timedelta(days=400))
    call_command("anonymise_reports", "--months", "12", stdout=io.StringIO())
    report.refresh_from_db()
    assert report.contact_phone == ""


# --- the citizen's export -----------------------------------------------------------------


def test_export_is_the_citizens_own_data_as_a_download(django_user_model):
    me = django_user_model.objects.create_user(PHONE)
    other = django_user_model.objects.create_user("+84911000111")
    mine = make_report("resolved", closed_days_ago=1, reporter=me)
    ReportRating.objects.create(report=mine, value="acceptable", comment="ổn", rater=me)
    theirs = make_report(reporter=other)
    Report.objects.filter(pk=theirs.pk).update(
        contact_phone="+84911000111", contact_name="Người Khác"
    )

    assert APIClient().get(reverse("api:my-export")).status_code == 403
    client = APIClient()
    client.force_login(me)
    response = client.get(reverse("api:my-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["phone"] == PHONE
    features = data["reports"]["features"]
    assert [f["id"] for f in features] == [str(mine.public_id)]
    assert features[0]["properties"]["contact"] == {"name": NAME, "phone": PHONE, "email": EMAIL}
    assert data["ratings"][0]["value"] == "acceptable" and data["ratings"][0]["comment"] == "ổn"
    assert "Người Khác" not in response.content.decode() and str(theirs.public_id) not in (
        response.content.decode()
    )


def test_export_is_in_the_openapi_schema(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert "/api/v1/me/export/" in text and "me_export" in text


# --- nothing public carries contact data --------------------------------------------------


def _assert_clean(label: str, content: bytes) -> None:
    text = content.decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaks in {label}"


def test_no_public_endpoint_tile_export_or_page_shows_contact_data(mong_cai_wards, settings):
    from open311.models import ApiKey  # noqa: F401  (the app must be installed)

    report = make_report("resolved", closed_days_ago=1, answer="Đã sửa")
    x, y = POINTS["06709"]
    client = APIClient()
    rid = report.public_id
    urls = [
        reverse("api:report-list"),
        reverse("api:report-detail", args=[rid]),
        reverse("api:report-heat"),
        reverse("api:report-grid") + "?zoom=14",
        reverse("api:report-duplicates") + f"?lon={x}&lat={y}&category=ha_tang",
        reverse("api:league-table"),
        reverse("api:league-table-csv"),
        reverse("api:export-reports", kwargs={"fmt": "geojson"}),
        reverse("api:export-reports", kwargs={"fmt": "csv"}),
        reverse("api:export-reports", kwargs={"fmt": "gpkg"}),
        reverse("open311:requests", kwargs={"fmt": "json"}),
        reverse("open311:requests", kwargs={"fmt": "xml"}),
        reverse("open311:request", kwargs={"service_request_id": str(rid), "fmt": "json"}),
        reverse("web_map:index"),
        reverse("web_map:report", args=[rid]),
        reverse("web_map:tourist"),
        reverse("web_map:league"),
        "/api/schema/",
    ]
    for z in (12, 15, 17):
        tx, ty = tile_xy(x, y, z)
        urls.append(reverse("tiles:reports", kwargs={"z": z, "x": tx, "y": ty}))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 204), (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        _assert_clean(url, body)


def test_error_pages_with_debug_off_show_no_contact_data(mong_cai_wards, settings, monkeypatch):
    settings.DEBUG = False
    report = make_report()
    client = APIClient(raise_request_exception=False)
    # 404s that echo what was asked for.
    for url in (
        f"/api/v1/reports/{report.public_id}x/",
        f"/phan-anh/{PHONE}/",
        f"/api/v1/reports/?ward={PHONE}&category={EMAIL}",
        f"/nowhere/{NAME}/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        _assert_clean(url, response.content)

    # A 500 whose exception message carries the contact data (the worst case: a bug that
    # formats a report row into an error) must show only a generic page.
    import gis_core.api.views as api_views

    def boom(*args, **kwargs):
        raise RuntimeError(f"broken row: {NAME} {PHONE} {EMAIL}")

    monkeypatch.setattr(api_views, "reports_public", boom)
    for url in (reverse("api:report-detail", args=[report.public_id]), reverse("api:report-list")):
        response = client.get(url)
        assert response.status_code == 500
        _assert_clean(url, response.content)
