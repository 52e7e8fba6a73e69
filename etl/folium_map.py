"""A standalone HTML map (folium) that opens offline and is small enough to e-mail.

folium links Leaflet, jQuery and Bootstrap from CDNs; this map needs Leaflet only, so the
CDN list is replaced by Leaflet itself, inlined from the copy the app serves (from npm).
Reports, points of interest and Wi-Fi sites go in as one GeoJSON layer each (a compact
blob), not one JavaScript object per marker.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import folium
from branca.element import Element, Figure
from django.conf import settings
from django.db.models import QuerySet

STATUS_COLORS = {
    "received": "#1f78b4",
    "verified": "#6a3d9a",
    "rejected": "#7f7f7f",
    "assigned": "#ff7f00",
    "in_progress": "#d4a017",
    "resolved": "#33a02c",
}
_JS_MARK = "HT-INLINE-LEAFLET-JS"
_CSS_MARK = "HT-INLINE-LEAFLET-CSS"


def _vendor() -> Path:
    return Path(settings.BASE_DIR) / "web_map" / "static" / "web_map" / "vendor" / "leaflet"


def new_map(*, center: tuple[float, float], zoom: int, tiles: bool) -> folium.Map:
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    fmap.default_js = [("leaflet", _JS_MARK)]
    fmap.default_css = [("leaflet_css", _CSS_MARK)]
    if tiles:
        folium.TileLayer(
            settings.MAP_TILE_URL, attr=settings.MAP_TILE_ATTRIBUTION, name="Bản đồ nền"
        ).add_to(fmap)
    return fmap


def add_points(fmap: folium.Map, features: list[dict], *, name: str, color_of) -> None:
    """One GeoJSON layer of circle markers; `color_of(properties)` picks each colour."""
    for feature in features:
        feature["properties"]["_color"] = color_of(feature["properties"])
    fields = [k for k in (features[0]["properties"] if features else {}) if not k.startswith("_")]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(radius=5, weight=1, fill_opacity=0.85),
        style_function=lambda f: {
            "color": f["properties"]["_color"],
            "fillColor": f["properties"]["_color"],
        },
        tooltip=folium.GeoJsonTooltip(fields=fields[:3]) if fields else None,
    ).add_to(fmap)


def add_legend(fmap: folium.Map, title: str, items: dict[str, str]) -> None:
    rows = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
        f'background:{color};margin-right:6px"></span>{label}</div>'
        for label, color in items.items()
    )
    html = (
        '<div id="ht-legend" style="position:fixed;bottom:20px;left:20px;z-index:1000;'
        "background:#fff;padding:8px 10px;border-radius:6px;font:13px sans-serif;"
        f'box-shadow:0 1px 5px rgba(0,0,0,.4)"><strong>{title}</strong>{rows}</div>'
    )
    cast(Figure, fmap.get_root()).html.add_child(Element(html))  # a Map's root is its Figure


def render_offline(fmap: folium.Map) -> str:
    """The page with Leaflet inlined: no request leaves the file."""
    html = fmap.get_root().render()
    js = (_vendor() / "leaflet.js").read_text(encoding="utf-8")
    css = (_vendor() / "leaflet.css").read_text(encoding="utf-8")
    # The minified file ends with a source-map comment; a browser would try to fetch it.
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    html = html.replace(f'<script src="{_JS_MARK}"></script>', f"<script>{js}</script>")
    html = html.replace(f'<link rel="stylesheet" href="{_CSS_MARK}"/>', f"<style>{css}</style>")
    if _JS_MARK in html or _CSS_MARK in html:
        raise RuntimeError("folium's page layout changed: Leaflet could not be inlined.")
    return html


# What export_city_map can draw, and how many reports at most (the most recent): beyond a few
# thousand points the file stops being small enough to e-mail.
EXPORT_LAYERS = ("wards", "reports", "tourism", "wifi")
MAX_REPORTS = 5000


class MapExportError(ValueError):
    """A bad export request; `param` names the offending parameter (a CLI option or a query
    parameter: the command and the planner's export endpoint both report it)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class MapExport:
    html: str
    report_count: int
    layers: list[str]


def export_city_map(
    *,
    ward: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    layers: Iterable[str] = EXPORT_LAYERS,
    tiles: bool = False,
) -> MapExport:
    """The standalone map of the city or one ward (today's boundaries), for a period.

    Shared by the ``export_map`` command and the planner's "export map" button, so both
    write the same file. Only public data goes in: ward outlines, report points with their
    category, status and date (never contact or description), POIs and Wi-Fi sites.

    Raises
    ------
    MapExportError
        For an unknown layer (``param="layers"``) or ward (``param="ward"``).
    """
    # Imported here: folium_map's helpers stay usable without the models (and in tests).
    from gis_core.models import ReportStatus
    from gis_core.selectors import reports_public
    from layers.models import PointOfInterest, WifiSite
    from ward_boundaries.selectors import wards_for_map

    chosen = list(dict.fromkeys(name.strip() for name in layers if name.strip()))
    unknown = sorted(set(chosen) - set(EXPORT_LAYERS))
    if unknown:
        raise MapExportError(
            "layers",
            f"Unknown layer(s) {', '.join(unknown)}; known: {', '.join(EXPORT_LAYERS)}.",
        )
    wards = list(wards_for_map())
    if ward:
        wards = [w for w in wards if w.code == ward]
        if not wards:
            raise MapExportError("ward", f"No ward {ward!r} in today's boundaries.")
    center = settings.MAP_CENTER
    zoom = settings.MAP_ZOOM
    area = None
    if ward:
        area = wards[0].geom
        point = area.point_on_surface
        center, zoom = (point.y, point.x), 14
    fmap = new_map(center=center, zoom=zoom, tiles=tiles)
    if "wards" in chosen:
        folium.GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": json.loads(w.geom.json),
                        "properties": {"name": w.full_name or w.name, "code": w.code},
                    }
                    for w in wards
                ],
            },
            name="Phường, xã",
            style_function=lambda f: {"color": "#555", "weight": 1.5, "fillOpacity": 0.05},
            tooltip=folium.GeoJsonTooltip(fields=["name", "code"]),
        ).add_to(fmap)
    count = 0
    if "reports" in chosen:
        qs = reports_public(since=since, until=until)
        if area is not None:
            qs = qs.filter(location__within=area)
        rows = list(
            qs.values_list("location", "category__name_vi", "status", "reported_at")[:MAX_REPORTS]
        )
        count = len(rows)
        labels = {code: str(label) for code, label in ReportStatus.choices}
        add_points(
            fmap,
            [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(p.x, 5), round(p.y, 5)]},
                    "properties": {
                        "category": category, "status": labels[status],
                        "date": when.date().isoformat(), "_status": status,
                    },
                }
                for p, category, status, when in rows
            ],
            name="Phản ánh",
            color_of=lambda props: STATUS_COLORS[props["_status"]],
        )  # fmt: skip
        add_legend(fmap, "Phản ánh", {labels[s]: c for s, c in STATUS_COLORS.items()})
    for key, model, color in (
        ("tourism", PointOfInterest, "#2b8cbe"),
        ("wifi", WifiSite, "#31a354"),
    ):
        if key not in chosen:
            continue
        places: QuerySet[Any] = model.objects.all()
        if model is PointOfInterest:
            places = places.filter(layer="tourism")
        if area is not None:
            places = places.filter(location__within=area)
        add_points(
            fmap,
            [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [o.location.x, o.location.y]},
                    "properties": {"name": o.name},
                }
                for o in places
            ],
            name="Điểm tham quan" if key == "tourism" else "Wi-Fi miễn phí",
            color_of=lambda props, color=color: color,
        )
    folium.LayerControl(collapsed=False).add_to(fmap)
    return MapExport(html=render_offline(fmap), report_count=count, layers=chosen)
