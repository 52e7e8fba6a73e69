"""The base map every page's script starts from: tile source, centre and zoom (settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def base_map_config() -> dict[str, Any]:
    lat, lon = settings.MAP_CENTER
    return {
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "center": [lat, lon],
        "zoom": settings.MAP_ZOOM,
    }
