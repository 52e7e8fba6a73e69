"""export_map --out map.html [--ward CODE] [--since D --until D] [--layers ...]: an offline map."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import folium
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from etl.folium_map import (
    STATUS_COLORS,
    add_legend,
    add_points,
    new_map,
    render_offline,
)
from gis_core.models import ReportStatus
from gis_core.selectors import reports_public
from layers.models import PointOfInterest, WifiSite
from ward_boundaries.selectors import wards_for_map

LAYERS = ("wards", "reports", "tourism", "wifi")
MAX_REPORTS = 5000


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Write a standalone HTML map (folium) of the city or one ward, for a period, with the "
        "chosen layers and a legend. It opens offline (Leaflet is inlined) and stays small."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--ward", help="ward code (today's boundaries): only that ward")
        parser.add_argument("--since")
        parser.add_argument("--until")
        parser.add_argument("--layers", default=",".join(LAYERS), help=",".join(LAYERS))
        parser.add_argument("--tiles", action="store_true", help="add the basemap (online)")

    def handle(self, *args, out, ward, since, until, layers, tiles, **options):
        chosen = [name.strip() for name in layers.split(",") if name.strip()]
        unknown = sorted(set(chosen) - set(LAYERS))
        if unknown:
            raise CommandError(
                f"Unknown layer(s) {', '.join(unknown)}; known: {', '.join(LAYERS)}."
            )
        wards = list(wards_for_map())
        if ward:
            wards = [w for w in wards if w.code == ward]
            if not wards:
                raise CommandError(f"No ward {ward!r} in today's boundaries.")
        center = settings.MAP_CENTER
        zoom = settings.MAP_ZOOM
        if ward:
            point = wards[0].geom.point_on_surface
            center, zoom = (point.y, point.x), 14
        fmap = new_map(center=center, zoom=zoom, tiles=tiles)
        area = None
        if ward:
            area = wards[0].geom
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
            qs = reports_public(since=_day(since, "--since"), until=_day(until, "--until"))
            if area is not None:
                qs = qs.filter(location__within=area)
            rows = list(
                qs.values_list("location", "category__name_vi", "status", "reported_at")[
                    :MAX_REPORTS
                ]
            )
            count = len(rows)
            labels = dict(ReportStatus.choices)
            add_points(
                fmap,
                [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [round(p.x, 5), round(p.y, 5)]},  # noqa: E501
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
            qs = model.objects.all()
            if model is PointOfInterest:
                qs = qs.filter(layer="tourism")
            if area is not None:
                qs = qs.filter(location__within=area)
            add_points(
                fmap,
                [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [o.location.x, o.location.y]},
                        "properties": {"name": o.name},
                    }
                    for o in qs
                ],
                name="Điểm tham quan" if key == "tourism" else "Wi-Fi miễn phí",
                color_of=lambda props, color=color: color,
            )
        folium.LayerControl(collapsed=False).add_to(fmap)
        html = render_offline(fmap)
        out.write_text(html, encoding="utf-8")
        self.stdout.write(
            f"{out}: {len(html.encode()) / 1024:,.0f} KB, {count} reports"
            + (f" (the {MAX_REPORTS} most recent)" if count == MAX_REPORTS else "")
            + f", layers: {', '.join(chosen)}."
        )
