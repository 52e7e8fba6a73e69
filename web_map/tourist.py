"""The tourist view: the tourism office's places (search, filters by kind, open now and price,
details with hours and listed prices), free Wi-Fi, the visitor's position and ward outlines."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from web_map.map_settings import base_map_config, ward_layer_config

# A place's detail URL with "{id}" where the page's script puts the place's public id.
_ANY_ID = "00000000-0000-0000-0000-000000000000"


@require_safe
def tourist_map(request: HttpRequest) -> HttpResponse:
    config = {
        "urls": {
            "layers": reverse("api:layer-list"),
            "places": reverse("api:place-list"),
            "placeDetail": reverse("api:place-detail", args=[_ANY_ID]).replace(_ANY_ID, "{id}"),
            "wards": reverse("api:ward-list"),
            "wifiNearest": reverse("api:wifi-nearest"),
            "reportMap": reverse("web_map:index"),
        },
        "timeZone": settings.TIME_ZONE,
        **base_map_config(),
        "wardLayer": ward_layer_config(),
    }
    return render(
        request, "web_map/tourist.html", {"config": config, "city_name": settings.CITY_NAME}
    )
