"""The link from a report to the place it was filed from ("Báo sự cố tại đây"), written in
the report's own transaction, so a report filed at a place never exists without its link.

Idempotent like report_submit: a retry with the same idempotency key returns the first
report, and its link stays the one written the first time. A retry that names another place,
item or amount, or a key first used for a report filed elsewhere, is a different submission
under a reused key: IdempotencyConflict (the API's 409), nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.db import transaction

from gis_core.idempotency import IdempotencyConflict
from gis_core.models import Report
from gis_core.services import SubmittedReport
from layers.models import PlacePrice, PlaceReport, PointOfInterest

# The tourism category whose report names the listed item and what was charged (gis_core
# 0038); the form offers those two fields for it.
OVERCHARGING_CATEGORY = "du_lich_chat_chem"


@transaction.atomic
def place_report_link(
    *,
    report_id: int,
    place: PointOfInterest,
    price: PlacePrice | None = None,
    charged_vnd: int | None = None,
) -> PlaceReport:
    """Links report `report_id` to `place` (with the listed price and what was charged, for
    an overcharging report); the same link again returns the stored one, a different one for
    the same report raises IdempotencyConflict."""
    link, created = PlaceReport.objects.get_or_create(
        report_id=report_id,
        defaults={
            "place": place,
            "place_public_id": place.public_id,
            "price": price,
            "charged_vnd": charged_vnd,
        },
    )
    if not created and not _same(link, place, price, charged_vnd):
        raise IdempotencyConflict()
    return link


def _same(
    link: PlaceReport, place: PointOfInterest, price: PlacePrice | None, charged: int | None
) -> bool:
    return (link.place_public_id, link.price_id, link.charged_vnd) == (
        place.public_id,
        price.pk if price is not None else None,
        charged,
    )


@transaction.atomic
def place_report_submit(
    *,
    submit: Callable[[], SubmittedReport],
    place: PointOfInterest,
    price: PlacePrice | None = None,
    charged_vnd: int | None = None,
) -> SubmittedReport:
    """Files a report at `place`: `submit()` stores the report (gis_core's report_submit, with
    its checks, limits and idempotency) and the link is written in the same transaction. A
    retry (the report already stored) writes nothing; its link must be the first one."""
    submitted = submit()
    if submitted.created:
        report_id = int((submitted.row or {})["id"])
        place_report_link(report_id=report_id, place=place, price=price, charged_vnd=charged_vnd)
        return submitted
    report = cast(Report, submitted.report)  # a repeat comes as the stored model
    link = PlaceReport.objects.filter(report_id=report.pk).first()
    if link is None or not _same(link, place, price, charged_vnd):
        raise IdempotencyConflict()
    return submitted


__all__ = ["OVERCHARGING_CATEGORY", "place_report_link", "place_report_submit"]
