"""Urgent or normal: how soon a report must be handled, and who changed it when."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class ReportPriority(models.TextChoices):
    URGENT = "urgent", _("Khẩn")
    NORMAL = "normal", _("Thường")


class PriorityChange(models.Model):
    """One change of a report's priority by a staff member, with the reason (audited)."""

    report = models.ForeignKey(
        "gis_core.Report", on_delete=models.CASCADE, related_name="priority_changes"
    )
    from_priority = models.CharField(max_length=10, choices=ReportPriority.choices)
    to_priority = models.CharField(max_length=10, choices=ReportPriority.choices)
    # Private: the staff member and the reason never reach a public endpoint.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_priority} -> {self.to_priority}"
