"""The tourist view: layers of attractions and free Wi-Fi, search, near me, details."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def tourist_map(request: HttpRequest) -> HttpResponse:
    lat, lon = settings.MAP_CENTER
    config = {
        "urls": {
            "layers": reverse("api:layer-list"),
            "pois": reverse("api:poi-list"),
            "wifiNearest": reverse("api:wifi-nearest"),
            "reportMap": reverse("web_map:index"),
        },
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "center": [lat, lon],
        "zoom": settings.MAP_ZOOM,
    }
    return render(
        request, "web_map/tourist.html", {"config": config, "city_name": settings.CITY_NAME}
    )
