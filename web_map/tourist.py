"""The tourist view: the tourism office's places (search, filters by kind, open now and price,
details with hours and listed prices), free Wi-Fi, the visitor's position and ward outlines."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from web_map.map_settings import base_map_config

# The public places API (issue 13, notes PLACES.md: GET /api/v1/places/ and
# /api/v1/places/<public_id>/), served by the layers app. Written as the contract's paths so
# this page does not depend on the name its routes get; {id} is filled by the page's script.
PLACES_URL = "/api/v1/places/"
PLACE_DETAIL_URL = "/api/v1/places/{id}/"


@require_safe
def tourist_map(request: HttpRequest) -> HttpResponse:
    config = {
        "urls": {
            "layers": reverse("api:layer-list"),
            "places": PLACES_URL,
            "placeDetail": PLACE_DETAIL_URL,
            "wards": reverse("api:ward-list"),
            "wifiNearest": reverse("api:wifi-nearest"),
            "reportMap": reverse("web_map:index"),
        },
        "timeZone": settings.TIME_ZONE,
        **base_map_config(),
    }
    return render(
        request, "web_map/tourist.html", {"config": config, "city_name": settings.CITY_NAME}
    )
