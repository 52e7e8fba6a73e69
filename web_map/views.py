"""The public web map: one HTML page; all data comes from the REST API, found via reverse()."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from gis_core.models import Category, ReportStatus
from gis_core.privacy_notice import current_notice
from layers.report_count import initial_view_counts
from web_map.catalog import catalog_url
from web_map.map_settings import base_map_config, ward_layer_config
from web_map.place_report_form import place_report_config

PHOTO_TYPES = "image/jpeg,image/png,image/webp"
_ID_PLACEHOLDER = uuid.UUID(int=0)


def _tile_pattern(name: str) -> str:
    """A tile route with Leaflet's {z}/{x}/{y} placeholders (reverse() would escape braces)."""
    return reverse(name, kwargs={"z": 0, "x": 0, "y": 0}).replace("/0/0/0.", "/{z}/{x}/{y}.")


def _id_pattern(name: str) -> str:
    """A URL with "{id}" where the report's public id goes, for the JS to fill."""
    return reverse(name, args=[_ID_PLACEHOLDER]).replace(str(_ID_PLACEHOLDER), "{id}")


# Every language's name of a category the scripts pick from (labels.categoryName); name_zh
# where the model has it (issue 12 adds it), so the page works before and after that field.
_CATEGORY_NAMES = ("name_vi", "name_en", "name_zh")
# for_places: the tourism categories, listed first on a place's report form.


def category_choices() -> list[dict[str, Any]]:
    """The active categories in order, each with its code and its names per language."""
    categories = Category.objects.filter(is_active=True).order_by("sort_order", "code")
    return list(categories.values("code", *_CATEGORY_NAMES, "for_places"))


def map_config(request: HttpRequest) -> dict[str, Any]:
    """Everything the JS needs, so no URL or setting is ever hard-coded in a static file."""
    lat, lon = settings.MAP_CENTER
    return {
        "urls": {
            "wards": reverse("api:ward-list"),
            "wardLookup": reverse("api:ward-lookup"),
            "reports": reverse("api:report-list"),
            "categories": reverse("api:category-list"),
            "duplicates": reverse("api:report-duplicates"),
            "categorySuggest": reverse("api:category-suggest"),
            "reportPage": _id_pattern("web_map:report"),
            # The page at the citizen's reference (MC-2612-0042): what the confirmation links.
            "reportByReference": reverse("web_map:report-by-reference", args=["X-0000-0"]).replace(
                "X-0000-0", "{reference}"
            ),
            "reportDetail": _id_pattern("api:report-detail"),
            "reportTiles": _tile_pattern("tiles:reports"),
            "reportCount": reverse("api:report-count"),
            # The PWA's service worker (web_map/pwa.py), registered by main.js.
            "serviceWorker": reverse("web_map:service-worker"),
        },
        **base_map_config(),
        "wardLayer": ward_layer_config(),
        # More reports than this in view (counted from the cells) and the map draws tiles
        # instead of markers.
        "reportsMaxInView": settings.MAP_REPORTS_MAX_IN_VIEW,
        # The report counts around the initial view: the first screen needs no count request.
        "initialReportCounts": initial_view_counts(lat=lat, lon=lon, zoom=settings.MAP_ZOOM),
        "cityName": settings.CITY_NAME,
        # The language the page was rendered in (cookie, else Accept-Language, else vi).
        "language": get_language() or settings.LANGUAGE_CODE,
        "catalogUrl": catalog_url(),
        "timeZone": settings.TIME_ZONE,
        "categories": category_choices(),
        "statuses": list(ReportStatus.values),
        "descriptionMaxChars": settings.REPORT_DESCRIPTION_MAX_CHARS,
        "photoMaxCount": settings.PHOTO_MAX_COUNT,
        "photoTypes": PHOTO_TYPES,
        # Clip limits checked in the browser before upload (the API checks them again).
        "videoMaxCount": settings.VIDEO_MAX_COUNT,
        "videoMaxBytes": settings.VIDEO_MAX_BYTES,
        "videoMaxSeconds": settings.VIDEO_MAX_SECONDS,
        # Signed-in citizens post with their session, which Django's CSRF check guards.
        "csrfToken": get_token(request),
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The map page; `config` is emitted with json_script, so it is escaped for HTML."""
    config = map_config(request)
    # ?place=<id>: the form opens for that place ("Báo sự cố tại đây" on the tourist page).
    config.update(place_report_config(request.GET.get("place"), config["language"]))
    context = {"config": config, "privacy_notice": current_notice()}
    return render(request, "web_map/index.html", context)
