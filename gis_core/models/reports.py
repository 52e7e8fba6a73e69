"""The field report: its statuses, where it came from, its ward (WardAssigned)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxLengthValidator, validate_email
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.encrypted_fields import EncryptedPhoneField, EncryptedTextField, PhoneHashField
from gis_core.models.catalogue import Category
from gis_core.models.priority import ReportPriority
from gis_core.references import format_reference
from ward_boundaries.models import WardAssigned


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
# What the operations centre's board counts (gis_core.board): open reports, and resolved ones
# rated "không hài lòng" that wait for review; its partial index has this condition.
BOARD_ROWS = ~models.Q(status__in=CLOSED_STATUSES) | models.Q(
    status=ReportStatus.RESOLVED, needs_review=True
)


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Trùng lặp")
    SPAM = "spam", _("Tin rác")
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi")
    NOT_ENOUGH_INFORMATION = "not_enough_information", _("Không đủ thông tin")


class ReportSource(models.TextChoices):
    API = "api", "API"
    WEB = "web", _("Bản đồ web")
    IMPORT = "import", _("Nhập dữ liệu")
    ADMIN = "admin", _("Trang quản trị")
    DEMO = "demo", _("Dữ liệu mẫu")
    STAFF = "staff", _("Cán bộ nhập")
    EMAIL = "email", _("Hộp thư e-mail")


class ReportChannel(models.TextChoices):
    """How the report reached the city (Decision 31/2021/QĐ-TTg art. 43: what comes by phone,
    letter or e-mail is entered into the system too). `source` says which code path wrote
    the row; this says how the citizen sent it."""

    APP = "app", _("Ứng dụng")
    WEB = "web", _("Bản đồ web")
    HOTLINE = "hotline", _("Đường dây nóng")
    WALK_IN = "walk_in", _("Trực tiếp")
    LETTER = "letter", _("Thư, đơn")
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", "Zalo"
    OPEN311 = "open311", "Open311"


# What staff enter by hand (gis_core.services.staff_report_create); the rest come by themselves.
STAFF_CHANNELS = (
    ReportChannel.HOTLINE,
    ReportChannel.WALK_IN,
    ReportChannel.LETTER,
    ReportChannel.EMAIL,
    ReportChannel.ZALO,
)


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
    # What the category classifier suggested at submission (gis_core.category_suggestions):
    # shown to staff beside the chosen category; it never changes the category by itself.
    suggested_category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # read with the report, filtered only within a queue's rows
    )
    suggested_score = models.FloatField(null=True, blank=True)
    # Urgent first: the category's default on insert (a database trigger, gis_core 0029),
    # then the staff's call (gis_core.priority). `urgent_open` is what every queue sorts by.
    priority = models.CharField(
        max_length=10,
        choices=ReportPriority.choices,
        default=ReportPriority.NORMAL,
        db_default=ReportPriority.NORMAL,
    )
    urgent_open = models.GeneratedField(
        expression=models.Case(
            models.When(
                models.Q(priority=ReportPriority.URGENT)
                & ~models.Q(status__in=[s.value for s in CLOSED_STATUSES]),
                then=models.Value(True),
            ),
            default=models.Value(False),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    source = models.CharField(
        max_length=10,
        choices=ReportSource.choices,
        default=ReportSource.API,
        db_default=ReportSource.API,
    )
    # Rows from before channels: "app", except the web map's (source web) and Open311's
    # (consent channel open311), set by gis_core 0028; imports, admin and demo rows say "app".
    channel = models.CharField(
        max_length=10,
        choices=ReportChannel.choices,
        default=ReportChannel.APP,
        db_default=ReportChannel.APP,
    )
    # The language the citizen reported in (the request's, gis_core.languages): receipts and
    # status messages are written in it. Imports and older rows: Vietnamese (the default).
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
    )
    # The staff member who typed in a report received by phone, in person, by letter...
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entered_reports",
        db_index=False,  # partial index below: most reports are sent by citizens themselves
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
    # Encrypted at rest (common.encrypted_fields; SECURITY.md "Encryption at rest"); the
    # phone's keyed hash beside it is what `contact_phone=number` and sign-in look up.
    contact_name = EncryptedTextField(max_length=120, blank=True, db_default="")
    contact_phone = EncryptedPhoneField(
        max_length=30, blank=True, db_default="", hash_field="contact_phone_hash"
    )
    contact_phone_hash = PhoneHashField(source="contact_phone", db_default="")
    contact_email = EncryptedTextField(
        max_length=254, blank=True, db_default="", validators=[validate_email]
    )
    # Unique through a constraint (not unique=True), which spares a second pattern index.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    # The key counts per client (gis_core.idempotency): a hash of (client scope, key), so
    # reports cannot be linked by device; empty for imports and older reports.
    idempotency_scope = models.CharField(max_length=32, blank=True, default="", db_default="")
    # A hash of what was submitted under the key: a retry matches it, a reuse does not (409).
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="", db_default="")
    # The short human reference (MC-2612-0042): local month of `reported_at` as YYYYMM and a
    # number within that month, both set by the database on insert (gis_core 0016), shown by
    # gis_core.references with the city's prefix.
    reference_month = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reference_number = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["reported_at"], name="report_reported_at_idx"),
            # The board: its poll's change check (max) and its counts (index-only, a fraction
            # of the table): gis_core.board, docs/board.md.
            models.Index(fields=["updated_at"], name="report_updated_at_idx"),
            models.Index(
                fields=["agency", "ward"],
                include=["status", "due_at", "needs_review"],
                name="report_board_idx",
                condition=BOARD_ROWS,
            ),
            # The staff queue's order (gis_core.priority.QUEUE_ORDER), read backwards.
            models.Index(
                fields=["urgent_open", "reported_at", "id"], name="report_queue_order_idx"
            ),
            models.Index(
                fields=["ward", "status", "reported_at", "id"], name="report_ward_status_time_idx"
            ),
            # A ward officer's queue with a category and no status, in the queue's order.
            models.Index(
                fields=["ward", "category", "urgent_open", "reported_at", "id"],
                name="report_ward_category_idx",
            ),
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
                fields=["contact_phone_hash"],
                name="report_phone_hash_idx",
                condition=~models.Q(contact_phone_hash=""),
            ),
            models.Index(
                fields=["entered_by"],
                name="report_entered_by_idx",
                condition=models.Q(entered_by__isnull=False),
            ),
            models.Index(
                fields=["merged_into"],
                name="report_merged_into_idx",
                condition=models.Q(merged_into__isnull=False),
            ),
            # Reports still waiting for a category suggestion (gis_core.classifier_selectors):
            # a handful, however long the history.
            models.Index(
                fields=["id"],
                name="report_awaiting_suggestion_idx",
                condition=models.Q(
                    suggested_score__isnull=True, status__in=["received", "verified"]
                ),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                name="report_unique_scoped_idempotency_key",
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
