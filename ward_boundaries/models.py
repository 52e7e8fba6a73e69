"""Administrative areas in boundary versions (MapIt's generations, with dates)."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.srid import WGS84


class BoundaryVersionQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> BoundaryVersionQuerySet:
        """Versions in force on `day`; several may be, when they cover different areas."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class BoundaryVersion(models.Model):
    """A named set of ward polygons valid over a period (both ends inclusive, open when null)."""

    name = models.SlugField(max_length=64, unique=True)
    description = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)
    licence = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BoundaryVersionQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="boundaryversion_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """A phường, xã or thị trấn, identified by its GSO code within its boundary version."""

    class UnitType(models.TextChoices):
        PHUONG = "phuong", _("Phường")
        XA = "xa", _("Xã")
        THI_TRAN = "thi_tran", _("Thị trấn")

    version = models.ForeignKey(BoundaryVersion, on_delete=models.CASCADE, related_name="wards")
    code = models.CharField(max_length=10, help_text="GSO code, e.g. 06709")
    name = models.CharField(max_length=120)
    full_name = models.CharField(max_length=160, blank=True)
    name_ascii = models.CharField(max_length=120, blank=True)
    unit_type = models.CharField(max_length=10, choices=UnitType.choices)
    district_name = models.CharField(max_length=120, blank=True)
    district_code = models.CharField(max_length=10, blank=True)
    province_name = models.CharField(max_length=120, blank=True)
    province_code = models.CharField(max_length=10, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    geom = models.MultiPolygonField(srid=WGS84)

    class Meta:
        ordering = ["version_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="ward_unique_code_in_version")
        ]
        # The province filters (?province=) and the province choices read wards by province.
        indexes = [models.Index(fields=["province_code"], name="ward_province_code_idx")]

    def __str__(self) -> str:
        return f"{self.full_name or self.name} ({self.code}, {self.version.name})"


class WardPart(models.Model):
    """A piece of a ward polygon cut by ST_Subdivide, kept by a database trigger.

    Small pieces give the GiST index tight boxes, so a covering test touches a few dozen
    vertices instead of a whole coastline (the MapIt technique).
    """

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="parts")
    geom = models.PolygonField(srid=WGS84)

    class Meta:
        managed = True


class WardMatch(models.TextChoices):
    INSIDE = "inside", _("Trong địa giới phường, xã")
    NEAREST = "nearest", _("Phường, xã gần nhất trong ngưỡng cho phép")
    OUTSIDE = "outside", _("Ngoài mọi phường, xã")


class WardAssigned(models.Model):
    """The ward columns of anything with a place (reports, POIs, Wi-Fi sites).

    A database trigger fills them on insert and when `location` moves, never Python, by the
    one rule ht_ward_for_point() (ward_boundaries migrations), so a report and a POI at the
    same spot always get the same ward.
    """

    location = models.PointField(srid=WGS84)
    ward = models.ForeignKey(
        Ward,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    ward_match = models.CharField(
        max_length=10,
        choices=WardMatch.choices,
        default=WardMatch.OUTSIDE,
        db_default=WardMatch.OUTSIDE,
        editable=False,
    )
    ward_distance_m = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
