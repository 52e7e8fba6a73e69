"""Drawing a standalone HTML map (folium) that opens offline and is small enough to e-mail.

folium links Leaflet, jQuery and Bootstrap from CDNs; this map needs Leaflet only, so the
CDN list is replaced by Leaflet itself, inlined from the copy the app serves (from npm).
Reports, points of interest and Wi-Fi sites go in as one GeoJSON layer each (a compact
blob), not one JavaScript object per marker.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, cast

import folium
from branca.element import Element, Figure
from django.conf import settings
from django.utils import translation

STATUS_COLORS = {
    "received": "#1f78b4",
    "verified": "#6a3d9a",
    "rejected": "#7f7f7f",
    "assigned": "#ff7f00",
    "in_progress": "#d4a017",
    "resolved": "#33a02c",
}
# The file is opened anywhere, offline: Latin faces first, then faces that cover Chinese
# (Noto Sans CJK SC from Debian's fonts-noto-cjk, Noto Sans SC, Apple's and Windows' own),
# so the zh-hans legend and tooltips never fall back to boxes.
FONT_STACK = (
    '"Helvetica Neue", Arial, Helvetica, "Noto Sans CJK SC", "Noto Sans SC", '
    '"PingFang SC", "Microsoft YaHei", sans-serif'
)
_JS_MARK = "HT-INLINE-LEAFLET-JS"
_CSS_MARK = "HT-INLINE-LEAFLET-CSS"


def _vendor() -> Path:
    return Path(settings.BASE_DIR) / "web_map" / "static" / "web_map" / "vendor" / "leaflet"


def new_map(
    *, center: tuple[float, float], zoom: int, tiles: bool, tiles_name: str = "Bản đồ nền"
) -> folium.Map:
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    fmap.default_js = [("leaflet", _JS_MARK)]
    fmap.default_css = [("leaflet_css", _CSS_MARK)]
    if tiles:
        folium.TileLayer(
            settings.MAP_TILE_URL, attr=settings.MAP_TILE_ATTRIBUTION, name=tiles_name
        ).add_to(fmap)
    return fmap


def html_safe(properties: dict[str, Any]) -> dict[str, Any]:
    """Properties with their text HTML-escaped: folium's tooltips set innerHTML, so a POI or
    ward name like `<img onerror=…>` would run in whoever opens the file."""
    return {k: escape(v) if isinstance(v, str) else v for k, v in properties.items()}


def add_points(
    fmap: folium.Map,
    features: list[dict],
    *,
    name: str,
    color_of,
    labels: dict[str, str] | None = None,
) -> None:
    """One GeoJSON layer of circle markers; `color_of(properties)` picks each colour and
    `labels` names the tooltip's fields in the reader's language (else the field's key)."""
    for feature in features:
        feature["properties"] = html_safe(feature["properties"])
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
        tooltip=folium.GeoJsonTooltip(
            fields=fields[:3], aliases=[(labels or {}).get(f, f) for f in fields[:3]]
        )
        if fields
        else None,
    ).add_to(fmap)


def add_legend(fmap: folium.Map, title: str, items: dict[str, str]) -> None:
    rows = "".join(
        f'<div><span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
        f'background:{escape(color)};margin-right:6px"></span>{escape(label)}</div>'
        for label, color in items.items()
    )
    html = (
        '<div id="ht-legend" style="position:fixed;bottom:20px;left:20px;z-index:1000;'
        "background:#fff;padding:8px 10px;border-radius:6px;font-size:13px;"
        f'box-shadow:0 1px 5px rgba(0,0,0,.4)"><strong>{escape(title)}</strong>{rows}</div>'
    )
    cast(Figure, fmap.get_root()).html.add_child(Element(html))  # a Map's root is its Figure


def html_lang(language: str | None = None) -> str:
    """The BCP 47 tag of a Django language code ("zh-hans" → "zh-Hans"): the active one by
    default, so the file says which language its labels are in (fonts and screen readers
    choose by it)."""
    parts = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")
    subtags = [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]  # script, region
    return "-".join([parts[0].lower(), *subtags])


def render_offline(fmap: folium.Map, language: str | None = None) -> str:
    """The page with Leaflet inlined (no request leaves the file), `<html lang>` set to
    `language` (default: the active one) and a font stack that covers Chinese."""
    html = fmap.get_root().render()
    if not html.startswith("<!DOCTYPE html>\n<html>"):
        raise RuntimeError("folium's page layout changed: <html lang> could not be set.")
    html = html.replace("<html>", f'<html lang="{html_lang(language)}">', 1)
    fonts = f"html, body, .leaflet-container, #ht-legend {{ font-family: {FONT_STACK}; }}"
    html = html.replace("</head>", f"<style>{fonts}</style>\n</head>", 1)
    js = (_vendor() / "leaflet.js").read_text(encoding="utf-8")
    css = (_vendor() / "leaflet.css").read_text(encoding="utf-8")
    # The minified file ends with a source-map comment; a browser would try to fetch it.
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    html = html.replace(f'<script src="{_JS_MARK}"></script>', f"<script>{js}</script>")
    html = html.replace(f'<link rel="stylesheet" href="{_CSS_MARK}"/>', f"<style>{css}</style>")
    if _JS_MARK in html or _CSS_MARK in html:
        raise RuntimeError("folium's page layout changed: Leaflet could not be inlined.")
    return html
