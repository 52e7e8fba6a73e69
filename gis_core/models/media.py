"""A report's photos and clips: the public copies and the private originals."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from gis_core.models.reports import Report


def photo_upload_to(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.report.public_id}/{filename}"


class ReportPhoto(models.Model):
    """A verified, re-encoded photo (EXIF stripped) with its thumbnail."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Ảnh phản ánh")
        ANSWER = "answer", _("Ảnh kết quả xử lý")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.REPORT, db_default=Kind.REPORT
    )
    position = models.PositiveSmallIntegerField(default=0)
    image = models.FileField(upload_to=photo_upload_to, max_length=255)
    thumbnail = models.FileField(upload_to=photo_upload_to, max_length=255)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # The thumbnail's 64-bit perceptual hash, signed (gis_core.photo_hash): near-identical
    # photos of two reports are a sign of a duplicate. Null until hashed (fill_photo_hashes).
    phash = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "position"]


def _private_storage():
    from gis_core.video_storage import private_storage

    return private_storage()


class ReportVideo(models.Model):
    """A clip of a report: the original kept private, a transcoded copy (H.264/AAC MP4, no
    metadata) and its poster public once the worker (gis_core.tasks) has made them."""

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Đang xử lý")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi chuyển mã")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="videos")
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROCESSING)
    # As uploaded (GPS, device and all): private storage, outside MEDIA_ROOT, never served.
    original = models.FileField(storage=_private_storage, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    video = models.FileField(max_length=255, blank=True)
    poster = models.FileField(max_length=255, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)  # of the transcoded file once ready
    original_size_bytes = models.PositiveBigIntegerField(default=0)
    # Why transcoding failed, for staff only (never in a public response).
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report_id", "position"]
        indexes = [
            models.Index(
                fields=["status"],
                name="reportvideo_processing",
                condition=models.Q(status="processing"),
            )
        ]
