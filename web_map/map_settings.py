"""The base map every page's script starts from: tile source, centre and zoom (settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from ward_boundaries.selectors import provinces_in_force, ward_for_point


def base_map_config() -> dict[str, Any]:
    lat, lon = settings.MAP_CENTER
    return {
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "center": [lat, lon],
        "zoom": settings.MAP_ZOOM,
    }


def ward_layer_config() -> dict[str, Any]:
    """How the public maps draw wards (wards.js): with the boundaries of several provinces in
    force, the country view of the outlines endpoint and the wards of the provinces in view
    only; with one province (a city's deployment) every ward, as the ward list gives them.

    Nationally it also names the province at the initial view's centre, so the page asks for
    its wards beside the country view instead of after it (one round trip less on a phone)."""
    national = len(provinces_in_force()) > 1
    config: dict[str, Any] = {"outlines": reverse("api:ward-outlines"), "national": national}
    if national:
        lat, lon = settings.MAP_CENTER
        match = ward_for_point(lon=lon, lat=lat)
        code = match.ward.province_code if match else ""
        config["initial"] = {
            "center": [lat, lon],
            "zoom": settings.MAP_ZOOM,
            "provinces": [code] if code else [],
        }
    return config
