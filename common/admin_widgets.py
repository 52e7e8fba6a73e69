"""The admin's map widget: OpenLayers served by the app (Django's default uses a CDN), and its
options handed over as JSON data instead of an inline script, so the admin runs under the same
Content-Security-Policy as the rest of the site."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    template_name = "common/local_osm_widget.html"
    default_lat = 21.5246  # type: ignore[assignment]  # stubs: int
    default_lon = 107.9660  # type: ignore[assignment]  # stubs: int
    default_zoom = 12

    class Media:
        extend = False  # replace, not add to, the parent's CDN URLs
        css: ClassVar[dict[str, tuple[str, ...]]] = {
            "all": ("web_map/vendor/ol/ol.css", "gis/css/ol3.css")
        }
        js = (
            "web_map/vendor/ol/ol.js",
            "gis/js/OLMapWidget.js",
            "common/local_osm_widget.js",
        )

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget_options"] = {
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": context["map_srid"],
            "name": context["name"],
            "default_lon": self.default_lon,
            "default_lat": self.default_lat,
            "default_zoom": self.default_zoom,
            "module": context["module"],
        }
        context["widget_options_id"] = f"{context['id']}_ht_widget_options"
        return context
