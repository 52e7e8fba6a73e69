"""The operations centre's board: what needs an operator now, counted per agency and ward.

One grouped query over the reports still to be acted on (BOARD_ROWS: open, or resolved and
waiting for review after a dissatisfied rating), each count one filter expression in
board_count_filters(), so a new count is one line there. The board's poll asks
reports_last_change() first (one index lookup) and recounts only when it moved: see
docs/board.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.local_time import local_midnight
from common.localized import localized
from gis_core.models import CLOSED_STATUSES, Agency, Report, ReportStatus
from gis_core.models.reports import BOARD_ROWS
from gis_core.selectors import is_overdue
from ward_boundaries.models import Ward

S = ReportStatus
NEWEST_LIMIT = 30


def _open() -> Q:
    return ~Q(status__in=CLOSED_STATUSES)


def _review() -> Q:
    """Resolved, rated "không hài lòng" and not yet reopened (report_rate sets needs_review;
    reopening clears it): the operator's decision is due."""
    return Q(status=S.RESOLVED, needs_review=True)


# BOARD_ROWS (gis_core.models.reports) holds every report a count below may count; the partial
# index report_board_idx has exactly that condition, so the counts read only these rows.


def board_count_filters(now: dt.datetime, day_end: dt.datetime) -> dict[str, Q]:
    """The board's counts, one filter over a report each, in the order the board shows them.

    Overdue is reports_overdue() (open past due_at); due today is open, not yet overdue and
    due before the local day ends, so the two never count a report twice."""
    return {
        "new": Q(status=S.RECEIVED),
        "urgent": Q(urgent_open=True),  # open and urgent (gis_core.priority)
        "overdue": _open() & Q(due_at__lt=now),
        "due_today": _open() & Q(due_at__gte=now, due_at__lt=day_end),
        "review": _review(),
    }


@dataclass(frozen=True)
class BoardGroup:
    """One agency's or ward's counts; code "" is the group of reports without one."""

    code: str
    name: str
    counts: dict[str, int]


@dataclass(frozen=True)
class BoardCounts:
    totals: dict[str, int]
    by_agency: list[BoardGroup]
    by_ward: list[BoardGroup]
    # The first moment a count changes with no write: the next open report's due time, or
    # the end of the local day (due today), whichever comes first.
    next_change: dt.datetime
    keys: tuple[str, ...] = field(default=())


def board_counts(now: dt.datetime | None = None) -> BoardCounts:
    """The board's counts, city-wide, in one grouped query (plus the two name lookups)."""
    now = now or timezone.now()
    day_end = local_midnight(timezone.localtime(now).date() + dt.timedelta(days=1))
    filters = board_count_filters(now, day_end)
    rows = list(
        Report.objects.filter(BOARD_ROWS)
        .values("agency_id", "ward_id")
        .annotate(
            **{key: Count("pk", filter=q) for key, q in filters.items()},
            next_due=Min("due_at", filter=_open() & Q(due_at__gte=now)),
        )
        .order_by()
    )
    keys = tuple(filters)
    totals = dict.fromkeys(keys, 0)
    agencies: dict[int | None, dict[str, int]] = {}
    wards: dict[int | None, dict[str, int]] = {}
    next_due = [row["next_due"] for row in rows if row["next_due"] is not None]
    for row in rows:
        for key in keys:
            totals[key] += row[key]
            agencies.setdefault(row["agency_id"], dict.fromkeys(keys, 0))[key] += row[key]
            wards.setdefault(row["ward_id"], dict.fromkeys(keys, 0))[key] += row[key]
    return BoardCounts(
        totals=totals,
        by_agency=_agency_groups(agencies),
        by_ward=_ward_groups(wards, keys),
        next_change=min([*next_due, day_end]),
        keys=keys,
    )


def _ranked(groups: list[BoardGroup]) -> list[BoardGroup]:
    """Groups with something to do, the most overdue first, then the most new."""
    busy = [g for g in groups if any(g.counts.values())]
    return sorted(
        busy,
        key=lambda g: (-g.counts.get("overdue", 0), -g.counts.get("new", 0), g.name, g.code),
    )


def _agency_groups(counts: dict[int | None, dict[str, int]]) -> list[BoardGroup]:
    # The agency's name in the reader's language, as the status labels are.
    names = {
        row["pk"]: (row["code"], localized(row, "name"))
        for row in Agency.objects.filter(pk__in=[k for k in counts if k]).values(
            "pk", "code", "name", "name_en", "name_zh"
        )
    }
    unrouted = ("", _("Chưa chuyển đơn vị xử lý"))
    return _ranked(
        [BoardGroup(*names.get(pk, unrouted) if pk else unrouted, c) for pk, c in counts.items()]
    )


def _ward_groups(counts: dict[int | None, dict[str, int]], keys) -> list[BoardGroup]:
    """Per ward code: a report keeps the ward of its boundary version, so one ward's reports
    may point at two rows (before and after a merger of wards) with the same code."""
    names = {
        pk: (code, name)
        for pk, code, name in Ward.objects.filter(pk__in=[k for k in counts if k]).values_list(
            "pk", "code", "name"
        )
    }
    outside = ("", _("Ngoài ranh giới phường/xã"))
    merged: dict[str, tuple[str, dict[str, int]]] = {}
    for pk, c in counts.items():
        code, name = names.get(pk, outside) if pk else outside
        _name, total = merged.setdefault(code, (name, dict.fromkeys(keys, 0)))
        for key in keys:
            total[key] += c[key]
    return _ranked([BoardGroup(code, name, c) for code, (name, c) in merged.items()])


def reports_last_change() -> dt.datetime | None:
    """The newest updated_at of all reports (report_updated_at_idx: one index lookup): every
    insert and every workflow save moves it, so the board's poll recounts only when it did."""
    return Report.objects.aggregate(last=Max("updated_at"))["last"]


def board_newest(limit: int = NEWEST_LIMIT, now: dt.datetime | None = None) -> list[dict]:
    """The newest reports for the board's map: where, what and how far along; no contact and
    no description (the board hangs on a wall that visitors see)."""
    now = now or timezone.now()
    reports = (
        Report.objects.select_related("category", "ward")
        .only(
            "public_id",
            "reference_month",
            "reference_number",
            "location",
            "status",
            "due_at",
            "reported_at",
            "category__name_vi",
            "category__name_en",
            "category__name_zh",
            "ward__name",
        )
        .order_by("-reported_at", "-id")[:limit]
    )
    return [
        {
            "id": str(r.public_id),
            "reference": r.reference,
            "lat": round(r.location.y, 6),
            "lon": round(r.location.x, 6),
            "status": r.status,
            "status_label": r.get_status_display(),
            "category": localized(r.category, "name"),
            "ward": r.ward.name if r.ward else "",
            "reported_at": timezone.localtime(r.reported_at).isoformat(),
            "overdue": is_overdue(r.status, r.due_at, now),
            "url": reverse("web_map:staff-report", args=[r.public_id]),
        }
        for r in reports
    ]
