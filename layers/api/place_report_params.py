"""The fields a report filed from a place has beyond a report's: `price`, the id of one of
the place's listed prices current today (what an overcharging visitor was charged for), and
`charged_vnd`, what they paid in whole đồng. Both optional; each wrong one is a field error
under its own name, given in one answer with the report's own errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from common.api.fields import StrictIntegerField
from common.api.serializers import StrictSerializer, strict_data
from common.validation import FieldErrors
from gis_core.api.serializers import ReportCreateSerializer
from layers.models import PlacePrice, PointOfInterest
from layers.places.selectors import current_prices

# A billion đồng (about 40,000 USD): far above any bill at a place, below any overflow.
CHARGED_VND_MAX = 1_000_000_000


class PlaceReportFieldsSerializer(StrictSerializer):
    price = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Id of one of the place's listed prices current today (GET the place)",
    )
    charged_vnd = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=CHARGED_VND_MAX,
        help_text=f"What the visitor was charged, whole đồng, 1 to {CHARGED_VND_MAX:,}",
    )


class PlaceReportCreateSerializer(ReportCreateSerializer, PlaceReportFieldsSerializer):
    """The POST body of a report filed from a place (documents it; read in two parts)."""


@dataclass(frozen=True)
class PlaceReportFields:
    price: PlacePrice | None = None
    charged_vnd: int | None = None


def place_report_fields(
    place: PointOfInterest, body: Any, errors: dict[str, list[str]]
) -> PlaceReportFields:
    """The place fields of `body` (JSON or form), each problem added to `errors`."""
    try:
        data = strict_data(PlaceReportFieldsSerializer, body, partial=True)
    except FieldErrors as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, []).extend(messages)
        data = {f: None for f in exc.errors}
    price = None
    price_id = data.get("price")
    if price_id is not None:
        price = current_prices(place).filter(pk=price_id).first()
        if price is None:
            errors.setdefault("price", []).append(
                _("Không có giá niêm yết này của địa điểm: hãy chọn một mục trong bảng giá.")
            )
    return PlaceReportFields(price=price, charged_vnd=data.get("charged_vnd"))


__all__ = [
    "CHARGED_VND_MAX",
    "PlaceReportCreateSerializer",
    "PlaceReportFields",
    "place_report_fields",
]
