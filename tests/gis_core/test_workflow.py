"""The status workflow: allowed paths, clear refusals, history, and no double win."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Category, Report, ReportTransition
from gis_core.workflow import TransitionError, report_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db) -> Report:
    return Report.objects.create(
        category=Category.objects.get(code="ha_tang"),
        description="Cống vỡ",
        location=Point(107.9653, 21.5338, srid=4326),
        contact_phone="0912345678",
    )


@pytest.fixture
def officer(db) -> User:
    return User.objects.create_user("can_bo_a", password="x", first_name="Cán bộ A")


def test_full_path_is_recorded(report, officer, city_agency):
    steps = [
        ("received", "verified", {}),
        ("verified", "assigned", {}),
        ("assigned", "in_progress", {}),
        ("in_progress", "resolved", {"answer": "Đã thay nắp cống mới."}),
    ]
    for before, after, extra in steps:
        report_transition(
            report_id=report.pk, from_status=before, to_status=after, actor=officer,
            note="nội bộ", public_note=f"-> {after}", **extra,
        )  # fmt: skip
    report.refresh_from_db()
    assert report.status == "resolved" and report.answer == "Đã thay nắp cống mới."
    assert report.resolved_at is not None
    history = list(report.transitions.values_list("from_status", "to_status", "actor__username"))
    assert history == [(b, a, "can_bo_a") for b, a, _ in steps]


@pytest.mark.parametrize(
    "from_status,to_status,extra,message",
    [
        (
            "received",
            "resolved",
            {"answer": "x"},
            "không thể chuyển từ received (Tiếp nhận) sang resolved",
        ),
        ("received", "rejected", {}, "Từ chối cần một lý do, là một trong: duplicate, spam"),
        ("received", "rejected", {"reason": "boring"}, "Từ chối cần một lý do"),
        ("received", "bogus", {}, "không thể chuyển từ received (Tiếp nhận) sang bogus"),
        (
            "verified",
            "assigned",
            {},
            "Phản ánh đang ở trạng thái received (Tiếp nhận), không phải verified",
        ),
    ],
)
def test_refusals_are_clear_and_change_nothing(report, from_status, to_status, extra, message):
    with pytest.raises(TransitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        report_transition(
            report_id=report.pk, from_status=from_status, to_status=to_status, **extra
        )
    report.refresh_from_db()
    assert report.status == "received" and not report.transitions.exists()


def test_resolving_needs_an_answer_and_final_states_stay_final(report, city_agency):
    for before, after in (
        ("received", "verified"),
        ("verified", "assigned"),
        ("assigned", "in_progress"),
    ):
        report_transition(report_id=report.pk, from_status=before, to_status=after)
    with pytest.raises(TransitionError, match="cần câu trả lời công khai"):
        report_transition(
            report_id=report.pk, from_status="in_progress", to_status="resolved", answer=" "
        )
    report_transition(
        report_id=report.pk, from_status="in_progress", to_status="resolved", answer="Xong"
    )
    with pytest.raises(TransitionError, match=r"được phép: không có \(trạng thái cuối\)"):
        report_transition(report_id=report.pk, from_status="resolved", to_status="in_progress")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_cannot_both_win():
    Category.objects.get_or_create(code="khac", defaults={"name_vi": "Khác", "name_en": "Other"})
    report = Report.objects.create(
        category=Category.objects.get(code="khac"), description="x",
        location=Point(107.9653, 21.5338, srid=4326),
    )  # fmt: skip
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(to_status: str, **extra):
        try:
            barrier.wait()
            report_transition(
                report_id=report.pk, from_status="received", to_status=to_status, **extra
            )
            outcomes.append(f"won:{to_status}")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("verified",)),
        threading.Thread(target=act, args=("rejected",), kwargs={"reason": "spam"}),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "won"]
    assert ReportTransition.objects.filter(report=report).count() == 1
    report.refresh_from_db()
    assert f"won:{report.status}" in outcomes


def test_public_detail_shows_history_answer_but_no_staff_or_internal_note(report, officer):
    report_transition(
        report_id=report.pk, from_status="received", to_status="verified", actor=officer,
        note="GHI CHÚ NỘI BỘ", public_note="Đã xác minh tại hiện trường",
    )  # fmt: skip
    report_transition(
        report_id=report.pk, from_status="verified", to_status="rejected", actor=officer,
        reason="duplicate", public_note="Trùng với phản ánh khác",
    )  # fmt: skip
    body = APIClient().get(reverse("api:report-detail", args=[report.public_id]))
    props = body.json()["properties"]
    assert [h["status"] for h in props["history"]] == ["verified", "rejected"]
    assert props["history"][0]["note"] == "Đã xác minh tại hiện trường"
    assert props["rejection_reason"] == "duplicate" and props["status"] == "rejected"
    text = body.content.decode()
    for secret in ("GHI CHÚ NỘI BỘ", "can_bo_a", "Cán bộ A", "0912345678"):
        assert secret not in text
