"""The report domain: categories, field reports and their photos."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxLengthValidator
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gis_core.references import format_reference
from ward_boundaries.models import WardAssigned


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
    # Time allowed to resolve once assigned, in working hours (a working day is the sum of
    # settings.WORKING_HOURS, 8 h by default).
    deadline_working_hours = models.PositiveIntegerField(default=40, db_default=40)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_vi


class Agency(models.Model):
    """A unit that handles reports (cơ quan/đơn vị xử lý); its contact is public, not personal."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    wards = models.ManyToManyField("ward_boundaries.Ward", blank=True, related_name="agencies")
    categories = models.ManyToManyField(Category, blank=True, related_name="agencies")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """category × ward → agency. A null category or ward means "any"; the most specific
    rule wins: (category, ward), then (category, city), then (any, ward), then the default."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True)
    ward = models.ForeignKey(
        "ward_boundaries.Ward", on_delete=models.CASCADE, null=True, blank=True
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="rules")

    class Meta:
        constraints = [
            # One rule per (category or any, ward or city): NULLs compared as equal, in a
            # form every PostgreSQL version accepts.
            models.UniqueConstraint(
                Coalesce("category", 0), Coalesce("ward", 0), name="routing_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} × {self.ward or 'city'} → {self.agency}"


class AgencyDeadline(models.Model):
    """An agency's own deadline for a category, overriding the category's."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="deadlines")
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    working_hours = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "category"], name="agency_deadline_unique")
        ]


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    VERIFIED = "verified", _("Đã xác minh")
    REJECTED = "rejected", _("Từ chối")
    ASSIGNED = "assigned", _("Đã chuyển xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý")


# Closed: no longer worked on, so never overdue; open311's "closed", the retention clock's
# start, the league's "open" count and the staff queue all read it from here.
CLOSED_STATUSES = (ReportStatus.RESOLVED, ReportStatus.REJECTED)


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Trùng lặp")
    SPAM = "spam", _("Tin rác")
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi")
    NOT_ENOUGH_INFORMATION = "not_enough_information", _("Không đủ thông tin")


class ReportSource(models.TextChoices):
    API = "api", "API"
    WEB = "web", "Web map"
    IMPORT = "import", "Bulk import"
    ADMIN = "admin", "Admin"
    DEMO = "demo", "Demo data"


class Report(WardAssigned):
    """A field report. `ward`, `ward_match`, `ward_distance_m` are set by the database trigger
    (ward_boundaries.WardAssigned); `ward` is redeclared for its reverse name and index."""

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
    ward = models.ForeignKey(
        "ward_boundaries.Ward",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        editable=False,
        db_index=False,
    )
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
    agency = models.ForeignKey(
        "gis_core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        db_index=False,  # partial index below: only routed reports have one
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # A dissatisfied rating asks the operations centre to review; it may reopen the report once.
    needs_review = models.BooleanField(default=False, db_default=False)
    reopened_at = models.DateTimeField(null=True, blank=True)
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
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        db_index=False,  # partial index below: most reports are anonymous
    )
    contact_name = models.CharField(max_length=120, blank=True, db_default="")
    contact_phone = models.CharField(max_length=30, blank=True, db_default="")
    contact_email = models.EmailField(blank=True, db_default="")
    # Unique through a constraint (not unique=True), which spares a second pattern index.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    # The short human reference (MC-2612-0042): local month of `reported_at` as YYYYMM and a
    # number within that month, both set by the database on insert (gis_core 0016), shown by
    # gis_core.references with the city's prefix.
    reference_month = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reference_number = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["reported_at"], name="report_reported_at_idx"),
            models.Index(fields=["ward", "status"], name="report_ward_status_idx"),
            models.Index(fields=["category", "reported_at"], name="report_category_time_idx"),
            models.Index(
                fields=["agency", "status"],
                name="report_agency_status_idx",
                condition=models.Q(agency__isnull=False),
            ),
            models.Index(
                fields=["reporter", "reported_at"],
                name="report_reporter_idx",
                condition=models.Q(reporter__isnull=False),
            ),
            models.Index(
                fields=["merged_into"],
                name="report_merged_into_idx",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="report_unique_idempotency_key"
            ),
            models.UniqueConstraint(
                fields=["reference_month", "reference_number"], name="report_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.public_id} {self.category_id}"

    @property
    def reference(self) -> str:
        """MC-2612-0042: what citizens read in SMS and type into searches."""
        return format_reference(self.reference_month, self.reference_number)


def photo_upload_to(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.report.public_id}/{filename}"


class ReportPhoto(models.Model):
    """A verified, re-encoded photo (EXIF stripped) with its thumbnail."""

    class Kind(models.TextChoices):
        REPORT = "report", "Ảnh phản ánh"
        ANSWER = "answer", "Ảnh kết quả xử lý"

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


class RoutingChange(models.Model):
    """A report handed to another agency by an operator, with the reason (audited)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="routing_changes")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)


class ReminderSent(models.Model):
    """One reminder per report and kind, so send_reminders can run as often as cron likes."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "Before the due time"
        OVERDUE = "overdue", "After the due time"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "due_at"], name="reminder_once_per_due_time"
            )
        ]


class PhoneLoginCode(models.Model):
    """A one-time login code sent by SMS; only its keyed hash is stored."""

    phone = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "created_at"], name="login_code_ip_idx")]


class StaffRole(models.TextChoices):
    OPERATOR = "operator", "Trung tâm điều hành"
    WARD_OFFICER = "ward_officer", "Cán bộ phường/xã"
    AGENCY_OFFICER = "agency_officer", "Cán bộ đơn vị xử lý"
    ADMINISTRATOR = "administrator", "Quản trị"


class StaffProfile(models.Model):
    """Where a staff member's role applies: a ward officer's wards, an agency officer's agency.

    The role itself is a Django group of the same name (StaffRole), so permissions can be
    managed in the admin like any other.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    wards = models.ManyToManyField("ward_boundaries.Ward", blank=True, related_name="officers")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )

    def __str__(self) -> str:
        return str(self.user)


class RatingValue(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    ACCEPTABLE = "acceptable", _("Chấp nhận")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class ReportRating(models.Model):
    """The reporter's rating of a resolved report, given once. The comment stays private."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="rating")
    value = models.CharField(max_length=20, choices=RatingValue.choices)
    comment = models.TextField(blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)


class StaffDigestSent(models.Model):
    """When a staff member last got the digest of their queue (notify_staff)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest"
    )
    last_sent_at = models.DateTimeField()


class RateLimitBucket(models.Model):
    """One rate-limit counter (GCRA): `tat` is the theoretical arrival time of the next
    request. Shared by every worker process because it lives in the database; the key is a
    keyed hash, so the table holds no phone number or address. See gis_core.ratelimit."""

    key = models.CharField(max_length=40, primary_key=True)
    tat = models.DateTimeField()


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
