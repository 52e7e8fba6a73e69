"""The GET requests filters of GeoReport v2, parsed and applied to the public report list."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from gis_core.models import CLOSED_STATUSES, Report, ReportTransition
from gis_core.selectors import PUBLIC_REPORT_FIELDS, reports_public

MAX_REQUESTS = 1000  # the spec's default cap on one answer
DEFAULT_WINDOW = dt.timedelta(days=90)  # the spec's default and largest date range
MAX_LIST_ITEMS = 100  # comma-list values accepted in one filter


@dataclass(frozen=True)
class RequestFilters:
    ids: list[uuid.UUID] | None = None
    service_codes: list[str] | None = None
    statuses: list[str] | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def _comma_list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def parse_w3c(raw: str) -> dt.datetime | None:
    """A W3C/ISO 8601 datetime (Z or offset; naive means local time) or a bare date."""
    raw = raw.strip().replace(" ", "+")  # a "+07:00" sent unencoded arrives as a space
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)) is not None:
            value = dt.datetime.combine(day, dt.time.min)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
    except (ValueError, OverflowError):
        return None
    # Bounded, so the window arithmetic (start + 90 days) stays inside the calendar.
    if value is not None and not 1900 <= value.year <= 2999:
        return None
    return value


def parse_filters(params: Mapping[str, str]) -> tuple[RequestFilters, list[tuple[str, str]]]:
    """Filters and errors (field, message): one message per field, which never repeats what
    was sent. service_request_id overrides the others (spec)."""
    errors: list[tuple[str, str]] = []
    raw_ids = _comma_list(params.get("service_request_id"))
    if raw_ids:
        ids = []
        for raw in raw_ids[:MAX_LIST_ITEMS]:
            try:
                ids.append(uuid.UUID(raw))
            except ValueError:
                message = _("Mã yêu cầu không hợp lệ: mỗi service_request_id là một UUID.")
                errors.append(("service_request_id", message))
                break
        return RequestFilters(ids=ids), errors

    statuses = _comma_list(params.get("status"))[:MAX_LIST_ITEMS]
    if any(value not in ("open", "closed") for value in statuses):
        errors.append(("status", _("Trạng thái chỉ có thể là open hoặc closed.")))
    codes = _comma_list(params.get("service_code"))[:MAX_LIST_ITEMS]

    bounds: dict[str, dt.datetime | None] = {}
    for name in ("start_date", "end_date"):
        given = params.get(name)
        bounds[name] = parse_w3c(given) if given else None
        if given and bounds[name] is None:
            errors.append((name, _("Không phải ngày giờ W3C; ví dụ: 2026-01-31T00:00:00+07:00.")))
    start, end = bounds["start_date"], bounds["end_date"]
    if not errors:
        if start is None:
            if end is None:
                end = timezone.now()
            start = end - DEFAULT_WINDOW
        elif end is None:
            end = min(start + DEFAULT_WINDOW, max(timezone.now(), start))
        if start > end:
            errors.append(("start_date", _("start_date phải trước end_date.")))
        elif end - start > DEFAULT_WINDOW:
            errors.append(
                (
                    "end_date",
                    _("Khoảng thời gian dài tối đa %(days)s ngày.") % {"days": DEFAULT_WINDOW.days},
                )
            )
    return RequestFilters(service_codes=codes, statuses=statuses, start=start, end=end), errors


def requests_queryset() -> QuerySet[Report]:
    """Public reports with all a request needs in three queries: the rows (category, ward and
    agency joined), their photos and their public notes. Contact columns are never loaded."""
    transitions = ReportTransition.objects.only(
        "id", "report_id", "to_status", "public_note", "created_at"
    ).order_by("created_at", "id")
    return (
        reports_public()
        .only(*PUBLIC_REPORT_FIELDS, "updated_at")
        .prefetch_related(Prefetch("transitions", queryset=transitions))
    )


def requests_filtered(filters: RequestFilters) -> list[Report]:
    """Newest first, at most MAX_REQUESTS."""
    qs = requests_queryset()
    if filters.ids is not None:
        qs = qs.filter(public_id__in=filters.ids)
    else:
        if filters.service_codes:
            qs = qs.filter(category__code__in=filters.service_codes)
        wanted = set(filters.statuses or ())
        if wanted == {"open"}:
            qs = qs.exclude(status__in=CLOSED_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=CLOSED_STATUSES)
        qs = qs.filter(reported_at__gte=filters.start, reported_at__lte=filters.end)
    return list(qs[:MAX_REQUESTS])


def request_by_id(raw_id: str) -> Report | None:
    try:
        public_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    return requests_queryset().filter(public_id=public_id).first()
