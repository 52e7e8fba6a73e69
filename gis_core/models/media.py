"""A report's photos and clips: the public copies and the private originals."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from gis_core.models.reports import Report


def photo_upload_to(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.report.public_id}/{filename}"


def _photo_private_storage():
    from gis_core.video_storage import private_storage

    return private_storage()


class ReportPhoto(models.Model):
    """A verified, re-encoded photo (EXIF stripped): the unblurred original kept private for
    staff, and the public image and thumbnail, written only once faces and plates are blurred
    (gis_core.photo_redaction). Until then `redaction` is `pending` and nothing is public."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Ảnh phản ánh")
        ANSWER = "answer", _("Ảnh kết quả xử lý")

    class Redaction(models.TextChoices):
        PENDING = "pending", _("Đang che mặt và biển số")
        DONE = "done", _("Đã che, công khai")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.REPORT, db_default=Kind.REPORT
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Public (MEDIA_ROOT): the blurred copy and its thumbnail; empty while `pending`.
    image = models.FileField(upload_to=photo_upload_to, max_length=255, blank=True)
    thumbnail = models.FileField(upload_to=photo_upload_to, max_length=255, blank=True)
    # Private (PRIVATE_MEDIA_ROOT, no URL): re-encoded and EXIF-free like the public copy, but
    # unblurred; staff see it to check and edit the blur boxes. Empty for photos stored before
    # redaction existed (their public image is all there is).
    original = models.FileField(storage=_photo_private_storage, max_length=255, blank=True)
    redaction = models.CharField(
        max_length=10, choices=Redaction.choices, default=Redaction.PENDING
    )
    redacted_at = models.DateTimeField(null=True, blank=True)
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
        indexes = [
            models.Index(
                fields=["redaction"],
                name="reportphoto_pending",
                condition=models.Q(redaction="pending"),
            )
        ]

    @property
    def is_public(self) -> bool:
        """Whether the public copy exists and may be shown (blurred, or from before redaction)."""
        return self.redaction == self.Redaction.DONE and bool(self.image)


class PhotoBlurBox(models.Model):
    """One blurred rectangle of a photo, in the original's pixels: found by the detector
    (`auto`, with what it took it for) or drawn by staff (`staff`)."""

    class Source(models.TextChoices):
        AUTO = "auto", _("Tự động")
        STAFF = "staff", _("Cán bộ vẽ")

    class Label(models.TextChoices):
        FACE = "face", _("Khuôn mặt")
        PLATE = "plate", _("Biển số xe")
        OTHER = "other", _("Vùng khác")

    photo = models.ForeignKey(ReportPhoto, on_delete=models.CASCADE, related_name="blur_boxes")
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    w = models.PositiveIntegerField()
    h = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    label = models.CharField(max_length=10, choices=Label.choices, default=Label.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["photo_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(w__gt=0, h__gt=0), name="photoblurbox_not_empty"
            )
        ]

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.w, self.h)


class PhotoRedactionChange(models.Model):
    """Staff changed a photo's blur boxes and republished it: who, when, the boxes before
    and after (audited; shown in the report's history on the staff page)."""

    photo = models.ForeignKey(ReportPhoto, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="redaction_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    boxes_before = models.JSONField(default=list)
    boxes_after = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "created_at", "id"]


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
