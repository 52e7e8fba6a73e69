"""The staff queue's filters, read once for the staff JSON API and the staff pages.

Both take the same query string (reference, status, category, ward, province, agency,
channel, overdue, disagrees, since, until, bbox), so the same URL gives the same rows and the
same mistake the same message; the API answers a mistake with its 400, the page shows it
above the queue and applies the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from gis_core.api.params import parse_report_filters
from gis_core.models import Report, ReportChannel
from gis_core.priority import queue_order
from gis_core.references import format_reference, parse_reference
from gis_core.selectors import reports_filtered, reports_overdue

FILTER_KEYS = (
    "reference",
    "status",
    "category",
    "ward",
    "province",
    "agency",
    "channel",
    "overdue",
    "disagrees",
    "since",
    "until",
)
EXTRA_KEYS = ("bbox",)  # the API's map view; the page's form has no field for it
TRUE_VALUES = ("1", "true", "yes", "on")  # ?overdue=: a link's 1/true/yes, a checkbox's on
SHOWN_CHARS = 100  # of a value echoed back into the page's form

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class StaffQueueFilters:
    """What a query string asks of the queue; `values` are its texts, to echo into a form."""

    public: dict[str, Any] = field(default_factory=dict)  # reports_filtered's keyword arguments
    reference: tuple[int, int] | None = None
    agency: str = ""
    channel: str = ""
    overdue: bool = False
    # The category classifier suggested another category than the report's (issue 14).
    disagrees: bool = False
    values: dict[str, str] = field(default_factory=dict)


def parse_staff_filters(params) -> tuple[StaffQueueFilters, Errors]:
    """The filters and {parameter: [message]} for the ones that could not be read (left out)."""
    given = {key: str(params.get(key) or "").strip() for key in (*FILTER_KEYS, *EXTRA_KEYS)}
    public, errors = parse_report_filters(given)
    reference = parse_reference(given["reference"]) if given["reference"] else None
    if given["reference"] and reference is None:
        errors["reference"] = [
            _("Mã phản ánh không hợp lệ (dạng %(example)s).")
            % {"example": format_reference(202612, 42)}
        ]
    channel = given["channel"]
    if channel and channel not in ReportChannel.values:
        errors["channel"] = [
            _("Kênh tiếp nhận không hợp lệ. Chọn một trong: %(valid)s.")
            % {"valid": ", ".join(ReportChannel.values)}
        ]
        channel = ""
    overdue = given["overdue"].lower() in TRUE_VALUES
    disagrees = given["disagrees"].lower() in TRUE_VALUES
    values = {key: value[:SHOWN_CHARS] for key, value in given.items()}
    values["overdue"] = "1" if overdue else ""
    values["disagrees"] = "1" if disagrees else ""
    filters = StaffQueueFilters(
        public=public,
        reference=reference,
        agency=given["agency"][:50],
        channel=channel,
        overdue=overdue,
        disagrees=disagrees,
        values=values,
    )
    return filters, errors


def staff_queue_filtered(
    qs: QuerySet[Report], filters: StaffQueueFilters, *, now: dt.datetime | None = None
) -> QuerySet[Report]:
    """`qs` (a staff member's scope) narrowed to what the filters ask for, urgent first."""
    qs = reports_filtered(queryset=qs, **filters.public).order_by(
        *queue_order(filters.public.get("status"))
    )
    if filters.reference is not None:
        month, number = filters.reference
        qs = qs.filter(reference_month=month, reference_number=number)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.overdue:
        qs = reports_overdue(qs, now)
    if filters.disagrees:
        qs = qs.filter(suggested_category__isnull=False).exclude(suggested_category=F("category"))
    return qs
