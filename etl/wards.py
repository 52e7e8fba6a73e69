"""Read, validate and repair a ward boundary file, without touching the database.

Everything that can be decided from the file alone is decided here, before any write, so a
bad file is refused with a message that names the feature, and the service that stores the
result only deals with what the database alone knows (other versions, reports).

Features are numbered from 1 in file order ("feature #3" is the third feature), which is what
a person counting rows in QGIS's attribute table sees.
"""

from __future__ import annotations

import math
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Geod
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

from etl.errors import FileProblems
from etl.limits import (
    ImportLimits,
    ImportTooLarge,
    check_file_size,
    check_geojson_limits,
)

WGS84_EPSG = 4326
# Above this area (m²) an overlap between two wards, or a hole between them, is worth a
# warning; below it is rounding residue of a clean partition (the 2024 clean file has 19 m²).
MIN_TOPOLOGY_AREA_M2 = 1000.0
SUPPORTED_SUFFIXES = (".geojson", ".json", ".shp", ".zip", ".gpkg")

# (prefix, unit_type) — "Thị trấn" before anything shorter; matched on NFC, case-insensitively.
UNIT_PREFIXES = (("thị trấn", "thi_tran"), ("phường", "phuong"), ("xã", "xa"))
UNIT_LABELS = {"phuong": "Phường", "xa": "Xã", "thi_tran": "Thị trấn"}
# Spellings accepted in a `unit_type` field, compared after folding diacritics and case.
UNIT_ALIASES = {
    "phuong": "phuong",
    "ward": "phuong",
    "xa": "xa",
    "commune": "xa",
    "thi_tran": "thi_tran",
    "thi tran": "thi_tran",
    "thitran": "thi_tran",
    "township": "thi_tran",
}
# Model attribute -> field names looked for in the file (case-insensitive; the 10-character
# forms are what a Shapefile's DBF keeps of the longer names).
OPTIONAL_FIELDS = {
    "full_name": ("full_name",),
    "name_ascii": ("name_ascii",),
    "district_name": ("district_name", "district", "district_n"),
    "district_code": ("district_code", "district_c"),
    "province_name": ("province_name", "province", "province_n"),
    "province_code": ("province_code", "province_c"),
    "population": ("population", "populatio"),
    "unit_type": ("unit_type",),
}
# Column widths of ward_boundaries.Ward, checked here so a long value is refused with its
# feature instead of failing half-way through the database writes.
MAX_LENGTHS = {
    "code": 10,
    "name": 120,
    "full_name": 160,
    "name_ascii": 120,
    "district_name": 120,
    "district_code": 10,
    "province_name": 120,
    "province_code": 10,
}

_GEOD = Geod(ellps="WGS84")


class BoundaryFileError(FileProblems):
    """A boundary file that cannot be imported; the message says what is wrong and where.

    Attributes
    ----------
    path : str
        The file as given.
    problems : list of str
        One line per problem, each naming its feature (number and code) when there is one.
    """

    summary_suffix = ""


@dataclass(frozen=True)
class WardRecord:
    """One ward as it will be stored: names in NFC, geometry a valid 2D MultiPolygon in 4326."""

    feature: int
    code: str
    name: str
    full_name: str
    name_ascii: str
    unit_type: str
    district_name: str
    district_code: str
    province_name: str
    province_code: str
    population: int | None
    geometry: MultiPolygon


@dataclass(frozen=True)
class RepairNote:
    """A fix applied to the file on the way in; reported so nobody is surprised by it."""

    feature: int | None
    code: str
    problem: str
    action: str

    def __str__(self) -> str:
        where = f"ward {self.code} (feature #{self.feature})" if self.feature else "file"
        return f"{where}: {self.problem}; {self.action}"


@dataclass(frozen=True)
class FileOverlap:
    """Two wards of the same file whose polygons share more than a sliver."""

    code: str
    name: str
    other_code: str
    other_name: str
    area_m2: float

    def __str__(self) -> str:
        return (
            f"ward {self.code} {self.name} overlaps ward {self.other_code} {self.other_name} "
            f"by {self.area_m2:,.0f} m² within this file"
        )


@dataclass(frozen=True)
class GapSummary:
    """Holes in the union of a file's wards: points there belong to no ward of the file."""

    count: int
    total_m2: float
    largest_m2: float
    largest_at: tuple[float, float] | None
    smaller_count: int

    def __str__(self) -> str:
        where = ""
        if self.largest_at is not None:
            where = f" near lon {self.largest_at[0]:.5f}, lat {self.largest_at[1]:.5f}"
        smaller = f" (and {self.smaller_count} smaller)" if self.smaller_count else ""
        return (
            f"{self.count} gaps between wards (holes in their union) of more than "
            f"{MIN_TOPOLOGY_AREA_M2:,.0f} m², {self.total_m2 / 1e6:,.2f} km² in all{smaller}; "
            f"the largest is {self.largest_m2:,.0f} m²{where}. Points there get the nearest "
            "ward within the tolerance, or none"
        )


# --- reading ---------------------------------------------------------------------------------


def read_ward_file(
    path: str | Path,
    *,
    layer: str | None = None,
    code_field: str = "ward_code",
    name_field: str = "name",
) -> tuple[list[WardRecord], list[RepairNote]]:
    """Read a boundary file into validated ward records in EPSG:4326.

    Parameters
    ----------
    path : str or Path
        A GeoJSON, a Shapefile (its ``.shp``, the folder holding it, or a ``.zip`` of it)
        or a GeoPackage.
    layer : str, optional
        Layer to read; required when the source holds more than one.
    code_field, name_field : str
        Fields holding the GSO code and the ward name (matched case-insensitively).

    Returns
    -------
    records : list of WardRecord
        In file order.
    repairs : list of RepairNote
        Every geometry repaired and every assumption made (e.g. a missing CRS).

    Raises
    ------
    BoundaryFileError
        When the file cannot be read or any feature is unusable; all problems found are
        listed, each with its feature number and code.
    """
    path = Path(path)
    _check_limits(path, layer)
    frame = _read_frame(path, layer)
    if len(frame) == 0:
        raise BoundaryFileError(path, "the file (layer) contains no features")
    repairs: list[RepairNote] = []
    frame = _to_wgs84(path, frame, repairs)
    columns = _resolve_columns(path, frame, code_field, name_field)
    return _build_records(path, frame, columns, repairs), repairs


def _check_limits(path: Path, layer: str | None) -> None:
    """Refuses a file too large to load (a GeoJSON bomb) before any of it is parsed: size,
    features and vertices for GeoJSON (streamed); size (a .zip's decompressed, a folder's
    files) and the layer's feature count from its metadata for Shapefiles and GeoPackages."""
    if not path.exists():
        return  # a missing file: _read_frame says so
    limits = ImportLimits.from_settings()
    try:
        if path.is_file() and path.suffix.lower() in (".geojson", ".json"):
            check_geojson_limits(path, limits)
            return
        check_file_size(path, limits)
    except ImportTooLarge as exc:
        raise BoundaryFileError(path, str(exc)) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "several layers": _read_frame says
            count = pyogrio.read_info(path, layer=layer).get("features", 0)
    except Exception:  # noqa: BLE001 - unreadable files get _read_frame's own message
        return
    if count > limits.max_features:
        raise BoundaryFileError(
            path,
            f"{count:,} features, more than the limit of {limits.max_features:,} "
            "(setting IMPORT_MAX_FEATURES); split the file",
        )


def _read_frame(path: Path, layer: str | None) -> pd.DataFrame:
    """The file as a GeoDataFrame, or a BoundaryFileError saying why it cannot be read."""
    if not path.exists():
        raise BoundaryFileError(path, "no such file or folder")
    if path.is_file() and path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise BoundaryFileError(
            path,
            f"unsupported file type '{path.suffix or '(none)'}'; expected GeoJSON (.geojson, "
            ".json), Shapefile (.shp, its folder or a .zip) or GeoPackage (.gpkg)",
        )
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL raises several RuntimeError subclasses; all mean the same
        raise BoundaryFileError(path, f"cannot read the file: {exc}") from exc
    if not layers:
        raise BoundaryFileError(path, "no vector layer found (is it a Shapefile folder?)")
    if layer is None and len(layers) > 1:
        raise BoundaryFileError(
            path, f"the file has {len(layers)} layers ({', '.join(layers)}); choose one with layer"
        )
    if layer is not None and layer not in layers:
        raise BoundaryFileError(path, f"no layer '{layer}'; the file has: {', '.join(layers)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # e.g. "several layers": handled above
            return pyogrio.read_dataframe(path, layer=layer or layers[0])
    except Exception as exc:
        raise BoundaryFileError(path, f"cannot read the file: {exc}") from exc


def _to_wgs84(path: Path, frame, repairs: list[RepairNote]):
    """Reproject to EPSG:4326; a file without a CRS passes only if it already looks like it."""
    geoms = frame.geometry
    bounds = _bounds(geoms)
    if frame.crs is None:
        if bounds is not None and not _lonlat_bounds(bounds):
            raise BoundaryFileError(
                path,
                f"the file declares no CRS and its coordinates ({_fmt_bounds(bounds)}) are not "
                "longitude/latitude; add the .prj (for VN-2000 e.g. EPSG:9210 or EPSG:3405) "
                "or save it with its CRS",
            )
        repairs.append(
            RepairNote(
                None,
                "",
                "no CRS declared",
                "assumed EPSG:4326 since every coordinate is a valid longitude/latitude",
            )
        )
        return frame.set_crs(WGS84_EPSG)
    source = CRS.from_user_input(frame.crs)
    if source.equals(CRS.from_epsg(WGS84_EPSG), ignore_axis_order=True):
        out = frame
    else:
        try:
            out = frame.to_crs(WGS84_EPSG)
        except Exception as exc:
            raise BoundaryFileError(
                path, f"cannot reproject from {source.name} to EPSG:4326: {exc}"
            ) from exc
    out_bounds = _bounds(out.geometry)
    if out_bounds is not None and not _lonlat_bounds(out_bounds):
        raise BoundaryFileError(
            path,
            f"coordinates ({_fmt_bounds(out_bounds)}) are not longitude/latitude after "
            f"reading them as {source.name}: is the declared CRS wrong?",
        )
    return out


def _bounds(geoms) -> tuple[float, float, float, float] | None:
    present = geoms[~(geoms.isna() | geoms.is_empty)]
    if len(present) == 0:
        return None
    minx, miny, maxx, maxy = (float(v) for v in present.total_bounds)
    return minx, miny, maxx, maxy


def _lonlat_bounds(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return (
        all(math.isfinite(v) for v in bounds)
        and -180 <= minx <= maxx <= 180
        and -90 <= miny <= maxy <= 90
    )


def _fmt_bounds(bounds: tuple[float, float, float, float]) -> str:
    return f"x {bounds[0]:.6g}..{bounds[2]:.6g}, y {bounds[1]:.6g}..{bounds[3]:.6g}"


def _resolve_columns(path: Path, frame, code_field: str, name_field: str) -> dict[str, str]:
    """Map attribute -> column in the file; refuses when the code or name field is missing."""
    fields = [str(c) for c in frame.columns if c != frame.geometry.name]
    by_lower = {f.lower(): f for f in fields}

    def find(name: str) -> str | None:
        return name if name in fields else by_lower.get(name.lower())

    columns: dict[str, str] = {}
    missing = []
    for attr, wanted in (("code", code_field), ("name", name_field)):
        found = find(wanted)
        if found is None:
            missing.append(f"no {attr} field '{wanted}'")
        else:
            columns[attr] = found
    if missing:
        have = ", ".join(fields) if fields else "(none)"
        raise BoundaryFileError(path, f"{' and '.join(missing)}; the file has fields: {have}")
    for attr, candidates in OPTIONAL_FIELDS.items():
        for candidate in candidates:
            found = find(candidate)
            if found is not None and found not in columns.values():
                columns[attr] = found
                break
    return columns


# --- per-feature validation ------------------------------------------------------------------


def _build_records(path: Path, frame, columns: dict[str, str], repairs: list[RepairNote]):
    """Validate every feature, collecting all problems before refusing the file."""
    problems: list[str] = []
    records: list[WardRecord] = []
    first_with_code: dict[str, tuple[int, str]] = {}
    values = {attr: frame[col].tolist() for attr, col in columns.items()}
    geoms = frame.geometry.tolist()
    for i, geom in enumerate(geoms):
        feature = i + 1
        raw = {attr: _text(vals[i]) for attr, vals in values.items() if attr != "population"}
        code = raw["code"]
        where = f"feature #{feature} (code {code})" if code else f"feature #{feature}"
        bad: list[str] = []
        if not code:
            bad.append(f"feature #{feature}: empty code (field '{columns['code']}')")
        elif code in first_with_code:
            other, other_name = first_with_code[code]
            bad.append(
                f"features #{other} ({other_name}) and #{feature} ({raw['name']}) "
                f"both have code {code}"
            )
        else:
            first_with_code[code] = (feature, raw["name"])
        if not raw["name"]:
            bad.append(f"{where}: empty name (field '{columns['name']}')")
        attrs, attr_problems = _attributes(raw, values, i)
        bad.extend(f"{where}: {p}" for p in attr_problems)
        geometry, note, geom_problem = _polygonal(geom)
        if geom_problem:
            bad.append(f"{where}: {geom_problem}")
        problems.extend(bad)
        if bad or geometry is None:  # no geometry comes with its problem
            continue
        if note is not None:
            repairs.append(RepairNote(feature, code, *note))
        records.append(WardRecord(feature=feature, code=code, geometry=geometry, **attrs))
    if problems:
        raise BoundaryFileError(path, problems)
    return records


def _attributes(raw: dict[str, str], values: dict[str, list], i: int) -> tuple[dict, list[str]]:
    """Names (NFC), unit type, optional fields; problems as short phrases."""
    problems: list[str] = []
    given_name = _nfc(raw["name"])
    # A name field holding "Phường Ka Long" is split into name and full name, as GSO lists are.
    prefix_unit, name = _unit_from_prefix(given_name)
    full_name = _nfc(raw.get("full_name", "")) or (given_name if prefix_unit else "")
    declared = raw.get("unit_type", "")
    if declared:
        unit_type = UNIT_ALIASES.get(_fold(declared).replace("-", "_"))
        if unit_type is None:
            problems.append(
                f"unit_type '{declared}' is not one of phuong, xa, thi_tran (or Phường, Xã, "
                "Thị trấn)"
            )
    else:
        unit_type = _unit_from_prefix(full_name)[0] or prefix_unit
    if not unit_type and not declared and name:
        problems.append(
            f"cannot tell the unit type: no unit_type value and the full name "
            f"'{full_name or name}' starts with none of Phường, Xã, Thị trấn"
        )
    if unit_type and not full_name and name:
        full_name = f"{UNIT_LABELS[unit_type]} {name}"
    attrs: dict[str, Any] = {
        "name": name,
        "full_name": full_name,
        "name_ascii": _nfc(raw.get("name_ascii", "")) or _ascii(name),
        "unit_type": unit_type or "",
        "district_name": _nfc(raw.get("district_name", "")),
        "district_code": raw.get("district_code", ""),
        "province_name": _nfc(raw.get("province_name", "")),
        "province_code": raw.get("province_code", ""),
        "population": None,
    }
    if "population" in values:
        attrs["population"], problem = _population(values["population"][i])
        if problem:
            problems.append(problem)
    for attr, limit in MAX_LENGTHS.items():
        value = raw["code"] if attr == "code" else attrs[attr]
        if len(value) > limit:
            problems.append(f"{attr} '{value[:40]}...' is longer than {limit} characters")
    return attrs, problems


def _polygonal(geom) -> tuple[MultiPolygon | None, tuple[str, str] | None, str | None]:
    """(valid 2D MultiPolygon, repair note as (problem, action), refusal) for one geometry."""
    if geom is None or (isinstance(geom, float) and math.isnan(geom)):
        return None, None, "no geometry (null)"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None, None, f"geometry is a {geom.geom_type}; wards must be Polygon or MultiPolygon"
    if geom.is_empty:
        return None, None, f"empty {geom.geom_type}"
    geom = shapely.force_2d(geom)
    if geom.is_valid:
        return _as_multi(geom), None, None
    reason = shapely.is_valid_reason(geom)
    fixed = shapely.make_valid(geom)
    parts = shapely.get_parts(fixed)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    dropped = sorted({p.geom_type for p in parts if p.geom_type not in ("Polygon", "MultiPolygon")})
    if not polygons:
        return None, None, f"invalid geometry ({reason}) with no area left after make_valid"
    result = _as_multi(shapely.union_all(polygons) if len(polygons) > 1 else polygons[0])
    if not result.is_valid:
        return None, None, f"invalid geometry ({reason}) that make_valid could not repair"
    action = (
        f"repaired with make_valid into {len(result.geoms)} polygon(s) of "
        f"{geodesic_area_m2(result):,.0f} m² in all"
    )
    if dropped:
        action += f", dropping its non-polygonal parts ({', '.join(dropped)})"
    return result, (f"invalid geometry: {reason}", action), None


def _as_multi(geom) -> MultiPolygon:
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    return MultiPolygon([p for p in shapely.get_parts(geom) if isinstance(p, Polygon)])


# --- small value helpers -----------------------------------------------------------------


def _text(value) -> str:
    """A field value as stripped text; None/NaN are empty, whole floats lose their '.0'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _population(value) -> tuple[int | None, str | None]:
    text = _text(value)
    if not text:
        return None, None
    try:
        number = int(float(text))
    except ValueError:
        return None, f"population '{text}' is not a number"
    if number < 0:
        return None, f"population {number} is negative"
    return number, None


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fold(text: str) -> str:
    """Lower-case ASCII, for comparing spellings ("Thị trấn" -> "thi tran")."""
    return _ascii(text).lower().strip()


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _unit_from_prefix(name: str) -> tuple[str | None, str]:
    """(unit_type, name without its prefix) from "Phường Ka Long"; (None, name) otherwise."""
    lowered = name.lower()
    for prefix, unit_type in UNIT_PREFIXES:
        if lowered.startswith(prefix + " "):
            return unit_type, name[len(prefix) + 1 :].strip()
    return None, name


# --- topology of one file --------------------------------------------------------------------


def geodesic_area_m2(geom) -> float:
    """Area on the WGS84 ellipsoid in m² of the polygonal parts of a lon/lat geometry.

    Parameters
    ----------
    geom : shapely geometry
        In EPSG:4326; lines and points count zero.
    """
    total = 0.0
    for part in shapely.get_parts(geom):
        if isinstance(part, MultiPolygon | shapely.GeometryCollection):
            total += geodesic_area_m2(part)
        elif isinstance(part, Polygon) and not part.is_empty:
            total += abs(_GEOD.geometry_area_perimeter(orient(part, 1.0))[0])
    return total


def file_overlaps(
    records: Iterable[WardRecord], *, min_area_m2: float = MIN_TOPOLOGY_AREA_M2
) -> list[FileOverlap]:
    """Pairs of wards of one file sharing more than `min_area_m2`: slivers of a bad partition.

    Parameters
    ----------
    records : iterable of WardRecord
    min_area_m2 : float
        Geodesic area of the intersection above which a pair is reported.

    Returns
    -------
    list of FileOverlap
        Ordered by the pair's codes.
    """
    records = list(records)
    geoms = [r.geometry for r in records]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    found = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        area = geodesic_area_m2(shapely.intersection(geoms[i], geoms[j]))
        if area > min_area_m2:
            a, b = sorted((records[i], records[j]), key=lambda r: r.code)
            found.append(FileOverlap(a.code, a.name, b.code, b.name, area))
    return sorted(found, key=lambda o: (o.code, o.other_code))


def file_gaps(
    records: Iterable[WardRecord], *, min_area_m2: float = MIN_TOPOLOGY_AREA_M2
) -> GapSummary | None:
    """Holes enclosed by the union of a file's wards, or None when none exceeds `min_area_m2`.

    Parameters
    ----------
    records : iterable of WardRecord
    min_area_m2 : float
        Holes at or under this geodesic area are only counted as "smaller".

    Returns
    -------
    GapSummary or None
    """
    union = shapely.union_all([r.geometry for r in records])
    holes = [Polygon(ring) for poly in shapely.get_parts(union) for ring in poly.interiors]
    sized = sorted(((geodesic_area_m2(h), h) for h in holes), key=lambda t: t[0], reverse=True)
    big = [(a, h) for a, h in sized if a > min_area_m2]
    if not big:
        return None
    point = big[0][1].representative_point()
    return GapSummary(
        count=len(big),
        total_m2=sum(a for a, _ in big),
        largest_m2=big[0][0],
        largest_at=(point.x, point.y),
        smaller_count=len(sized) - len(big),
    )
