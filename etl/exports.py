"""Exports of reports and map layers as GeoJSON, CSV or GeoPackage, without personal data.

The column lists below are the whole public schema of an export: contact details, reporter
accounts and internal notes are never selected, so they cannot leak into a file.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from django.http import HttpResponse

from common.csv_safe import frame_to_csv

FORMATS = ("geojson", "csv", "gpkg")
CONTENT_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
}

REPORT_COLUMNS = {
    # output column: ORM path
    "id": "public_id",
    "category": "category__code",
    "category_name": "category__name_vi",
    "description": "description",
    "status": "status",
    "ward_code": "ward__code",
    "ward_name": "ward__name",
    "boundary_version": "ward__version__name",
    "ward_match": "ward_match",
    "reported_at": "reported_at",
    "resolved_at": "resolved_at",
    "agency": "agency__name",
    "due_at": "due_at",
    "answer": "answer",
}
POI_COLUMNS = {
    "id": "id",
    "layer": "layer",
    "name": "name",
    "name_en": "name_en",
    "category": "category",
    "address": "address",
    "opening_hours": "opening_hours",
    "phone": "phone",
    "website": "website",
    "price_range": "price_range",
    "ocop_stars": "ocop_stars",
    "ward_code": "ward__code",
    "source": "source",
    "licence": "licence",
}
WIFI_COLUMNS = {
    "id": "id",
    "name": "name",
    "ssid": "ssid",
    "provider": "provider",
    "hours": "hours",
    "coverage_radius_m": "coverage_radius_m",
    "ward_code": "ward__code",
    "is_demo": "is_demo",
}


def frame_from_queryset(qs, columns: dict[str, str]) -> gpd.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) of `columns` plus the point, one query.

    Parameters
    ----------
    qs : QuerySet
        Rows with a `location` point field.
    columns : dict
        Output column name -> ORM lookup path; nothing else is read.
    """
    rows = list(qs.values_list(*columns.values(), "location"))
    data = pd.DataFrame([r[:-1] for r in rows], columns=list(columns))
    points = [shapely.Point(r[-1].x, r[-1].y) for r in rows]
    for name in data.columns:
        if name.endswith("_at"):
            times = pd.to_datetime(data[name], utc=True)
            data[name] = times.dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("")
        elif data[name].dtype == object:
            data[name] = data[name].map(lambda v: "" if v is None else str(v))
    return gpd.GeoDataFrame(data, geometry=points, crs="EPSG:4326")


def write(frame: gpd.GeoDataFrame, fmt: str, *, layer: str = "export") -> bytes:
    """The frame as a file in `fmt` (geojson, csv with lon/lat columns, gpkg)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if fmt == "csv":
        table = pd.DataFrame(frame.drop(columns="geometry"))
        table["lon"] = frame.geometry.x.round(7)
        table["lat"] = frame.geometry.y.round(7)
        return frame_to_csv(table)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{layer}.{fmt}"
        driver = "GeoJSON" if fmt == "geojson" else "GPKG"
        if len(frame) == 0 and fmt == "geojson":
            return b'{"type": "FeatureCollection", "features": []}'
        frame.to_file(path, driver=driver, layer=layer if fmt == "gpkg" else None, engine="pyogrio")
        return path.read_bytes()


def read_back(data: bytes, fmt: str) -> pd.DataFrame:
    """Reads an export again (for tests and checks)."""
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x.{fmt}"
        path.write_bytes(data)
        return gpd.read_file(path, engine="pyogrio")


def download_response(frame: gpd.GeoDataFrame, fmt: str, name: str) -> HttpResponse:
    """The frame written in `fmt`, as an attachment named `name.fmt`."""
    response = HttpResponse(write(frame, fmt, layer=name), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
