"""What happens to a report: transitions, rerouting, reminders, ratings, digests."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from gis_core.models.catalogue import Agency
from gis_core.models.reports import Report, ReportStatus


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
        BEFORE_DUE = "before_due", _("Trước hạn xử lý")
        OVERDUE = "overdue", _("Quá hạn xử lý")

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
