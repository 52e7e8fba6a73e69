"""Read a points-of-interest file (GeoJSON, CSV with lon/lat, GeoPackage) without the database.

POI files are small and curated by hand, so one bad row refuses the whole file: every problem
is listed with its row, and the curator fixes the file rather than guessing what was skipped.

Rows are numbered as a person sees them: in a CSV the header is row 1 and the first data row
is row 2 (the spreadsheet row); in a GeoJSON or GeoPackage the first feature is feature #1 (a
GeoPackage feature whose fid differs from its position also names its fid, as QGIS shows it).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.strict_types import TypeProblem, parse_decimal
from etl.errors import FileProblems
from etl.limits import ImportTooLarge, check_csv_rows, check_file_size, check_geojson_limits

# Column widths of layers.PointOfInterest, checked here so a long value names its row.
MAX_LENGTHS = {
    "source_id": 100,
    "name": 200,
    "category": 50,
    "tags": 300,
    "source": 100,
    "source_url": 200,
    "licence": 200,
    "name_en": 200,
    "name_zh": 200,
    "description": 2000,
    "description_en": 2000,
    "description_zh": 2000,
}
# The optional names and descriptions in English and Simplified Chinese (and the Vietnamese
# description), read from columns/properties of these names or OSM's own spellings.
TRANSLATED_KEYS: dict[str, tuple[str, ...]] = {
    "name_en": ("name_en", "name:en"),
    "name_zh": ("name_zh", "name:zh", "name:zh-hans", "name:zh_hans"),
    "description": ("description", "description:vi"),
    "description_en": ("description_en", "description:en"),
    "description_zh": ("description_zh", "description:zh", "description:zh-hans"),
}
# CRS names a GeoJSON may declare and still be plain lon/lat WGS84.
LONLAT_CRS_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}


class PoiFileError(FileProblems):
    """A POI file refused as a whole; `problems` has one line per bad row."""

    summary_suffix = "; nothing imported"


@dataclass(frozen=True)
class PoiRecord:
    """One point, ready for layers.PointOfInterest (text in NFC, lon/lat in EPSG:4326)."""

    row: int
    source_id: str
    name: str
    category: str
    tags: str
    source: str
    source_url: str
    licence: str
    lon: float
    lat: float
    # Filled by OpenStreetMap imports (etl.osm); a GeoJSON/CSV row leaves them empty.
    layer: str = ""
    # Any file may carry these (TRANSLATED_KEYS); blank: not translated.
    name_en: str = ""
    name_zh: str = ""
    description: str = ""
    description_en: str = ""
    description_zh: str = ""
    address: str = ""
    opening_hours: str = ""
    phone: str = ""
    website: str = ""
    ocop_stars: int | None = None


def read_poi_file(path: str | Path, *, gpkg_layer: str | None = None) -> list[PoiRecord]:
    """Read and validate every row of a POI file.

    Parameters
    ----------
    path : str or Path
        ``.geojson``/``.json`` (Point features; OSM files give ``osm_type``/``osm_id``),
        ``.csv`` (columns ``name``, ``lon``, ``lat``) or ``.gpkg`` (a Point layer in any CRS,
        reprojected to EPSG:4326). Optional columns/properties: ``category``, ``tags``,
        ``source_id``, ``source``, ``source_url``, ``licence``/``license``, ``name_en``,
        ``name_zh``, ``description``, ``description_en``, ``description_zh`` (or OSM's
        ``name:en``, ``name:zh``...).
    gpkg_layer : str, optional
        The GeoPackage layer to read; needed only when the file has more than one.

    Returns
    -------
    list of PoiRecord
        In file order. A row without a source id gets ``name:<name>``, so re-importing the
        same file matches the same rows.

    Raises
    ------
    PoiFileError
        When the file cannot be read or any row is bad; lists every bad row.
    """
    path = Path(path)
    if not path.is_file():
        raise PoiFileError(path, "no such file")
    suffix = path.suffix.lower()
    if gpkg_layer and suffix != ".gpkg":
        raise PoiFileError(path, "a GeoPackage layer was named but the file is not a .gpkg")
    try:  # before anything is parsed: a GeoJSON bomb is refused at the cost of a byte scan
        if suffix in (".geojson", ".json"):
            check_geojson_limits(path)
        elif suffix == ".csv":
            check_csv_rows(path)
        else:
            check_file_size(path)
    except ImportTooLarge as exc:
        raise PoiFileError(path, str(exc)) from exc
    if suffix in (".geojson", ".json"):
        rows = _geojson_rows(path)
    elif suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix == ".gpkg":
        rows = _gpkg_rows(path, gpkg_layer)
    else:
        raise PoiFileError(
            path,
            f"unsupported file type '{suffix}'; expected .geojson, .csv or .gpkg"
            " (.osm/.osm.pbf files are read by etl.osm / layers.services.osm_import)",
        )
    if not rows:
        raise PoiFileError(path, "the file has no rows")
    return _validate(path, rows)


def _geojson_rows(path: Path) -> list[tuple[int, str, dict]]:
    """(number, label, values) per feature, with lon/lat taken from the Point geometry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PoiFileError(path, f"not a readable UTF-8 GeoJSON: {exc}") from exc
    except RecursionError as exc:  # arrays nested thousands deep: no honest GeoJSON
        raise PoiFileError(path, "not a readable GeoJSON: nested too deeply") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise PoiFileError(path, "not a GeoJSON FeatureCollection")
    crs = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if crs and crs not in LONLAT_CRS_NAMES:
        raise PoiFileError(path, f"declares CRS {crs}; reproject it to EPSG:4326 first")
    rows = []
    for number, feature in enumerate(data.get("features") or [], start=1):
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry") or {}
        label = f"feature #{number}"
        if geometry.get("type") != "Point":
            kind = geometry.get("type") or "no geometry"
            props["_problem"] = f"geometry is {kind}; POIs must be Points"
        else:
            coords = [*(geometry.get("coordinates") or []), None, None]
            props["lon"], props["lat"] = coords[0], coords[1]
        if not props.get("source_id") and props.get("osm_type") and props.get("osm_id"):
            props["source_id"] = f"{props['osm_type']}/{props['osm_id']}"
            props.setdefault("source", "OpenStreetMap")
        if isinstance(props.get("tags"), list):
            props["tags"] = ";".join(str(t) for t in props["tags"])
        rows.append((number, label, props))
    return rows


def _gpkg_rows(path: Path, layer: str | None) -> list[tuple[int, str, dict]]:
    """(number, label, values) per feature of one GeoPackage layer, lon/lat in EPSG:4326.

    A GeoPackage says its CRS, so a layer in UTM 48N (EPSG:32648) or VN-2000 is reprojected
    here rather than refused; a layer without a CRS is refused, since guessing lon/lat would
    put metre coordinates in the sea off Africa without a word.
    """
    import pyogrio  # imported here so CSV/GeoJSON reading needs no GDAL

    try:
        layers = [str(name) for name, _kind in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises several DataSource errors
        raise PoiFileError(path, f"not a readable GeoPackage: {exc}") from exc
    if layer is None:
        if len(layers) != 1:
            raise PoiFileError(
                path,
                f"the GeoPackage has {len(layers)} layers ({', '.join(layers) or 'none'}); "
                "name one with --gpkg-layer",
            )
        layer = layers[0]
    elif layer not in layers:
        raise PoiFileError(
            path, f"no layer '{layer}' in the GeoPackage (its layers: {', '.join(layers)})"
        )
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
    except Exception as exc:
        raise PoiFileError(path, f"layer '{layer}' is not readable: {exc}") from exc
    if frame.crs is None:
        raise PoiFileError(path, f"layer '{layer}' has no CRS; set one (e.g. EPSG:4326)")
    if not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    rows = []
    for number, (fid, geometry, values) in enumerate(
        zip(frame.index, frame.geometry, frame[columns].itertuples(index=False), strict=True),
        start=1,
    ):
        props = {str(k).strip().lower(): _cell(v) for k, v in zip(columns, values, strict=True)}
        label = f"feature #{number}" + ("" if fid == number else f" (fid {fid})")
        if geometry is None or geometry.is_empty:
            props["_problem"] = "no geometry; POIs must be Points"
        elif geometry.geom_type != "Point":
            props["_problem"] = f"geometry is {geometry.geom_type}; POIs must be Points"
        else:
            props["lon"], props["lat"] = geometry.x, geometry.y
        rows.append((number, label, props))
    return rows


def _cell(value):
    """A GeoPackage cell as the CSV reader would see it: null as None, 12.0 as 12."""
    import pandas as pd

    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_rows(path: Path) -> list[tuple[int, str, dict]]:
    """(row, label, values) per data row; the header must have name, lon and lat.

    The row number is the file line the row ends on, so blank lines do not shift it.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PoiFileError(path, f"not UTF-8 text: {exc}") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("name", "lon", "lat") if c not in header]
    if missing:
        raise PoiFileError(
            path,
            f"missing column(s) {', '.join(missing)}; the header has: "
            f"{', '.join(header) or '(nothing)'}",
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {k: v for k, v in row.items() if k is not None}
        rows.append((reader.line_num, f"row {reader.line_num}", values))
    return rows


def _validate(path: Path, rows: list[tuple[int, str, dict]]) -> list[PoiRecord]:
    problems: list[str] = []
    records: list[PoiRecord] = []
    seen: dict[str, str] = {}
    for number, label, values in rows:
        record, bad = _record(number, values)
        problems.extend(f"{label}: {p}" for p in bad)
        if record is None:
            continue
        if record.source_id in seen:
            problems.append(
                f"{label}: source id '{record.source_id}' already used by {seen[record.source_id]}"
                " (give each point its own source_id)"
            )
            continue
        seen[record.source_id] = label
        records.append(record)
    if problems:
        raise PoiFileError(path, problems)
    return records


# The text columns of a record: a JSON object, array or boolean there is refused, never
# stored as its Python repr ("tags" lists are joined by the GeoJSON reader beforehand).
TEXT_KEYS = (
    "name",
    "source_id",
    "category",
    "tags",
    "source",
    "source_url",
    "licence",
    "license",
    *(key for keys in TRANSLATED_KEYS.values() for key in keys),
)


def _record(number: int, values: dict) -> tuple[PoiRecord | None, list[str]]:
    """One row as a record, or the list of what is wrong with it."""
    bad: list[str] = []
    if values.get("_problem"):
        bad.append(values["_problem"])
    bad += [
        f"{key} must be text, not {type(values[key]).__name__}"
        for key in TEXT_KEYS
        if isinstance(values.get(key), (dict, list, bool))
    ]
    name = _text(values.get("name"))
    if not name:
        bad.append("empty name")
    lon, lon_problem = _coordinate(values.get("lon"), "lon", 180)
    lat, lat_problem = _coordinate(values.get("lat"), "lat", 90)
    bad += [p for p in (lon_problem, lat_problem) if p and not values.get("_problem")]
    if lat_problem and not lon_problem and lon is not None and abs(lon) <= 90:
        bad.append("lon and lat look swapped")
    text: dict[str, Any] = {  # str values (Any: mypy cannot match ** to the fields)
        "source_id": _text(values.get("source_id")) or (f"name:{name}" if name else ""),
        "name": name,
        "category": _text(values.get("category")),
        "tags": _text(values.get("tags")),
        "source": _text(values.get("source")),
        "source_url": _text(values.get("source_url")),
        "licence": _text(values.get("licence")) or _text(values.get("license")),
        **{
            field: next((_text(values.get(k)) for k in keys if _text(values.get(k))), "")
            for field, keys in TRANSLATED_KEYS.items()
        },
    }
    for key, limit in MAX_LENGTHS.items():
        if len(text[key]) > limit:
            bad.append(f"{key} is longer than {limit} characters")
    url = text["source_url"]
    if url and not url.startswith(("http://", "https://")):
        bad.append(f"source_url '{url}' is not an http(s) URL")
    if bad or lon is None or lat is None:  # a missing coordinate has its message in bad
        return None, bad
    return PoiRecord(row=number, lon=lon, lat=lat, **text), []


def _coordinate(value, axis: str, limit: float) -> tuple[float | None, str | None]:
    text = _text(value).replace(",", ".") if isinstance(value, str) else value
    if text in (None, ""):
        return None, f"empty {axis}"
    try:
        number = parse_decimal(text)  # common.strict_types: no 1_0, other digits, inf or nan
    except TypeProblem:
        return None, f"{axis} is not a number (ASCII digits 0-9 with a decimal point)"
    if abs(number) > limit:
        return number, f"{axis} {number} is outside -{limit}..{limit}"
    return number, None


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())
