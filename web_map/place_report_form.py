"""The report form opened for a place (/?place=<id>, "Báo sự cố tại đây" on the tourist
page): what the page's config says about that place. Names and price items in the page's
language; only what the place's public page shows (no staff, no reporters)."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from common.localized import localized
from layers.places.report_links import OVERCHARGING_CATEGORY
from layers.places.selectors import current_prices, place_plain


def place_report_config(raw: str | None, language: str) -> dict[str, Any]:
    """{} without ?place=; the place and its reports URL for a known one; a notice (the
    normal form is shown) for an unknown or malformed id."""
    if raw is None:
        return {}
    try:
        public_id = uuid.UUID(raw.strip()[:36])
    except ValueError:
        public_id = None
    place = place_plain(public_id) if public_id is not None else None
    if place is None:
        return {
            "placeNotice": _(
                "Không tìm thấy địa điểm này; bạn vẫn có thể gửi phản ánh như bình thường."
            )
        }
    prices = [
        {
            "id": price.pk,
            "item": localized(price, "item", language),
            "unit": localized(price, "unit", language),
            "price_vnd": price.price_vnd,
        }
        for price in current_prices(place)
    ]
    return {
        "place": {
            "id": str(place.public_id),
            "name": localized(place, "name", language),
            "lon": place.location.x,
            "lat": place.location.y,
            "prices": prices,
        },
        "placeReportsUrl": reverse("api:place-reports", args=[place.public_id]),
        "overchargingCategory": OVERCHARGING_CATEGORY,
    }
