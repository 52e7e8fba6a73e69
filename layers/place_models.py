"""The tourism office's records about a place: its kinds, photos, listed prices and audit trail.

A place is a layers.PointOfInterest (the OSM points stay as they are). Listed prices keep
their history: a change closes the current row (valid_to) and adds a new one, so "the price
on a day" can be answered for any past day, which is what an overcharging report is judged
against. Every write through layers.places.services leaves a PlaceChange with the changed
fields before and after. Re-exported by layers.models (Django finds them there).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    ATTRACTION = "attraction", _("Điểm tham quan")
    ACCOMMODATION = "accommodation", _("Lưu trú")
    FOOD = "food", _("Ăn uống")
    OCOP_SHOP = "ocop_shop", _("Cửa hàng OCOP")
    MARKET = "market", _("Chợ")
    TRANSPORT = "transport", _("Taxi và vận tải")
    BORDER_GATE = "border_gate", _("Cửa khẩu")
    TOILET = "toilet", _("Nhà vệ sinh công cộng")
    INFO_POINT = "info_point", _("Điểm thông tin du lịch")
    WIFI = "wifi", _("Wi-Fi miễn phí")


class AccommodationType(models.TextChoices):
    HOTEL = "hotel", _("Khách sạn")
    GUESTHOUSE = "guesthouse", _("Nhà nghỉ")
    HOMESTAY = "homestay", _("Homestay")


class PlacePhoto(models.Model):
    """A photo of a place; the credit (author and licence) is required, as on the map."""

    place = models.ForeignKey(
        "layers.PointOfInterest", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(upload_to="places/%Y/")
    credit = models.CharField(max_length=200, help_text="Author and licence")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["place", "sort_order", "id"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.place_id}: {self.image.name}"


class PlacePrice(models.Model):
    """A listed price of a place, valid from a day until a day (or open-ended).

    Current on day d: valid_from <= d and (valid_to is null or valid_to >= d). The place's
    prices were "updated" on the newest row's created_at; older than
    settings.TOURISM_PRICE_STALE_DAYS, the office is asked to check them.
    """

    place = models.ForeignKey(
        "layers.PointOfInterest", on_delete=models.CASCADE, related_name="prices"
    )
    item = models.CharField(max_length=200)
    item_en = models.CharField(max_length=200, blank=True)
    item_zh = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=60, blank=True, help_text='e.g. "đêm", "suất", "km"')
    unit_en = models.CharField(max_length=60, blank=True)
    unit_zh = models.CharField(max_length=60, blank=True)
    price_vnd = models.PositiveBigIntegerField()
    ocop_stars = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["place", "item", "unit", "-valid_from"]  # noqa: RUF012
        indexes = [  # noqa: RUF012
            models.Index(fields=["place", "valid_from"], name="placeprice_place_from"),
        ]
        constraints = [  # noqa: RUF012
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="placeprice_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=models.Q(ocop_stars__isnull=True) | models.Q(ocop_stars__range=(1, 5)),
                name="placeprice_ocop_stars_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.price_vnd} VND from {self.valid_from}"


class PlaceChange(models.Model):
    """One audited change to a place (who, when, the changed fields before and after).

    The place's public id is kept beside the foreign key so a deleted place's history still
    says which place it was."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        DELETE = "delete", _("Xóa")
        PRICE_ADD = "price_add", _("Thêm giá")
        PRICE_CLOSE = "price_close", _("Kết thúc giá")
        PHOTO_ADD = "photo_add", _("Thêm ảnh")
        PHOTO_REMOVE = "photo_remove", _("Gỡ ảnh")
        IMPORT = "import", _("Nhập từ tệp")

    place = models.ForeignKey(
        "layers.PointOfInterest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    place_public_id = models.UUIDField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.place_public_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"


class PlaceReport(models.Model):
    """A report filed from a place ("Báo sự cố tại đây"): the report's `poi`.

    Kept in layers (which depends on gis_core, not the other way): one row per report. For
    an overcharging report, the listed price the visitor was charged against and what they
    paid, so the office sees both side by side. The place's public id is kept beside the
    foreign key, as in PlaceChange, so a deleted place's reports still say where they were.
    """

    report = models.OneToOneField(
        "gis_core.Report", on_delete=models.CASCADE, primary_key=True, related_name="place_link"
    )
    place = models.ForeignKey(
        "layers.PointOfInterest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_links",
    )
    place_public_id = models.UUIDField(db_index=True)
    price = models.ForeignKey(
        PlacePrice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    charged_vnd = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [  # noqa: RUF012
            models.Index(fields=["place", "created_at"], name="placereport_place_at"),
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} at {self.place_public_id}"


class PlaceAlert(models.Model):
    """When the tourism office was last told that a place drew many reports (one row per
    place): the alert is not sent again for that place within the window
    (layers.places.alerts)."""

    place = models.OneToOneField(
        "layers.PointOfInterest",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="report_alert",
    )
    last_sent_at = models.DateTimeField()
    report_count = models.PositiveIntegerField(help_text="Reports counted when it was sent")

    def __str__(self) -> str:
        return f"alert {self.place_id} at {self.last_sent_at:%Y-%m-%d %H:%M}"
