"""The category classifier's stored models and the category changes staff confirm.

Every nightly training run leaves a row (kept or not, with its figures and what it saw), so
the admin can show how the model has done over time; exactly one row is current. The model
itself is in the database, not on one server's disk, so every app server serves the same one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gis_core.models.catalogue import Category
from gis_core.models.reports import Report


class CategoryModel(models.Model):
    """One training run of the category classifier (gis_core.category_training)."""

    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=False, db_default=False)

    class Decision(models.TextChoices):
        FIRST = "first", _("Mô hình đầu tiên")
        NOT_WORSE = "not_worse", _("Không kém mô hình đang dùng: được dùng")
        WORSE = "worse", _("Kém hơn mô hình đang dùng: không dùng")
        CURRENT_UNREADABLE = "current_unreadable", _("Mô hình đang dùng bị hỏng: được thay")
        REPLACED_MEANWHILE = "replaced_meanwhile", _("Một lần huấn luyện khác vừa thay mô hình")

    kept = models.BooleanField()
    decision = models.CharField(max_length=20, choices=Decision.choices)
    # zlib-compressed pickle of the scikit-learn pipeline; written only by the training
    # service, and checked against sha256 before it is loaded.
    artifact = models.BinaryField(editable=False)
    artifact_sha256 = models.CharField(max_length=64, editable=False)
    # {"n", "top1", "top3", "per_category": {code: {precision, recall, support}},
    #  "evaluated_on": "time_split" | "seed_held_out"} of this model, and of the model that was
    # current, on the same held-out reports.
    metrics = models.JSONField(default=dict)
    previous_metrics = models.JSONField(null=True, blank=True)
    # Counts, dates and report-id ranges only: never a description.
    data_seen = models.JSONField(default=dict)
    training_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mô hình gợi ý lĩnh vực")
        verbose_name_plural = _("mô hình gợi ý lĩnh vực")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="category_model_one_current",
            )
        ]

    def __str__(self) -> str:
        top1 = self.metrics.get("top1")
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M} top-1 {top1}"


class CategoryChange(models.Model):
    """A report's category changed by staff, with the reason; `from_suggestion` when they took
    the classifier's suggestion (the only way a suggestion ever changes a report)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="category_changes")
    from_category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    to_category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    from_suggestion = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_category_id} → {self.to_category_id}"
