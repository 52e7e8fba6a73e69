"""Places with reports linked to them (layers.PlaceReport), made directly: the endpoint that
files them belongs to another part of issue 13."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Point
from django.utils import timezone

from gis_core.models import Category, Report
from layers.models import PlacePrice, PlaceReport, PointOfInterest
from layers.places.services import place_create, price_set

CENTRE = (107.965, 21.525)
REPORTER = {
    "contact_name": "Nguyễn Văn Khách",
    "contact_phone": "+84912345678",
    "contact_email": "khach@example.vn",
}


def make_place(name: str, kind: str = "accommodation", at=CENTRE, user=None) -> PointOfInterest:
    lon, lat = at
    return place_create(user=user, values={"name": name, "kind": kind, "lon": lon, "lat": lat})


def list_price(
    place, *, item="Phòng đôi", unit="đêm", price_vnd=450_000, valid_from=None, user=None
):
    row, _ = price_set(
        user=user,
        place=place,
        values={
            "item": item,
            "unit": unit,
            "price_vnd": price_vnd,
            "valid_from": valid_from or timezone.localdate() - dt.timedelta(days=60),
        },
    )
    return row


def link_report(
    place: PointOfInterest,
    *,
    category: str = "du_lich_ve_sinh",
    status: str = "received",
    days_ago: float = 1,
    now: dt.datetime | None = None,
    price: PlacePrice | None = None,
    charged_vnd: int | None = None,
    contact: bool = True,
    **fields,
) -> Report:
    """A report at the place, reported `days_ago` days before `now`, linked to it."""
    at = (now or timezone.now()) - dt.timedelta(days=days_ago)
    report = Report.objects.create(
        category=Category.objects.get(code=category),
        description=fields.pop("description", "Phản ánh của du khách"),
        location=Point(place.location.x, place.location.y, srid=4326),
        status=status,
        reported_at=at,
        **(REPORTER if contact else {}),
        **fields,
    )
    PlaceReport.objects.create(
        report=report,
        place=place,
        place_public_id=place.public_id,
        price=price,
        charged_vnd=charged_vnd,
    )
    return report
