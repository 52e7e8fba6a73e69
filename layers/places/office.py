"""The tourism office's reads: every place on its map with the flags it works by, and one
place with everything it edits (the whole price history, photos and the audit trail).

Staff only (layers.places.access): unlike the public list, the audit names who changed what.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from layers.models import PlaceChange, PlacePrice, PointOfInterest
from layers.places.selectors import stale_after

OFFICE_LIST_MAX = 5000  # the city has a few hundred places; the map shows them all
AUDIT_SHOWN = 200  # newest changes of one place shown in its history panel


@dataclass(frozen=True)
class OfficeList:
    count: int
    places: Sequence[PointOfInterest]  # annotated: n_prices, n_photos, prices_updated_at, stale


def office_places(*, q: str = "", kind: str = "", limit: int = OFFICE_LIST_MAX) -> OfficeList:
    """Places by name, filtered by a text (names in three languages, address) and a kind;
    `count` is how many match before `limit`."""
    qs: QuerySet[PointOfInterest] = PointOfInterest.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(name_zh__icontains=q)
            | Q(address__icontains=q)
        )
    count = qs.count()
    rows = list(
        qs.annotate(
            n_prices=Count("prices", distinct=True),
            n_photos=Count("photos", distinct=True),
            prices_updated_at=Max("prices__created_at"),
        ).order_by("name", "id")[:limit]
    )
    cutoff = timezone.now() - stale_after()
    for place in rows:
        updated = place.prices_updated_at
        place.stale = updated is not None and updated < cutoff  # type: ignore[attr-defined]
    return OfficeList(count=count, places=rows)


def office_place(public_id: uuid.UUID) -> PointOfInterest | None:
    return (
        PointOfInterest.objects.select_related("verified_by", "ward")
        .prefetch_related("photos")
        .filter(public_id=public_id)
        .first()
    )


def price_history(place: PointOfInterest) -> list[PlacePrice]:
    """Every price row of the place, by item and unit, the newest first within each."""
    return list(
        PlacePrice.objects.filter(place=place)
        .select_related("created_by")
        .order_by("item", "unit", "-valid_from", "-id")
    )


def place_changes(place: PointOfInterest, limit: int = AUDIT_SHOWN) -> list[PlaceChange]:
    """The place's audit trail, newest first, with who made each change."""
    return list(
        PlaceChange.objects.filter(place_public_id=place.public_id)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )


def price_of(place: PointOfInterest, price_id: int) -> PlacePrice | None:
    return PlacePrice.objects.filter(place=place, pk=price_id).select_related("place").first()


def is_current(price: PlacePrice, day: dt.date) -> bool:
    return price.valid_from <= day and (price.valid_to is None or price.valid_to >= day)
