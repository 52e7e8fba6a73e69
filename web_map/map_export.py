"""The city's standalone map: public data read from the apps, drawn by etl.folium_map.

Shared by the ``export_map`` command and the planner's "export map" button, so both write
the same file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import folium
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from common.localized import localized
from etl.folium_map import (
    STATUS_COLORS,
    add_legend,
    add_points,
    html_safe,
    new_map,
    render_offline,
)
from gis_core.models import Category, ReportStatus
from gis_core.selectors import reports_public
from layers.models import PointOfInterest, WifiSite
from ward_boundaries.names import ward_title_of
from ward_boundaries.selectors import wards_for_map

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
    province: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    layers: Iterable[str] = EXPORT_LAYERS,
    tiles: bool = False,
) -> MapExport:
    """The standalone map of the city, one province or one ward (today's boundaries), for a
    period. With both, the ward must lie in the province (as the planner's filters combine).

    Shared by the ``export_map`` command and the planner's "export map" button, so both
    write the same file. Only public data goes in: ward outlines, report points with their
    category, status and date (never contact or description), POIs and Wi-Fi sites.

    Raises
    ------
    MapExportError
        For an unknown layer (``param="layers"``) or ward (``param="ward"``), or a ward
        outside the province (``param="ward"``).
    """
    chosen = list(dict.fromkeys(name.strip() for name in layers if name.strip()))
    unknown = sorted(set(chosen) - set(EXPORT_LAYERS))
    if unknown:
        raise MapExportError(
            "layers",
            _("Có lớp bản đồ không hợp lệ. Các lớp: %(known)s.")
            % {"known": ", ".join(EXPORT_LAYERS)},
        )
    wards = list(wards_for_map(province_code=province))
    if ward:
        wards = [w for w in wards if w.code == ward]
        if not wards:
            raise MapExportError("ward", _ward_missing(ward, province))
    center = settings.MAP_CENTER
    zoom = settings.MAP_ZOOM
    area = None
    if ward:
        area = wards[0].geom
        point = area.point_on_surface
        center, zoom = (point.y, point.x), 14
    elif province and wards:
        parts = [polygon for w in wards for polygon in w.geom]
        area = MultiPolygon(parts, srid=wards[0].geom.srid).unary_union
        point = area.point_on_surface
        center = (point.y, point.x)
    fmap = new_map(center=center, zoom=zoom, tiles=tiles, tiles_name=_("Bản đồ nền"))
    if province and not ward and area is not None:
        minx, miny, maxx, maxy = area.extent
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    if "wards" in chosen:
        folium.GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": json.loads(w.geom.json),
                        "properties": html_safe({"name": ward_title_of(w), "code": w.code}),
                    }
                    for w in wards
                ],
            },
            name=_("Phường, xã"),
            style_function=lambda f: {"color": "#555", "weight": 1.5, "fillOpacity": 0.05},
            tooltip=folium.GeoJsonTooltip(fields=["name", "code"], aliases=[_("Tên"), _("Mã")]),
        ).add_to(fmap)
    count = 0
    if "reports" in chosen:
        # A province's reports by their wards, as every ?province= filter counts them.
        qs = reports_public(since=since, until=until, province_code=province)
        if ward:
            qs = qs.filter(location__within=area)
        rows = list(
            qs.values_list("location", "category_id", "status", "reported_at")[:MAX_REPORTS]
        )
        category_names = {c.pk: localized(c, "name") for c in Category.objects.all()}
        count = len(rows)
        labels = {code: str(label) for code, label in ReportStatus.choices}
        add_points(
            fmap,
            [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(p.x, 5), round(p.y, 5)]},
                    "properties": {
                        "category": category_names.get(category, ""), "status": labels[status],
                        "date": when.date().isoformat(), "_status": status,
                    },
                }
                for p, category, status, when in rows
            ],
            name=_("Phản ánh"),
            color_of=lambda props: STATUS_COLORS[props["_status"]],
            labels={"category": _("Lĩnh vực"), "status": _("Trạng thái"), "date": _("Ngày")},
        )  # fmt: skip
        add_legend(fmap, _("Phản ánh"), {labels[s]: c for s, c in STATUS_COLORS.items()})
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
                    "properties": {"name": localized(o, "name")},
                }
                for o in places
            ],
            name=_("Điểm tham quan") if key == "tourism" else _("Wi-Fi miễn phí"),
            color_of=lambda props, color=color: color,
            labels={"name": _("Tên")},
        )
    folium.LayerControl(collapsed=False).add_to(fmap)
    return MapExport(html=render_offline(fmap), report_count=count, layers=chosen)


def _ward_missing(ward: str, province: str | None) -> str:
    if province and wards_for_map().filter(code=ward).exists():
        return _("Phường/xã %(ward)s không thuộc tỉnh, thành phố %(province)s.") % {
            "ward": ward,
            "province": province,
        }
    return _("Không có phường/xã này trong ranh giới hiện hành.")
