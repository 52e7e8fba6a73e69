"""Answer templates the staff start from (FixMyStreet Pro's "response templates")."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gis_core.models.catalogue import Category
from gis_core.models.reports import ReportStatus


class ResponseTemplate(models.Model):
    """A public answer to start from, for reports of a category (none: any category) going
    to a status (resolved: the answer; rejected: the public note). Staff edit it before
    sending; administrators keep the list in the admin."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_templates",
        verbose_name=_("Lĩnh vực"),
        help_text=_("Để trống: dùng cho mọi lĩnh vực."),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RESOLVED
    )
    title = models.CharField(_("Tên mẫu"), max_length=120)
    text = models.TextField(_("Nội dung"))
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "title", "id"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.title


def templates_for(report, status: str):
    """The active templates for `report` going to `status`: its category's, then any's."""
    return (
        ResponseTemplate.objects.filter(
            Q(category=report.category_id) | Q(category__isnull=True), status=status, is_active=True
        )
        .select_related("category")
        .order_by("category_id", "sort_order", "title", "id")
    )
