"""The planner view (staff): thematic layers of the reports over wards, and the map export.

The page only reads public aggregates (heat cells, grid counts, ward statistics, hotspots)
and the public layer/POI endpoints, so it never holds a reporter's personal data; it is
staff-only because planners act on it, not because of what it shows. The export endpoint
reuses etl.folium_map.export_city_map, the same code as `manage.py export_map`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.csv_safe import rows_to_csv
from common.dates import period_params
from gis_core.models import ReportStatus
from layers.api.forecast_views import parse_series_params
from layers.forecast_read import EXPORT_HEADER, export_rows
from ward_boundaries.api.params import province_param
from ward_boundaries.selectors import provinces_in_force
from web_map.map_export import EXPORT_LAYERS, MapExportError, export_city_map
from web_map.staff_shell import current_wards, page_config, role_label, staff_required
from web_map.views import category_choices

# How far back the period slider reaches, in whole months (the current one included).
SLIDER_MONTHS = 24
# The period shown first: the last 12 months (one seasonal cycle).
DEFAULT_MONTHS = 12
# The thematic layers the planner draws itself; point layers come from /api/v1/layers/.
THEMATIC_LAYERS = (
    {"key": "wards", "visible": True},
    {"key": "heat", "visible": True},
    {"key": "grid", "visible": False},
    {"key": "choropleth", "visible": False},
    {"key": "hotspots", "visible": False},
    # The tourism office's places by kind, and visitors' reports by place (issue 13).
    {"key": "places", "visible": False},
    {"key": "place_reports", "visible": False},
)
# The export's words for the city's own sums (the whole city; every category), since an
# absent parameter means "every series".
CITY_WIDE_CODE = "toan-thanh-pho"
ALL_CATEGORIES_CODE = "tat-ca"
CHOROPLETH_MEASURES = (
    "received",
    "per_1000_residents",
    "median_hours",
    "on_time_pct",
    "satisfaction_score",
)


def slider_months(today: dt.date, count: int = SLIDER_MONTHS) -> list[str]:
    """The last `count` months as "YYYY-MM", oldest first, ending with today's month."""
    year, month = today.year, today.month
    months = []
    for _month in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def planner_config(request: HttpRequest) -> dict[str, Any]:
    """Everything planner.js needs; URLs from reverse(), never written into the JS."""
    today = timezone.localdate()
    return {
        **page_config(request),
        "urls": {
            "wards": reverse("api:ward-list"),
            "outlines": reverse("api:ward-outlines"),
            "wardStats": reverse("api:ward-stats"),
            "heat": reverse("api:report-heat"),
            "grid": reverse("api:report-grid"),
            "hotspots": reverse("api:hotspots"),
            "placeMap": reverse("api:staff-place-map"),
            "layers": reverse("api:layer-list"),
            "pois": reverse("api:poi-list"),
            "wifiNearest": reverse("api:wifi-nearest"),
            "export": reverse("web_map:planner-export"),
            "forecast": reverse("api:staff-forecasts"),
            "forecastExport": reverse("web_map:planner-forecast-export"),
            "staffQueue": reverse("web_map:staff-queue"),
        },
        "cityName": settings.CITY_NAME,
        "language": get_language() or settings.LANGUAGE_CODE,
        "today": today.isoformat(),
        "months": slider_months(today),
        "defaultMonths": DEFAULT_MONTHS,
        "categories": category_choices(),
        "statuses": [{"code": code, "name_vi": label} for code, label in ReportStatus.choices],
        "wards": [
            {"code": w.code, "name": w.name, "province": w.province_code}
            for w in current_wards().only("code", "name", "province_code")
        ],
        "provinces": [{"code": code, "name": name} for code, name in provinces_in_force()],
        "layers": list(THEMATIC_LAYERS),
        "measures": list(CHOROPLETH_MEASURES),
        "exportLayers": list(EXPORT_LAYERS),
    }


@require_safe
@staff_required
def planner_map(request: HttpRequest) -> HttpResponse:
    """Any staff role: the figures are city-wide public aggregates, not a role's queue."""
    context = {
        "config": planner_config(request),
        "role_label": role_label(request.user),
    }
    return render(request, "web_map/planner.html", context)


def _bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    """The API's error shape, so a script calling the export reads it like any API error."""
    return JsonResponse(
        {
            "detail": _("Dữ liệu không hợp lệ: %(fields)s.") % {"fields": ", ".join(errors)},
            "code": "invalid",
            "errors": errors,
        },
        status=400,
    )


def parse_export_params(params) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(keyword arguments for export_city_map, errors by parameter name)."""
    errors: dict[str, list[str]] = {}
    kwargs: dict[str, Any] = {"ward": (params.get("ward") or "").strip()[:20] or None}
    kwargs["province"] = province_param(params, errors)
    kwargs["since"], kwargs["until"] = period_params(params, errors)
    raw_layers = (params.get("layers") or "").strip()
    kwargs["layers"] = raw_layers.split(",") if raw_layers else list(EXPORT_LAYERS)
    return kwargs, errors


@require_safe
@staff_required
def planner_export(request: HttpRequest) -> HttpResponse:
    """The standalone folium map as a download (the file the export_map command writes)."""
    kwargs, errors = parse_export_params(request.GET)
    if errors:
        return _bad_request(errors)
    try:
        result = export_city_map(**kwargs)
    except MapExportError as exc:
        return _bad_request({exc.param: [str(exc)]})
    place = kwargs["ward"] or (f"tinh-{kwargs['province']}" if kwargs["province"] else None)
    parts = [place or "thanh-pho"]
    parts += [d.isoformat() for d in (kwargs["since"], kwargs["until"]) if d]
    response = HttpResponse(result.html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ban-do-{"_".join(parts)}.html"'
    response["Cache-Control"] = "private, no-store"
    response["X-Report-Count"] = str(result.report_count)
    return response


@require_safe
@staff_required
def planner_forecast_export(request: HttpRequest) -> HttpResponse:
    """The stored forecasts as CSV: every series' 8 weeks, or one ward's and/or one category's
    (`ward`, `category`: codes; absent means all, "toan-thanh-pho" / "tat-ca" the city's own
    sums). Counts and names only: nothing about a report or a reporter."""
    params = request.GET.copy()
    city = params.get("ward") == CITY_WIDE_CODE
    every = params.get("category") == ALL_CATEGORIES_CODE
    for name, special in (("ward", city), ("category", every)):
        if special:
            params[name] = ""
    ward, category, errors = parse_series_params(params)
    if errors:
        return _bad_request(errors)
    body = rows_to_csv(
        EXPORT_HEADER,
        export_rows(
            ward if (ward or city) else None,
            category if (category or every) else None,
        ),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = "_".join(p for p in ("du-bao", ward, category) if p)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
