"""Loading the demo places (etl.demo_places) through the office's services, idempotently.

Each place is found again by its source id "demo/<ref>" in the tourism layer: a second load
changes nothing (place_update and price_set write only what differs, and audit only that).
Rows marked with "age_days" get an older created_at on their first load, so the stale-price
flag has something to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from etl.demo_places import (
    DEMO_PLACE_LICENCE,
    DEMO_PLACE_SOURCE,
    DEMO_PLACES,
    HISTORY_FROM,
    HISTORY_TO,
    PRICES_FROM,
)
from layers.models import PlacePrice, PointOfInterest
from layers.places.services import OFFICE_LAYER, place_create, place_update, price_set

PLACE_KEYS = (
    "kind",
    "name",
    "name_en",
    "name_zh",
    "address",
    "phone",
    "website",
    "accommodation_type",
    "star_rating",
    "ocop_stars",
    "hours",
    "accessibility",
    "accessibility_en",
    "accessibility_zh",
    "description",
    "description_en",
    "description_zh",
    "lon",
    "lat",
)


@dataclass(frozen=True)
class DemoPlacesResult:
    created: int
    updated: int
    prices_added: int


def _price_values(row: dict[str, Any], price_vnd: int, start: dt.date, end) -> dict[str, Any]:
    (item, item_en, item_zh), (unit, unit_en, unit_zh) = row["item"], row["unit"]
    return {
        "item": item,
        "item_en": item_en,
        "item_zh": item_zh,
        "unit": unit,
        "unit_en": unit_en,
        "unit_zh": unit_zh,
        "price_vnd": price_vnd,
        "ocop_stars": row["ocop_stars"],
        "valid_from": start,
        "valid_to": end,
    }


def _prices(place: PointOfInterest, spec: dict[str, Any], now: dt.datetime) -> int:
    written_ids = []
    for row in spec["prices"]:
        if row["history"] is not None:
            old = _price_values(row, row["history"], HISTORY_FROM, HISTORY_TO)
            price, written = price_set(user=None, place=place, values=old)
            if written:
                written_ids.append(price.pk)
        price, written = price_set(
            user=None, place=place, values=_price_values(row, row["price_vnd"], PRICES_FROM, None)
        )
        if written:
            written_ids.append(price.pk)
    if written_ids and spec["age_days"]:
        PlacePrice.objects.filter(pk__in=written_ids).update(
            created_at=now - dt.timedelta(days=spec["age_days"])
        )
    return len(written_ids)


@transaction.atomic
def load_demo_places(
    places: list[dict[str, Any]] = DEMO_PLACES, now: dt.datetime | None = None
) -> DemoPlacesResult:
    """Creates or updates the demo places and their prices; how many of each were written."""
    moment = now or timezone.now()
    created = updated = prices = 0
    existing = {
        p.source_id: p
        for p in PointOfInterest.objects.filter(
            layer=OFFICE_LAYER, source=DEMO_PLACE_SOURCE, source_id__startswith="demo/"
        )
    }
    for spec in places:
        values = {key: spec[key] for key in PLACE_KEYS}
        values |= {"is_demo": True, "licence": DEMO_PLACE_LICENCE}
        source_id = f"demo/{spec['ref']}"
        place = existing.get(source_id)
        if place is None:
            place = place_create(
                user=None,
                values=values,
                source=DEMO_PLACE_SOURCE,
                source_id=source_id,
                layer=OFFICE_LAYER,
            )
            created += 1
        elif place_update(user=None, place=place, values=values):
            updated += 1
        prices += _prices(place, spec, moment)
    return DemoPlacesResult(created=created, updated=updated, prices_added=prices)
