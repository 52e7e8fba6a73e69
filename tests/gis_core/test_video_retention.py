"""Originals of clips (GPS, device tags) do not outlive their use."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from common.humanize import human_size
from gis_core.models import Category, Report, ReportVideo
from gis_core.video_retention import video_originals_expire
from gis_core.video_storage import private_storage

pytestmark = pytest.mark.django_db(transaction=True)  # files go after commit


def clip(report: Report, status: str, *, age_days: int) -> ReportVideo:
    storage = private_storage()
    name = storage.save(f"videos/{report.public_id}/original.mp4", ContentFile(b"x" * 1000))
    video = ReportVideo.objects.create(
        report=report, status=status, original=name, original_size_bytes=1000
    )
    ReportVideo.objects.filter(pk=video.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=age_days)
    )
    return video


def report(**fields) -> Report:
    from django.contrib.gis.geos import Point

    category, _ = Category.objects.get_or_create(
        code="khac", defaults={"name_vi": "Khác", "name_en": "Other"}
    )
    return Report.objects.create(
        category=category, description="x", location=Point(107.97, 21.53, srid=4326), **fields
    )


def test_ready_originals_go_after_the_period_failed_ones_only_once_anonymised():
    open_report = report(contact_phone="+84912345678")
    old_ready = clip(open_report, "ready", age_days=40)
    new_ready = clip(open_report, "ready", age_days=5)
    old_failed = clip(open_report, "failed", age_days=400)
    anonymised = report(status="resolved")  # no contact left: anonymised long ago
    Report.objects.filter(pk=anonymised.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=800)
    )
    failed_of_anonymised = clip(anonymised, "failed", age_days=800)
    storage = private_storage()
    names = {v.pk: v.original.name for v in (old_ready, new_ready, old_failed)}

    now = timezone.now()
    args = {
        "ready_before": now - dt.timedelta(days=30),
        "anonymised_before": now - dt.timedelta(days=730),
    }
    assert video_originals_expire(**args, dry_run=True).clips == 2
    assert storage.exists(names[old_ready.pk])
    result = video_originals_expire(**args)
    assert (result.clips, result.bytes_freed) == (2, 2000)
    kept = dict(ReportVideo.objects.values_list("pk", "original"))
    assert kept[old_ready.pk] == "" and kept[failed_of_anonymised.pk] == ""
    assert kept[new_ready.pk] and kept[old_failed.pk]  # too recent; still evidence for staff
    assert not storage.exists(names[old_ready.pk]) and storage.exists(names[new_ready.pk])
    assert video_originals_expire(**args).clips == 0  # idempotent


def test_the_daily_command_reports_what_it_deleted(settings):
    clip(report(), "ready", age_days=settings.VIDEO_ORIGINAL_DAYS + 1)
    out = StringIO()
    call_command("expire_video_originals", stdout=out)
    assert out.getvalue().strip() == f"1 clip original(s) deleted ({human_size(1000)})."
    assert ReportVideo.objects.get().original == ""
