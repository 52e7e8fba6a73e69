"""Categories, the agencies that act and how reports are routed to them."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models.functions import Coalesce

from gis_core.models.priority import ReportPriority


class Category(models.Model):
    """A kind of problem; codes are the ASCII slugs of the Vietnamese names."""

    code = models.SlugField(max_length=50, unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    # Simplified Chinese, for visitors from China; blank shows the Vietnamese name
    # (common.localized).
    name_zh = models.CharField(max_length=120, blank=True)
    description_vi = models.CharField(max_length=300, blank=True)
    description_en = models.CharField(max_length=300, blank=True)
    description_zh = models.CharField(max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    # Offered first when a visitor reports about a place (the tourism categories).
    for_places = models.BooleanField(default=False, db_default=False)
    is_active = models.BooleanField(default=True)
    # Reports of this category this close and this recent are offered as possible duplicates.
    duplicate_radius_m = models.PositiveIntegerField(default=50, db_default=50)
    duplicate_window_days = models.PositiveIntegerField(default=30, db_default=30)
    # Time allowed to resolve once assigned, in working hours (a working day is the sum of
    # settings.WORKING_HOURS, 8 h by default).
    deadline_working_hours = models.PositiveIntegerField(default=40, db_default=40)
    # A new report of this category starts with this priority (set by the database on every
    # insert path, gis_core 0029). An urgent report is due this many clock hours after it
    # is assigned: day and night, weekends and holidays included (gis_core.priority).
    default_priority = models.CharField(
        max_length=10,
        choices=ReportPriority.choices,
        default=ReportPriority.NORMAL,
        db_default=ReportPriority.NORMAL,
    )
    urgent_deadline_hours = models.PositiveIntegerField(default=8, db_default=8)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_vi


class Agency(models.Model):
    """A unit that handles reports (cơ quan/đơn vị xử lý); its contact is public, not personal."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    # The name in English and Simplified Chinese (public pages in those languages); blank
    # shows the Vietnamese `name` (common.localized).
    name_en = models.CharField(max_length=200, blank=True)
    name_zh = models.CharField(max_length=200, blank=True)
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
