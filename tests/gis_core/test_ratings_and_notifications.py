"""Ratings (once, by the reporter, resolved only), review and reopening once, and the
messages that tell the reporter about each change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core import sms
from gis_core.models import Category, Report
from gis_core.workflow import TransitionError, report_transition

pytestmark = pytest.mark.django_db(transaction=True)  # notifications are sent on commit


@pytest.fixture
def citizen():
    return User.objects.create_user("+84912345678")


@pytest.fixture
def resolved(citizen, city_agency):
    Category.objects.get_or_create(code="khac", defaults={"name_vi": "Khác", "name_en": "Other"})
    report = Report.objects.create(
        category=Category.objects.get(code="khac"), description="Cây đổ",
        location=Point(107.9653, 21.5338, srid=4326), reporter=citizen,
        contact_phone="+84912345678", contact_email="dan@example.vn",
    )  # fmt: skip
    sms.outbox.clear()
    for before, after in (
        ("received", "verified"),
        ("verified", "assigned"),
        ("assigned", "in_progress"),
    ):
        report_transition(report_id=report.pk, from_status=before, to_status=after)
    report_transition(
        report_id=report.pk, from_status="in_progress", to_status="resolved", answer="Đã dọn cây."
    )
    report.refresh_from_db()
    return report


def rate(user, report, value, comment=""):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client.post(
        reverse("api:report-rating", args=[report.public_id]),
        {"value": value, "comment": comment},
        format="json",
    )


def test_reporter_hears_of_every_change_by_sms_and_email(resolved, settings):
    """Each message names the reference and ends with the link to the report's page."""
    ref = resolved.reference
    link = f"http://127.0.0.1:8000/phan-anh/{ref}/"
    assert [phone for phone, _ in sms.outbox] == ["+84912345678"] * 4
    assert sms.outbox[0][1] == f"Hiện Trường Móng Cái: phản ánh {ref}: Đã xác minh. Xem: {link}"
    assert sms.outbox[-1][1] == (
        f"Hiện Trường Móng Cái: phản ánh {ref}: Đã xử lý. Trả lời: Đã dọn cây. Xem: {link}"
    )
    assert [m.to for m in mail.outbox] == [["dan@example.vn"]] * 4
    assert mail.outbox[-1].subject == f"Phản ánh {ref}: Đã xử lý"
    assert link in mail.outbox[-1].body


def test_rating_once_by_the_reporter_only(resolved, citizen):
    assert rate(None, resolved, "satisfied").status_code == 403
    assert rate(User.objects.create_user("+84999999999"), resolved, "satisfied").status_code == 403
    assert rate(citizen, resolved, "great").status_code == 409
    first = rate(citizen, resolved, "acceptable", comment="tạm được")
    assert first.status_code == 201 and first.json() == {
        "value": "acceptable",
        "label": "Chấp nhận",
    }
    again = rate(citizen, resolved, "satisfied")
    assert again.status_code == 409 and again.json()["detail"] == "Phản ánh này đã được đánh giá."
    public = APIClient().get(reverse("api:report-detail", args=[resolved.public_id]))
    assert public.json()["properties"]["rating"] == {"value": "acceptable", "label": "Chấp nhận"}
    assert "tạm được" not in public.content.decode()


def test_only_resolved_reports_are_rated(citizen, city_agency):
    Category.objects.get_or_create(code="khac", defaults={"name_vi": "Khác", "name_en": "Other"})
    report = Report.objects.create(
        category=Category.objects.get(code="khac"), description="x",
        location=Point(107.9653, 21.5338, srid=4326), reporter=citizen,
    )  # fmt: skip
    response = rate(citizen, report, "satisfied")
    assert response.status_code == 409 and response.json()["detail"] == (
        "Chỉ đánh giá được phản ánh đã xử lý; phản ánh này đang ở trạng thái Tiếp nhận."
    )


def test_dissatisfied_asks_for_review_and_allows_one_reopening(resolved, citizen):
    with pytest.raises(TransitionError, match=r"không có \(trạng thái cuối\)"):
        report_transition(report_id=resolved.pk, from_status="resolved", to_status="in_progress")
    assert rate(citizen, resolved, "dissatisfied").status_code == 201
    resolved.refresh_from_db()
    assert resolved.needs_review is True
    report_transition(
        report_id=resolved.pk, from_status="resolved", to_status="in_progress",
        public_note="Mở lại để xử lý tiếp",
    )  # fmt: skip
    resolved.refresh_from_db()
    assert resolved.status == "in_progress" and not resolved.needs_review
    assert resolved.reopened_at is not None and resolved.resolved_at is None
    report_transition(
        report_id=resolved.pk, from_status="in_progress", to_status="resolved", answer="Xong hẳn."
    )
    with pytest.raises(TransitionError, match=r"không có \(trạng thái cuối\)"):
        report_transition(report_id=resolved.pk, from_status="resolved", to_status="in_progress")
