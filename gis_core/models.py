"""The report domain: categories, field reports and their photos."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxLengthValidator
from django.db.models.functions import Now
from django.utils import timezone

from gis_core.srid import WGS84


class Category(models.Model):
    """A kind of problem; codes are the ASCII slugs of the Vietnamese names."""

    code = models.SlugField(max_length=50, unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    description_vi = models.CharField(max_length=300, blank=True)
    description_en = models.CharField(max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)
    # Reports of this category this close and this recent are offered as possible duplicates.
    duplicate_radius_m = models.PositiveIntegerField(default=50, db_default=50)
    duplicate_window_days = models.PositiveIntegerField(default=30, db_default=30)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_vi


class ReportStatus(models.TextChoices):
    RECEIVED = "received", "Tiếp nhận"
    VERIFIED = "verified", "Đã xác minh"
    REJECTED = "rejected", "Từ chối"
    ASSIGNED = "assigned", "Đã chuyển xử lý"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    RESOLVED = "resolved", "Đã xử lý"


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", "Trùng lặp"
    SPAM = "spam", "Tin rác"
    OUT_OF_SCOPE = "out_of_scope", "Không thuộc phạm vi"
    NOT_ENOUGH_INFORMATION = "not_enough_information", "Không đủ thông tin"


class WardMatch(models.TextChoices):
    INSIDE = "inside", "Inside a ward"
    NEAREST = "nearest", "Nearest ward within tolerance"
    OUTSIDE = "outside", "Outside every ward"


class ReportSource(models.TextChoices):
    API = "api", "API"
    WEB = "web", "Web map"
    IMPORT = "import", "Bulk import"
    ADMIN = "admin", "Admin"
    DEMO = "demo", "Demo data"


class Report(models.Model):
    """A field report. `ward`, `ward_match`, `ward_distance_m` are set by the database trigger."""

    public_id = models.UUIDField(
        default=uuid.uuid4,
        db_default=models.Func(function="gen_random_uuid"),
        unique=True,
        editable=False,
    )
    # No single-column FK indexes: the composite indexes below lead with these columns.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    description = models.TextField(
        validators=[MaxLengthValidator(settings.REPORT_DESCRIPTION_MAX_CHARS)]
    )
    location = models.PointField(srid=WGS84)
    ward = models.ForeignKey(
        "ward_boundaries.Ward",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        editable=False,
        db_index=False,
    )
    ward_match = models.CharField(
        max_length=10,
        choices=WardMatch.choices,
        default=WardMatch.OUTSIDE,
        db_default=WardMatch.OUTSIDE,
        editable=False,
    )
    ward_distance_m = models.FloatField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.RECEIVED,
        db_default=ReportStatus.RECEIVED,
    )
    rejection_reason = models.CharField(
        max_length=30, choices=RejectionReason.choices, blank=True, db_default=""
    )
    answer = models.TextField(blank=True, db_default="", help_text="The public answer")
    resolved_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_reports",
        db_index=False,  # a partial index below: most reports are merged into nothing
        help_text="The report this one duplicates; its reporter follows that report's answer.",
    )
    source = models.CharField(
        max_length=10,
        choices=ReportSource.choices,
        default=ReportSource.API,
        db_default=ReportSource.API,
    )
    reported_at = models.DateTimeField(
        default=timezone.now,
        db_default=Now(),
        help_text="When the problem was reported; decides which boundary version applies.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    # Private: never serialised by a public endpoint.
    contact_name = models.CharField(max_length=120, blank=True, db_default="")
    contact_phone = models.CharField(max_length=30, blank=True, db_default="")
    contact_email = models.EmailField(blank=True, db_default="")
    # Unique through a constraint (not unique=True), which spares a second pattern index.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["reported_at"], name="report_reported_at_idx"),
            models.Index(fields=["ward", "status"], name="report_ward_status_idx"),
            models.Index(fields=["category", "reported_at"], name="report_category_time_idx"),
            models.Index(
                fields=["merged_into"],
                name="report_merged_into_idx",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="report_unique_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.category_id}"


def photo_upload_to(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.report.public_id}/{filename}"


class ReportPhoto(models.Model):
    """A verified, re-encoded photo (EXIF stripped) with its thumbnail."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    image = models.FileField(upload_to=photo_upload_to, max_length=255)
    thumbnail = models.FileField(upload_to=photo_upload_to, max_length=255)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "position"]


class ReportTransition(models.Model):
    """One status change: who, when, from, to, an internal note and a public one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    # Private: the staff member and the internal note never reach a public endpoint.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(blank=True)
    public_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} -> {self.to_status}"
