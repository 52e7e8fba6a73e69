"""The stored weekly forecasts (layers.forecasts writes them; docs/forecasts.md).

One row per series, a (ward, category) pair of today's wards, with "" for the whole city or
every category: its history of weekly counts, the served method, the backtest's errors of
the model and of the seasonal-naive baseline; one row per forecast week; one row per alert
(a week whose count rose above its interval). Ward and category are codes, not keys: the
series outlive a boundary version and a renamed category, and a code is what the planner
picks and the export writes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastMethod(models.TextChoices):
    MODEL = "model", _("Mô hình (mùa vụ, Tết, xu hướng)")
    SEASONAL_NAIVE = "seasonal_naive", _("Cơ sở mùa vụ (cùng tuần năm trước)")
    NAIVE = "naive", _("Cơ sở (tuần gần nhất)")


class ForecastSeries(models.Model):
    ward_code = models.CharField(max_length=10, blank=True)  # "": the whole city
    category_code = models.CharField(max_length=50, blank=True)  # "": every category
    method = models.CharField(max_length=20, choices=ForecastMethod.choices)
    baseline_method = models.CharField(max_length=20, choices=ForecastMethod.choices)
    # Mean absolute error per week over the backtest's origins and horizon (None: not run).
    model_mae = models.FloatField(null=True, blank=True)
    baseline_mae = models.FloatField(null=True, blank=True)
    backtest_origins = models.PositiveSmallIntegerField(default=0)
    # Weekly counts from history_start (a Monday), the last one the latest complete week.
    history_start = models.DateField()
    history = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["ward_code", "category_code"], name="forecastseries_unique_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ward_code or '*'}/{self.category_code or '*'}"


class ForecastWeek(models.Model):
    series = models.ForeignKey(ForecastSeries, on_delete=models.CASCADE, related_name="weeks")
    week_start = models.DateField()  # a Monday, local time
    expected = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()

    class Meta:
        ordering = ["series", "week_start"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["series", "week_start"], name="forecastweek_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.week_start}"


class ForecastAlert(models.Model):
    """A week whose count rose above the upper end of the interval forecast for it the week
    before (and reached the minimum count): shown on the board and sent in the digest once."""

    ward_code = models.CharField(max_length=10, blank=True)
    category_code = models.CharField(max_length=50, blank=True)
    week_start = models.DateField()
    count = models.PositiveIntegerField()
    expected = models.FloatField()
    upper = models.FloatField()
    method = models.CharField(max_length=20, choices=ForecastMethod.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-week_start", "ward_code", "category_code"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["ward_code", "category_code", "week_start"], name="forecastalert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ward_code or '*'}/{self.category_code or '*'} {self.week_start}"
