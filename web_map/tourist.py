"""The tourist view: layers of attractions and free Wi-Fi, search, near me, details."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from web_map.map_settings import base_map_config


@require_safe
def tourist_map(request: HttpRequest) -> HttpResponse:
    config = {
        "urls": {
            "layers": reverse("api:layer-list"),
            "pois": reverse("api:poi-list"),
            "wifiNearest": reverse("api:wifi-nearest"),
            "reportMap": reverse("web_map:index"),
        },
        **base_map_config(),
    }
    return render(
        request, "web_map/tourist.html", {"config": config, "city_name": settings.CITY_NAME}
    )
