"""Map layers: tourism points of interest and free-WiFi sites, each with its ward.

The ward columns of both models are written by database triggers (layers migration 0004)
calling ht_ward_for_point(), the rule that assigns reports, so a POI and a report at the
same spot always get the same ward.
"""

from __future__ import annotations

import uuid

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from layers.forecast_models import ForecastAlert, ForecastSeries, ForecastWeek
from layers.place_models import (
    AccommodationType,
    PlaceAlert,
    PlaceChange,
    PlaceKind,
    PlacePhoto,
    PlacePrice,
    PlaceReport,
)
from layers.text import name_columns
from ward_boundaries.models import WardAssigned

__all__ = [
    "AccommodationType",
    "ForecastAlert",
    "ForecastSeries",
    "ForecastWeek",
    "HotspotSnapshot",
    "Layer",
    "LayerFeature",
    "PlaceAlert",
    "PlaceChange",
    "PlaceKind",
    "PlacePhoto",
    "PlacePrice",
    "PlaceReport",
    "PointOfInterest",
    "ReportCell",
    "ReportCellState",
    "ReportCellTotal",
    "WifiSite",
]


class LayerFeature(WardAssigned):
    """A point of a map layer: its ward columns (ward_boundaries.WardAssigned) and a demo flag."""

    is_demo = models.BooleanField(
        default=False, help_text="Invented demo data, not a real-world fact; hide in production."
    )

    class Meta:
        abstract = True


class PointOfInterest(LayerFeature):
    """A place for visitors (beach, temple, hotel, market...): imported from OpenStreetMap or
    a CSV, or kept by the tourism office (issue 13: kind, hours, prices, photos, verified)."""

    # The id in every public URL and the API: a database id would count the places.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        max_length=20, choices=PlaceKind.choices, default=PlaceKind.ATTRACTION, db_index=True
    )
    layer = models.SlugField(max_length=50, db_index=True)
    name = models.CharField(max_length=200)
    # Names and descriptions in English and Simplified Chinese (blank: the Vietnamese one is
    # shown, common.localized); `name` and `description` are Vietnamese.
    name_en = models.CharField(max_length=200, blank=True)
    name_zh = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)
    name_ascii = models.CharField(
        max_length=200, blank=True, editable=False, help_text="name folded to lowercase ASCII"
    )
    # The names split into words, as typed and folded (layers.text.name_columns), for the
    # ranked search (layers.places.search).
    search_typed = models.CharField(max_length=420, blank=True, editable=False)
    search_folded = models.CharField(max_length=420, blank=True, editable=False)
    category = models.CharField(max_length=50, blank=True)
    tags = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=300, blank=True)
    opening_hours = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="The business's public phone")
    website = models.URLField(blank=True)
    price_range = models.CharField(max_length=100, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="OCOP product rating, 1-5 stars",
    )
    photo = models.ImageField(
        upload_to="pois/%Y/", blank=True, help_text="Shown in the tourist details panel"
    )
    photo_credit = models.CharField(
        max_length=200, blank=True, help_text="Author and licence of the photo"
    )
    source = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=100, help_text="e.g. way/384652651 for OSM")
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200, blank=True)
    accommodation_type = models.CharField(
        max_length=12, blank=True, choices=AccommodationType.choices
    )
    star_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Hotel star rating, 1-5",
    )
    # Structured opening hours in local time (layers.places.hours): {"mon": [["08:00",
    # "17:30"]], ..., "sun": [], "always": false}; close < open runs past midnight;
    # {"always": true} is 24/7; {} is unknown. `opening_hours` keeps OSM's free text.
    hours = models.JSONField(default=dict, blank=True)
    accessibility = models.CharField(max_length=300, blank=True)
    accessibility_en = models.CharField(max_length=300, blank=True)
    accessibility_zh = models.CharField(max_length=300, blank=True)
    verified_at = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "gis_core.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verified_places",
        help_text="The office that verified the place",
    )

    class Meta:
        ordering = ["layer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "source_id"], name="poi_unique_source_id"),
            models.CheckConstraint(
                condition=models.Q(ocop_stars__isnull=True) | models.Q(ocop_stars__range=(1, 5)),
                name="poi_ocop_stars_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(star_rating__isnull=True) | models.Q(star_rating__range=(1, 5)),
                name="poi_star_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        columns = name_columns(self.name, self.name_en)
        for column, value in columns.items():
            setattr(self, column, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "name_en"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *columns}
        super().save(*args, **kwargs)


class WifiSite(LayerFeature):
    """A public free-WiFi hotspot shown on the map."""

    name = models.CharField(max_length=200, unique=True)
    ssid = models.CharField(max_length=100, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    hours = models.CharField(max_length=200, blank=True, help_text='e.g. "24/7" or "06:00-22:00"')
    coverage_radius_m = models.PositiveIntegerField(null=True, blank=True)
    # What a visitor should know (open network, where to stand...), in Vietnamese, English
    # and Simplified Chinese; a blank translation shows the Vietnamese note.
    notes = models.CharField(max_length=300, blank=True)
    notes_en = models.CharField(max_length=300, blank=True)
    notes_zh = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Layer(models.Model):
    """A map layer in the registry: what the map offers, in which order, to whom, and how it
    looks. Administrators edit it in the admin; the map asks /api/v1/layers/ for its list."""

    class Kind(models.TextChoices):
        POINTS_OF_INTEREST = "pois", _("Điểm tham quan, dịch vụ")
        WIFI = "wifi", _("Wi-Fi miễn phí")
        REPORTS = "reports", _("Phản ánh")
        REPORT_HEAT = "heat", _("Mật độ phản ánh")
        WARDS = "wards", _("Ranh giới phường, xã")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Công khai")
        STAFF = "staff", _("Cán bộ")

    key = models.SlugField(max_length=50, unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # For points-of-interest layers: which PointOfInterest.layer value it shows.
    poi_layer = models.SlugField(max_length=50, blank=True)
    color = models.CharField(max_length=7, default="#b2182b", help_text="#rrggbb")
    icon = models.CharField(max_length=40, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    visible_by_default = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="layer_color_hex"
            )
        ]

    def __str__(self) -> str:
        return self.name_vi


class ReportCell(models.Model):
    """Report counts per grid cell, local month, category, status and ward.

    Heatmaps, grids and busy vector tiles sum these few hundred thousand narrow rows instead
    of a million points. A cell at `level` is 360 / 2**level degrees square; cell (cx, cy)
    holds the reports with floor(lon / size) = cx and floor(lat / size) = cy. New reports are
    folded in by layers.report_cells.fold_pending (readers count the unfolded ones from the
    reports); changes to folded reports append signed delta rows from statement triggers
    (migrations 0009-0013), never updating one, so staff actions never wait on each other;
    `compact_report_cells` folds both. Readers always sum, so a delta row is as good as any.
    """

    id = models.BigAutoField(primary_key=True)
    level = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    month = models.DateField(help_text="First day of the local (Asia/Ho_Chi_Minh) month")
    # No foreign-key constraints: a delta row is written for every report write, and the
    # report table's own constraints already guarantee these ids.
    category = models.ForeignKey(
        "gis_core.Category",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    status = models.CharField(max_length=20)
    ward = models.ForeignKey(
        "ward_boundaries.Ward",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    n = models.IntegerField(help_text="Signed: deltas of a removed or changed report are -1")

    class Meta:
        # Covering: a heatmap or a tile reads its cells by an index-only scan, a tile only
        # the columns (cx) it spans. The whole key is the index key, so the compaction finds
        # a key's rows directly rather than among every row of its cell (layers 0025).
        indexes = [
            models.Index(
                fields=["level", "cx", "cy", "month", "category", "status", "ward"],
                include=["n"],
                name="reportcell_key_cover",
            ),
            # A ward's counts by status (layers.ward_counts, the ward card) without reading
            # every ward's cells: the coarsest level only (CELL_LEVELS[0], layers 0027).
            models.Index(
                fields=["ward", "status"],
                include=["n"],
                condition=models.Q(level=13),
                name="reportcell_ward_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"L{self.level} ({self.cx}, {self.cy}) {self.month:%Y-%m}: {self.n}"


class ReportCellTotal(models.Model):
    """Report counts per grid cell and local month, all categories, statuses and wards.

    What an unfiltered heatmap or tile reads: a busy cell of ReportCell has a row per
    category, status and ward of each month, this table one per month, so a tile over 400,000
    reports sums some 16,000 rows instead of 230,000. Kept like ReportCell (delta rows from
    the same triggers, folded by compact_report_cells), at every level 11-19.
    """

    id = models.BigAutoField(primary_key=True)
    level = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    month = models.DateField(help_text="First day of the local (Asia/Ho_Chi_Minh) month")
    n = models.IntegerField(help_text="Signed: deltas of a removed or moved report are -1")

    class Meta:
        indexes = [
            models.Index(
                fields=["level", "cx", "cy", "month"],
                include=["n"],
                name="reportcelltotal_key_cover",
            )
        ]

    def __str__(self) -> str:
        return f"L{self.level} ({self.cx}, {self.cy}) {self.month:%Y-%m}: {self.n}"


class ReportCellYear(models.Model):
    """Report counts per grid cell and local year, all categories, statuses and wards.

    What an unfiltered view of whole years reads (the map's all-time heat and tiles): ten
    years of history are ten rows per cell here against 120 in ReportCellTotal, so the cost of
    "everything so far" grows with years, not months. Kept like ReportCellTotal (folds, delta
    rows from the same triggers, compaction), at the same levels.
    """

    id = models.BigAutoField(primary_key=True)
    level = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    year = models.DateField(help_text="1 January of the local (Asia/Ho_Chi_Minh) year")
    n = models.IntegerField(help_text="Signed: deltas of a removed or moved report are -1")

    class Meta:
        indexes = [
            models.Index(
                fields=["level", "cx", "cy", "year"],
                include=["n"],
                name="reportcellyear_key_cover",
            )
        ]

    def __str__(self) -> str:
        return f"L{self.level} ({self.cx}, {self.cy}) {self.year:%Y}: {self.n}"


class ReportCellState(models.Model):
    """How far the report cells are folded and compacted: reports with a larger id are counted
    from the report table itself until `compact_report_cells` (or a reader, past a threshold)
    folds them in. One row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    folded_id = models.BigIntegerField(default=0)
    folded_at = models.DateTimeField(null=True, blank=True)
    # The largest cell-row ids the last compaction saw: only keys with a row above them can
    # need compacting, so an hourly run reads the last hour's rows, not the whole tables.
    compacted_cell_id = models.BigIntegerField(default=0, db_default=0)
    compacted_total_id = models.BigIntegerField(default=0, db_default=0)
    compacted_year_id = models.BigIntegerField(default=0, db_default=0)

    def __str__(self) -> str:
        return f"folded up to report id {self.folded_id}"


class HotspotSnapshot(models.Model):
    """One hotspot analysis's API answer, stored for callers who may not start one.

    Anonymous callers of /api/v1/hotspots/ are answered from these rows only: the
    `precompute_hotspots` command (cron) fills the default period for every allowed hex size
    and category, and a staff member's analysis is stored too. One row per parameter set;
    `province` blank for the whole country, else the province whose wards were the study area."""

    key = models.CharField(max_length=200, primary_key=True)
    hex_size_m = models.FloatField()
    category = models.CharField(max_length=50, blank=True)
    province = models.CharField(max_length=10, blank=True, default="")
    since = models.DateField()
    until = models.DateField()
    # The API's default period (the last days up to `until`), which anonymous callers without
    # dates are given from the newest row.
    default_period = models.BooleanField(default=False)
    answer = models.JSONField()
    computed_at = models.DateTimeField()
    compute_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["default_period", "hex_size_m", "category", "province", "-until"],
                name="hotspot_snapshot_default_prov",
            )
        ]

    def __str__(self) -> str:
        return self.key
