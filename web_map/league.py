"""The public league page: the same table as the API, server-rendered so it works without JS
on any phone, and escaped by the template engine (unit names are staff-entered text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from common.localized import localized
from gis_core.league import (
    GROUPINGS,
    MIN_RESOLVED,
    LeagueRow,
    league_table_cached,
    parse_league_query,
)
from gis_core.staff import staff_role
from ward_boundaries.selectors import provinces_in_force

# Lazy: the labels are read in each request's language, not the one active at import. The
# context keeps the tab's "Đơn vị xử lý" (English "Agency") apart from the report page's.
TAB_LABELS: dict[str, Any] = {
    "agency": pgettext_lazy("league tab", "Đơn vị xử lý"),
    "ward": pgettext_lazy("league tab", "Phường, xã"),
    "category": pgettext_lazy("league tab", "Lĩnh vực"),
    "channel": pgettext_lazy("league tab", "Kênh tiếp nhận"),
}


# Which staff-queue filter a league row's key becomes (a ward key is "<version>/<code>").
_DRILL_PARAM = {"agency": "agency", "ward": "ward", "category": "category", "channel": "channel"}


@dataclass(frozen=True)
class PageRow:
    """A league row as the page shows it: `centre` is the operations centre's own row (the
    reports routed to no agency), highlighted, with how long its oldest report has waited."""

    row: LeagueRow
    name: str
    drill_url: str | None
    centre: bool
    oldest_overdue: str
    oldest_open: str


def age_label(hours: float | None) -> str:
    """'5 giờ' under two days, else whole days ('26 ngày'); a dash (the table's blank)."""
    if hours is None:
        return "\N{EN DASH}"
    if hours < 48:
        return _("%(n)s giờ") % {"n": int(hours)}
    return _("%(n)s ngày") % {"n": int(hours // 24)}


def _page_rows(request: HttpRequest, by: str, period: dict, rows: list[LeagueRow]) -> list:
    """Staff get each row linked to its reports in their queue; the public gets plain rows."""
    queue = reverse("web_map:staff-queue") if staff_role(request.user) is not None else None
    shown = []
    for row in rows:
        value = row.key.rsplit("/", 1)[-1]
        url = (
            f"{queue}?{urlencode({_DRILL_PARAM[by]: value, **period})}" if queue and value else None
        )
        shown.append(
            PageRow(
                row=row,
                # The unit's name in the reader's language (Vietnamese if untranslated).
                name=localized(row, "name"),
                drill_url=url,
                centre=by == "agency" and not row.key,
                oldest_overdue=age_label(row.oldest_overdue_hours),
                oldest_open=age_label(row.oldest_open_hours),
            )
        )
    return shown


@require_safe
def league_page(request: HttpRequest) -> HttpResponse:
    """Bad dates or an unknown province show the form's errors (status 400) instead of a
    table. A province picker is offered when more than one province is in force."""
    query, errors = parse_league_query(request.GET, user=request.user)
    provinces = provinces_in_force()
    context: dict[str, Any] = {
        "city_name": settings.CITY_NAME,
        "errors": errors,
        "query": query,
        "min_resolved": MIN_RESOLVED,
        # Ranked rows under this on-time percentage are marked (row.below_threshold).
        "slow_pct": settings.LEAGUE_SLOW_ON_TIME_PCT,
        "map_url": reverse("web_map:index"),
        # Echo what was typed, so a mistyped date can be corrected in place.
        "since_value": (request.GET.get("since") or "")[:20],
        "until_value": (request.GET.get("until") or "")[:20],
        # (code, name) of the provinces in force; the picker shows only where there is a choice.
        "provinces": provinces if len(provinces) > 1 else [],
        "province_value": (request.GET.get("province") or "")[:10],
        "province_name": None,
    }
    if query is None:
        context["by"] = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "agency"
        context["tabs"] = _tabs(request.path, context["by"], {})
        return render(request, "web_map/league.html", context, status=400)
    # The period and the province: kept by the tabs, the CSV link and a staff drill-down.
    period = {"since": query.since.isoformat(), "until": query.until.isoformat()}
    if query.province:
        period["province"] = query.province
    context.update(
        province_value=query.province or "",
        province_name=dict(provinces).get(query.province or "", query.province),
        since_value=period["since"],
        until_value=period["until"],
        by=query.by,
        by_label=TAB_LABELS[query.by],
        rows=_page_rows(
            request,
            query.by,
            period,
            league_table_cached(
                by=query.by, since=query.since, until=query.until, province=query.province
            ),
        ),
        tabs=_tabs(request.path, query.by, period),
        csv_url=f"{reverse('api:league-table-csv')}?{urlencode({'by': query.by, **period})}",
    )
    return render(request, "web_map/league.html", context)


def _tabs(path: str, current: str, period: dict[str, str]) -> list[dict]:
    return [
        {
            "label": TAB_LABELS[by],
            "url": f"{path}?{urlencode({'by': by, **period})}",
            "current": by == current,
        }
        for by in GROUPINGS
    ]
