"""Personal-data records (Law 91/2025/QH15, Decree 356/2025): the consent each report's
contact data came with, who on the staff saw a reporter's contact, and citizens' requests to
erase theirs. None of them holds a name, phone or e-mail itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentChannel(models.TextChoices):
    WEB = "web", _("Bản đồ web")
    APP = "app", _("Ứng dụng (API)")
    OPEN311 = "open311", "Open311"
    IMPORT = "import", _("Nhập dữ liệu")
    STAFF = "staff", _("Cán bộ nhập")
    EMAIL = "email", _("E-mail")


class ContactConsent(models.Model):
    """The notice version a report's sender agreed to by giving contact data, when and how.
    Open311 has no consent field: its reports carry the version current when they came."""

    report = models.OneToOneField(
        "gis_core.Report", on_delete=models.CASCADE, related_name="contact_consent"
    )
    notice_version = models.CharField(max_length=40)
    given_at = models.DateTimeField(default=timezone.now, db_default=Now())
    channel = models.CharField(max_length=10, choices=ConsentChannel.choices)

    def __str__(self) -> str:
        return f"{self.report_id} {self.notice_version} {self.channel}"


class ContactAccess(models.Model):
    """One staff view that revealed a report's contact data: who, which report, when, where.
    Read by operators and administrators only; purged after CONTACT_ACCESS_LOG_MONTHS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="contact_accesses",
        db_index=False,  # the (user, at) index below
    )
    # The staff member's sign-in name, kept if the account is later deleted.
    username = models.CharField(max_length=150)
    report = models.ForeignKey(
        "gis_core.Report",
        on_delete=models.CASCADE,
        related_name="contact_accesses",
        db_index=False,  # the (report, at) index below
    )
    at = models.DateTimeField(default=timezone.now, db_default=Now())
    view = models.CharField(max_length=60)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="contact_access_at_idx"),
            models.Index(fields=["report", "at"], name="contact_access_report_idx"),
            models.Index(fields=["user", "at"], name="contact_access_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.report_id} {self.at:%Y-%m-%d %H:%M} {self.view}"


class ErasureRequest(models.Model):
    """A citizen's request to erase their contact data, due ERASURE_WORKING_DAYS working days
    after it came; `process_erasure_requests` carries it out (the reports stay, anonymised)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasure_requests",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasures_done",
    )
    reports_anonymised = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["done_at", "deadline", "id"]
        constraints = [
            # One open request per account: asking again shows the one already running.
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(done_at__isnull=True),
                name="erasure_one_open_per_account",
            )
        ]
        indexes = [
            models.Index(
                fields=["deadline"],
                name="erasure_open_deadline_idx",
                condition=models.Q(done_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.deadline < timezone.now()
