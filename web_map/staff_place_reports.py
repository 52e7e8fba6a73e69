"""The tourism office's loop back from visitors' reports: places ranked by their reports (with
a CSV), and one place's history of reports, listed prices and changes.

For the tourism office, the operations centre and administrators (gis_core.staff
can_follow_place_reports). Reads only (layers.places.report_selectors); no reporter's
contact is loaded, shown or exported. A report links to its staff page only when the reader
may open it (gis_core.staff.reports_for_staff).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.csv_safe import rows_to_csv
from common.humanize import grouped
from common.localized import localized
from gis_core.models import Report
from gis_core.staff import can_follow_place_reports, reports_for_staff
from layers.models import PlaceChange, PlacePrice, PointOfInterest
from layers.places.report_selectors import (
    WINDOW_DAYS,
    HistoryEntry,
    Overcharge,
    is_stale_at,
    place_history,
    places_ranked,
    recent_overcharges,
)
from layers.places.selectors import current_q, prices_updated_at
from web_map.staff_shell import page_config, role_label

RECENT_OVERCHARGES = 20
PRICE_ACTIONS = (PlaceChange.Action.PRICE_ADD, PlaceChange.Action.PRICE_CLOSE)


def place_reports_access(view):
    """Anonymous visitors go to the admin login; anyone else without the right gets a 403
    page in their language (not Django's bare English one)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not can_follow_place_reports(request.user):
            context = {
                "message": _(
                    "Trang này dành cho phòng du lịch, trung tâm điều hành và quản trị viên."
                ),
                "config": page_config(request),
                "role_label": role_label(request.user),
            }
            return render(request, "web_map/staff_forbidden.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def vnd(amount: int) -> str:
    """450.000 ₫ (the reader's grouping)."""
    return f"{grouped(amount)} ₫"


def listed_price(price: PlacePrice) -> str:
    """450.000 ₫/đêm: the amount and its unit in the reader's language."""
    unit = localized(price, "unit")
    return f"{vnd(price.price_vnd)}/{unit}" if unit else vnd(price.price_vnd)


def overcharge_text(charge: Overcharge) -> str:
    """'Giá niêm yết 450.000 ₫/đêm — đã thu 700.000 ₫ (+56%)', or what is known of it."""
    charged = vnd(charge.charged_vnd) if charge.charged_vnd is not None else None
    if charge.price is None:
        if charged is None:
            return _("Giá niêm yết: không rõ — số tiền đã thu: không rõ")
        return _("Giá niêm yết: không rõ — đã thu %(charged)s") % {"charged": charged}
    listed = listed_price(charge.price)
    if charged is None:
        return _("Giá niêm yết %(listed)s — số tiền đã thu: không rõ") % {"listed": listed}
    if charge.difference_pct is None:
        return _("Giá niêm yết %(listed)s — đã thu %(charged)s") % {
            "listed": listed,
            "charged": charged,
        }
    return _("Giá niêm yết %(listed)s — đã thu %(charged)s (%(pct)s)") % {
        "listed": listed,
        "charged": charged,
        "pct": f"{charge.difference_pct:+d}%",
    }


def _linkable(user, reports: list[Report]) -> set[int]:
    """The reports among `reports` this user may open on the staff report page."""
    ids = [r.pk for r in reports]
    return set(reports_for_staff(user).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass(frozen=True)
class ChargeRow:
    report: Report
    item: str
    text: str
    over: bool  # charged more than listed
    url: str | None


def _charge_rows(user, charges: list[Overcharge]) -> list[ChargeRow]:
    linkable = _linkable(user, [c.report for c in charges])
    return [
        ChargeRow(
            report=c.report,
            item=localized(c.price, "item") if c.price is not None else "",
            text=overcharge_text(c),
            over=bool(c.difference_vnd and c.difference_vnd > 0),
            url=reverse("web_map:staff-report", args=[c.report.public_id])
            if c.report.pk in linkable
            else None,
        )
        for c in charges
    ]


def _ranking_rows(now) -> list[dict[str, Any]]:
    return [
        {
            "place": place,
            "name": localized(place, "name"),
            "kind": place.get_kind_display(),
            "ward": place.ward.name if place.ward else "",
            "stale": is_stale_at(place.prices_updated_at, now),  # type: ignore[attr-defined]
            "url": reverse("web_map:staff-place-history", args=[place.public_id]),
        }
        for place in places_ranked(now)
    ]


@require_safe
@place_reports_access
def staff_place_reports(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "rows": _ranking_rows(now),
        "days": WINDOW_DAYS,
        "charges": _charge_rows(request.user, recent_overcharges(limit=RECENT_OVERCHARGES)),
        "csv_url": reverse("web_map:staff-place-reports-csv"),
        "config": page_config(request),
        "role_label": role_label(request.user),
    }
    return render(request, "web_map/staff_place_reports.html", context)


CSV_HEADER = (
    "rank",
    "place_id",
    "name",
    "kind",
    "ward_code",
    "ward",
    "open_reports",
    "reports_30_days",
    "overcharging_reports",
    "last_report_at",
    "prices_updated_at",
    "prices_stale",
)


@require_safe
@place_reports_access
def staff_place_reports_csv(request: HttpRequest) -> HttpResponse:
    """The ranking as CSV (common.csv_safe): places and counts only, never a report's text
    or a reporter's contact; the place's own phone is left out too."""
    now = timezone.now()
    rows = []
    for rank, place in enumerate(places_ranked(now), start=1):
        p: Any = place  # annotated
        rows.append(
            (
                rank,
                str(p.public_id),
                p.name,
                p.kind,
                p.ward.code if p.ward else "",
                p.ward.name if p.ward else "",
                p.open_reports,
                p.recent_reports,
                p.overcharging_reports,
                timezone.localtime(p.last_report_at).isoformat() if p.last_report_at else "",
                timezone.localtime(p.prices_updated_at).isoformat() if p.prices_updated_at else "",
                int(is_stale_at(p.prices_updated_at, now)),
            )
        )
    response = HttpResponse(rows_to_csv(CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
    filename = f"phan-anh-dia-diem-{timezone.localdate(now).isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _history_rows(user, entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    reports = [e.item for e in entries if e.kind == "report"]
    linkable = _linkable(user, reports)
    charges = {
        c.report.pk: c
        for c in _charge_rows(user, [e.overcharge for e in entries if e.overcharge is not None])
    }
    rows = []
    for entry in entries:
        row: dict[str, Any] = {"at": entry.at, "kind": entry.kind, "item": entry.item}
        if entry.kind == "report":
            report = entry.item
            row["url"] = (
                reverse("web_map:staff-report", args=[report.public_id])
                if report.pk in linkable
                else None
            )
            row["charge"] = charges.get(report.pk)
        elif entry.kind == "price":
            row["price_text"] = listed_price(entry.item)
            row["price_item"] = localized(entry.item, "item")
        else:
            change = entry.item
            # A price's own line says what it was; other changes name the fields changed.
            if change.action in PRICE_ACTIONS:
                row["fields"] = ""
            else:
                fields = set(change.before or {}) | set(change.after or {})
                row["fields"] = ", ".join(sorted(fields - {"id", "closed"}))
        rows.append(row)
    return rows


@require_safe
@place_reports_access
def staff_place_history(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    place = PointOfInterest.objects.select_related("ward").filter(public_id=public_id).first()
    if place is None:
        raise Http404(_("Không có địa điểm này."))
    now = timezone.now()
    today = timezone.localdate(now)
    current = list(place.prices.filter(current_q(today)).order_by("item", "unit", "id"))
    entries = place_history(place)
    updated = prices_updated_at(place)
    context = {
        "place": place,
        "name": localized(place, "name"),
        "kind": place.get_kind_display(),
        "current": [(localized(p, "item"), listed_price(p)) for p in current],
        "current_ids": {p.pk for p in current},
        "stale": is_stale_at(updated, now),
        "prices_updated_at": updated,
        "rows": _history_rows(request.user, entries),
        "ranking_url": reverse("web_map:staff-place-reports"),
        "config": page_config(request),
        "role_label": role_label(request.user),
    }
    return render(request, "web_map/staff_place_history.html", context)
