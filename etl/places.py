"""Read the exchange files of places and price lists (CSV, GeoPackage) without the database.

The format is the contract of issue 13 (/work/notes/PLACES.md, docs/data.md "Places and price
lists"): ``places.csv`` and ``prices.csv``, or one GeoPackage with a Point layer ``places``
and a table ``prices``. Each reader returns every record it could read and every problem it
found, so the command can show all of them at once and store nothing (one bad row refuses
the import). Problems read "dòng N: <cột>: <lý do>", N as a person finds the row: the CSV
line (the header is line 1), or the feature's 1-based position in its GeoPackage layer.

The readers never import an app: the command (etl/management/commands/import_places.py)
turns records into calls of the layers services.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext as _

from common.dates import DATE_RANGE_MESSAGE, EARLIEST_DATE, LATEST_DATE, not_a_date_message
from common.strict_types import TypeProblem, parse_int_text
from common.validation import (
    NUL_MESSAGE,
    FieldErrors,
    in_vietnam,
    is_ascii_digits,
    validate_lon_lat,
)
from etl.hours import Hours, HoursProblem, parse_hours
from etl.limits import ImportLimits, ImportTooLarge, check_csv_rows, check_file_size
from etl.place_kinds import ACCOMMODATION_TYPES, PLACE_KINDS

PLACE_COLUMNS: tuple[str, ...] = (
    "ref",
    "kind",
    "name",
    "name_en",
    "name_zh",
    "lon",
    "lat",
    "address",
    "phone",
    "website",
    "accommodation_type",
    "star_rating",
    "ocop_stars",
    "hours",
    "accessibility",
    "accessibility_en",
    "accessibility_zh",
    "description",
    "description_en",
    "description_zh",
    "verified_at",
)
PRICE_COLUMNS: tuple[str, ...] = (
    "ref",
    "item",
    "item_en",
    "item_zh",
    "unit",
    "unit_en",
    "unit_zh",
    "price_vnd",
    "ocop_stars",
    "valid_from",
    "valid_to",
)
GPKG_PLACE_COLUMNS = tuple(c for c in PLACE_COLUMNS if c not in ("lon", "lat"))
REQUIRED_PLACE_COLUMNS = ("ref", "kind", "name", "lon", "lat")
REQUIRED_PRICE_COLUMNS = ("ref", "item", "price_vnd", "valid_from")
PLACES_LAYER, PRICES_LAYER = "places", "prices"

# Widths of the model columns (layers.PointOfInterest, PlacePrice), checked here so a long
# value names its row instead of failing the whole transaction in the database.
MAX_LENGTHS = {
    "ref": 100,  # stored as source_id
    "name": 200,
    "name_en": 200,
    "name_zh": 200,
    "address": 300,
    "phone": 30,
    "website": 200,
    "accessibility": 300,
    "accessibility_en": 300,
    "accessibility_zh": 300,
    "description": 2000,
    "description_en": 2000,
    "description_zh": 2000,
    "item": 200,
    "item_en": 200,
    "item_zh": 200,
    "unit": 60,
    "unit_en": 60,
    "unit_zh": 60,
}
MULTILINE = frozenset({"description", "description_en", "description_zh"})
MAX_PRICE_VND = 2**63 - 1  # PositiveBigIntegerField
# What common.csv_safe puts in front of a cell a spreadsheet would run as a formula; read
# back, the apostrophe goes, so "+84 203 ..." survives an export and a re-import.
_ESCAPED_FORMULA = re.compile(r"'[=+\-@\t\r]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

T = TypeVar("T")


@dataclass(frozen=True)
class PlaceRecord:
    """One row of places.csv (or a feature of the "places" layer), parsed and checked."""

    row: int
    ref: str
    kind: str
    name: str
    lon: float
    lat: float
    name_en: str = ""
    name_zh: str = ""
    address: str = ""
    phone: str = ""
    website: str = ""
    accommodation_type: str = ""
    star_rating: int | None = None
    ocop_stars: int | None = None
    hours: Hours = field(default_factory=dict)
    accessibility: str = ""
    accessibility_en: str = ""
    accessibility_zh: str = ""
    description: str = ""
    description_en: str = ""
    description_zh: str = ""
    verified_at: dt.date | None = None


@dataclass(frozen=True)
class PriceRecord:
    """One listed price (a row of prices.csv), for the place whose ref it names."""

    row: int
    ref: str
    item: str
    price_vnd: int
    valid_from: dt.date
    valid_to: dt.date | None = None
    item_en: str = ""
    item_zh: str = ""
    unit: str = ""
    unit_en: str = ""
    unit_zh: str = ""
    ocop_stars: int | None = None


@dataclass
class ReadResult(Generic[T]):
    """What a reader found: the good records, every problem (each naming its row), and
    warnings that refuse nothing (columns it does not know)."""

    records: list[T] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def row_error(row: int, column: str, reason: str) -> str:
    """The one form of a problem: "dòng N: <cột>: <lý do>"."""
    return _("dòng %(row)s: %(column)s: %(reason)s") % {
        "row": row,
        "column": column,
        "reason": reason,
    }


# --- cells -------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A cell as text: None and NaN as "", 12.0 as "12", a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell of a GeoPackage number column
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _clean(column: str, value: object) -> str:
    text = unicodedata.normalize("NFC", _cell_text(value))
    if _ESCAPED_FORMULA.match(text):
        text = text[1:]
    if column in MULTILINE:
        return text.strip()
    return " ".join(text.split())


class _Row:
    """The cells of one row, with the problems found while reading them."""

    def __init__(self, number: int, cells: dict[str, object]) -> None:
        self.number = number
        self.errors: list[str] = []
        self.cells = {key: _clean(key, value) for key, value in cells.items()}
        for key, text in self.cells.items():
            if "\x00" in text:
                self.fail(key, str(NUL_MESSAGE))
                self.cells[key] = ""

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(row_error(self.number, column, reason))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.fail(column, _("bắt buộc, không được để trống"))
        limit = MAX_LENGTHS.get(column)
        if limit is not None and len(value) > limit:
            self.fail(column, _("dài quá %(n)s ký tự") % {"n": limit})
        return value

    def choice(self, column: str, codes: tuple[str, ...], message: str, *, required: bool) -> str:
        value = self.text(column, required=required).lower()
        if value and value not in codes:
            self.fail(column, message % {"value": value, "codes": ", ".join(codes)})
            return ""
        return value

    def stars(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        try:
            number = parse_int_text(value)
        except TypeProblem:
            number = 0
        if not 1 <= number <= 5:
            self.fail(column, _("phải là số nguyên từ 1 đến 5"))
            return None
        return number

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(column, not_a_date_message())
            return None
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            self.fail(column, str(DATE_RANGE_MESSAGE))
            return None
        return day


# --- validation of a row -----------------------------------------------------------------


def _place(row: _Row, geometry_problem: str | None = None) -> PlaceRecord | None:
    ref = row.text("ref", required=True)
    kind = row.choice(
        "kind",
        PLACE_KINDS,
        _("“%(value)s” không phải là loại địa điểm; dùng một trong: %(codes)s"),
        required=True,
    )
    name = row.text("name", required=True)
    texts = {
        key: row.text(key)
        for key in (
            "name_en",
            "name_zh",
            "address",
            "phone",
            "accessibility",
            "accessibility_en",
            "accessibility_zh",
            "description",
            "description_en",
            "description_zh",
        )
    }
    website = row.text("website")
    if website and not website.lower().startswith(("http://", "https://")):
        row.fail("website", _("phải là địa chỉ bắt đầu bằng http:// hoặc https://"))
    accommodation_type = row.choice(
        "accommodation_type",
        ACCOMMODATION_TYPES,
        _("“%(value)s” không phải là loại hình lưu trú; dùng một trong: %(codes)s"),
        required=False,
    )
    if accommodation_type and kind and kind != "accommodation":
        row.fail("accommodation_type", _("chỉ dùng cho địa điểm loại accommodation"))
    star_rating = row.stars("star_rating")
    ocop_stars = row.stars("ocop_stars")
    try:
        hours = parse_hours(row.text("hours"))
    except HoursProblem as exc:
        row.fail("hours", exc.message)
        hours = {}
    verified_at = row.date("verified_at")
    lon = lat = 0.0
    if geometry_problem:
        row.fail("geom", geometry_problem)
    else:
        try:
            lon, lat = validate_lon_lat(row.cells.get("lon", ""), row.cells.get("lat", ""))
        except FieldErrors as exc:
            for column, messages in exc.errors.items():
                for message in messages:
                    row.fail(column, str(message))
        else:
            if not in_vietnam(lon, lat):
                row.fail("lon, lat", _("toạ độ nằm ngoài Việt Nam"))
    if row.errors:
        return None
    return PlaceRecord(
        row=row.number,
        ref=ref,
        kind=kind,
        name=name,
        lon=lon,
        lat=lat,
        website=website,
        accommodation_type=accommodation_type,
        star_rating=star_rating,
        ocop_stars=ocop_stars,
        hours=hours,
        verified_at=verified_at,
        **texts,
    )


def _price(row: _Row) -> PriceRecord | None:
    ref = row.text("ref", required=True)
    item = row.text("item", required=True)
    texts = {key: row.text(key) for key in ("item_en", "item_zh", "unit", "unit_en", "unit_zh")}
    amount = row.text("price_vnd", required=True)
    price_vnd = 0
    if amount:
        if is_ascii_digits(amount) and 0 < int(amount) <= MAX_PRICE_VND:
            price_vnd = int(amount)
        else:
            row.fail(
                "price_vnd",
                _("phải là số đồng lớn hơn 0, chỉ chữ số 0-9 (không dấu chấm, dấu phẩy hay “đ”)"),
            )
    ocop_stars = row.stars("ocop_stars")
    valid_from = row.date("valid_from", required=True)
    valid_to = row.date("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        row.fail(
            "valid_to",
            _("phải từ ngày valid_from (%(date)s) trở đi") % {"date": valid_from.isoformat()},
        )
    if row.errors or valid_from is None:
        return None
    return PriceRecord(
        row=row.number,
        ref=ref,
        item=item,
        price_vnd=price_vnd,
        valid_from=valid_from,
        valid_to=valid_to,
        ocop_stars=ocop_stars,
        **texts,
    )


def _collect_places(rows: Iterable[tuple[_Row, str | None]], result: ReadResult[PlaceRecord]):
    seen: dict[str, int] = {}
    for row, geometry_problem in rows:
        record = _place(row, geometry_problem)
        result.errors.extend(row.errors)
        if record is None:
            continue
        if record.ref in seen:
            row.fail("ref", _("trùng với dòng %(row)s") % {"row": seen[record.ref]})
            result.errors.extend(row.errors)
            continue
        seen[record.ref] = record.row
        result.records.append(record)


def _collect_prices(rows: Iterable[_Row], result: ReadResult[PriceRecord]) -> None:
    seen: dict[tuple[str, str, str, dt.date], int] = {}
    for row in rows:
        record = _price(row)
        result.errors.extend(row.errors)
        if record is None:
            continue
        key = (record.ref, record.item, record.unit, record.valid_from)
        if key in seen:
            row.fail(
                "item",
                _("trùng với dòng %(row)s") % {"row": seen[key]}
                + " "
                + _("(cùng ref, item, unit và valid_from)"),
            )
            result.errors.extend(row.errors)
            continue
        seen[key] = record.row
        result.records.append(record)


def unknown_price_refs(
    prices: ReadResult[PriceRecord], known_refs: Iterable[str]
) -> ReadResult[PriceRecord]:
    """`prices` with an error for each price naming a place that is in neither the places
    file nor `known_refs` (the command adds the database's refs); those prices are dropped."""
    known = set(known_refs)
    kept: list[PriceRecord] = []
    for record in prices.records:
        if record.ref in known:
            kept.append(record)
        else:
            prices.errors.append(
                row_error(
                    record.row,
                    "ref",
                    _(
                        "không có địa điểm nào mang ref “%(ref)s” "
                        "(trong tệp địa điểm hay cơ sở dữ liệu)"
                    )
                    % {"ref": record.ref},
                )
            )
    prices.records = kept
    return prices


# --- the header --------------------------------------------------------------------------


def _header(
    columns: list[str], known: tuple[str, ...], required: tuple[str, ...], result: ReadResult
) -> bool:
    """Checks a header (already lowercased); False when the file cannot be read row by row."""
    duplicated = sorted({c for c in columns if columns.count(c) > 1 and c})
    for column in duplicated:
        result.errors.append(row_error(1, column, _("cột này có hai lần trong dòng tiêu đề")))
    missing = [c for c in required if c not in columns]
    if missing:
        result.errors.append(row_error(1, ", ".join(missing), _("thiếu cột bắt buộc")))
    unknown = [c for c in columns if c not in known]
    if unknown:
        result.warnings.append(
            _("cột không dùng đến, đã bỏ qua: %(columns)s")
            % {"columns": ", ".join(c or "(trống)" for c in unknown)}
        )
    return not (missing or duplicated)


# --- CSV ---------------------------------------------------------------------------------


def _csv_rows(
    path: Path,
    known: tuple[str, ...],
    required: tuple[str, ...],
    result: ReadResult,
    limits: ImportLimits | None,
) -> list[_Row]:
    """The data rows of a CSV, numbered by the line they start on (the header is line 1)."""
    if not path.is_file():
        result.errors.append(_("không có tệp %(path)s") % {"path": path})
        return []
    try:
        check_csv_rows(path, limits)
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Excel's UTF-8) is dropped
    except ImportTooLarge as exc:
        result.errors.append(_("tệp quá lớn: %(detail)s") % {"detail": exc})
        return []
    except UnicodeDecodeError:
        result.errors.append(_("tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng CSV UTF-8"))
        return []
    first_line = text.split("\n", 1)[0]
    # The delimiter from the header alone: hours cells hold ";", which would fool a sniffer.
    delimiter = next((d for d in (",", ";", "\t") if "ref" in _split(first_line, d)), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        result.errors.append(_("tệp trống, không có dòng tiêu đề"))
        return []
    if not _header(header, known, required, result):
        return []
    rows: list[_Row] = []
    start = reader.line_num + 1  # a row is numbered by its first line (a cell may span lines)
    try:
        for cells in reader:
            number, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            row = _Row(number, dict(zip(header, cells, strict=False)))
            if len(cells) > len(header):
                row.fail(
                    _("(ngoài tiêu đề)"),
                    _("dòng có %(cells)s ô, nhiều hơn %(columns)s cột của dòng tiêu đề")
                    % {"cells": len(cells), "columns": len(header)},
                )
            rows.append(row)
    except csv.Error as exc:
        result.errors.append(
            row_error(reader.line_num, "-", _("CSV hỏng: %(detail)s") % {"detail": exc})
        )
    if not rows and not result.errors:
        result.errors.append(_("tệp không có dòng dữ liệu nào"))
    return rows


def _split(line: str, delimiter: str) -> list[str]:
    return [cell.strip().strip('"').lower() for cell in line.lstrip("\ufeff").split(delimiter)]


def read_places_csv(
    path: str | Path, *, limits: ImportLimits | None = None
) -> ReadResult[PlaceRecord]:
    """Every place of a places.csv and every problem in it (see the module docstring)."""
    result: ReadResult[PlaceRecord] = ReadResult()
    rows = _csv_rows(Path(path), PLACE_COLUMNS, REQUIRED_PLACE_COLUMNS, result, limits)
    _collect_places(((row, None) for row in rows), result)
    return result


def read_prices_csv(
    path: str | Path, *, limits: ImportLimits | None = None
) -> ReadResult[PriceRecord]:
    """Every price of a prices.csv and every problem in it; refs are checked by the caller
    (unknown_price_refs), which knows the places file and the database."""
    result: ReadResult[PriceRecord] = ReadResult()
    rows = _csv_rows(Path(path), PRICE_COLUMNS, REQUIRED_PRICE_COLUMNS, result, limits)
    _collect_prices(rows, result)
    return result


# --- GeoPackage --------------------------------------------------------------------------


def _gdal_errors() -> tuple[type[Exception], ...]:
    """What pyogrio raises for a file GDAL cannot read (several DataSource/DataLayer errors)."""
    from pyogrio import errors

    return (
        errors.DataSourceError,
        errors.DataLayerError,
        errors.FieldError,
        errors.GeometryError,
        errors.CRSError,
        errors.FeatureError,
        OSError,
        ValueError,
    )


def _gpkg_frame(path: Path, layer: str, result: ReadResult, limits: ImportLimits) -> Any:
    """One layer as a (Geo)DataFrame, or None with the reason in `result.errors`."""
    import pyogrio  # here, so reading a CSV needs no GDAL

    try:
        features = int(pyogrio.read_info(path, layer=layer)["features"])
    except _gdal_errors() as exc:
        result.errors.append(
            _("không đọc được lớp “%(layer)s”: %(detail)s") % {"layer": layer, "detail": exc}
        )
        return None
    if features > limits.max_features:
        result.errors.append(
            _("lớp “%(layer)s” có %(n)s đối tượng, quá giới hạn %(limit)s (IMPORT_MAX_FEATURES)")
            % {"layer": layer, "n": features, "limit": limits.max_features}
        )
        return None
    try:
        return pyogrio.read_dataframe(path, layer=layer)
    except _gdal_errors() as exc:
        result.errors.append(
            _("không đọc được lớp “%(layer)s”: %(detail)s") % {"layer": layer, "detail": exc}
        )
        return None


def _frame_header(frame: Any, known, required, result: ReadResult) -> list[str] | None:
    geometry = getattr(frame, "_geometry_column_name", None)
    columns = [str(c) for c in frame.columns if c != geometry]
    lowered = [c.strip().lower() for c in columns]
    if not _header(lowered, known, required, result):
        return None
    return columns


def _frame_cells(frame: Any, columns: list[str]) -> list[dict[str, object]]:
    return [
        {column.strip().lower(): value for column, value in zip(columns, values, strict=True)}
        for values in frame[columns].itertuples(index=False, name=None)
    ]


def read_places_gpkg(
    path: str | Path, *, limits: ImportLimits | None = None
) -> tuple[ReadResult[PlaceRecord], ReadResult[PriceRecord]]:
    """The places (layer "places": Points in any CRS, reprojected to EPSG:4326) and prices
    (table "prices", optional) of a GeoPackage; rows are numbered by position in the layer."""
    path = Path(path)
    places: ReadResult[PlaceRecord] = ReadResult()
    prices: ReadResult[PriceRecord] = ReadResult()
    limits = limits or ImportLimits.from_settings()
    if not path.is_file():
        places.errors.append(_("không có tệp %(path)s") % {"path": path})
        return places, prices
    import pyogrio

    try:
        check_file_size(path, limits)
        layers = [str(name) for name, _kind in pyogrio.list_layers(path)]
    except ImportTooLarge as exc:
        places.errors.append(_("tệp quá lớn: %(detail)s") % {"detail": exc})
        return places, prices
    except _gdal_errors() as exc:
        places.errors.append(_("không đọc được GeoPackage: %(detail)s") % {"detail": exc})
        return places, prices
    if PLACES_LAYER not in layers:
        places.errors.append(
            _("GeoPackage không có lớp “%(layer)s” (các lớp của nó: %(layers)s)")
            % {"layer": PLACES_LAYER, "layers": ", ".join(layers) or "-"}
        )
    else:
        _read_places_layer(path, places, limits)
    if PRICES_LAYER in layers:
        frame = _gpkg_frame(path, PRICES_LAYER, prices, limits)
        if frame is not None:
            columns = _frame_header(frame, PRICE_COLUMNS, REQUIRED_PRICE_COLUMNS, prices)
            if columns is not None:
                cells = _frame_cells(frame, columns)
                _collect_prices((_Row(n, c) for n, c in enumerate(cells, start=1)), prices)
    else:
        prices.warnings.append(
            _("GeoPackage không có lớp “%(layer)s”: không nhập bảng giá nào")
            % {"layer": PRICES_LAYER}
        )
    return places, prices


def _read_places_layer(path: Path, result: ReadResult[PlaceRecord], limits: ImportLimits) -> None:
    frame = _gpkg_frame(path, PLACES_LAYER, result, limits)
    if frame is None:
        return
    if getattr(frame, "crs", None) is None:
        result.errors.append(
            _("lớp “%(layer)s” không có hệ toạ độ (CRS); hãy đặt EPSG:4326")
            % {"layer": PLACES_LAYER}
        )
        return
    if not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    columns = _frame_header(frame, GPKG_PLACE_COLUMNS, REQUIRED_PLACE_COLUMNS[:3], result)
    if columns is None:
        return
    rows: list[tuple[_Row, str | None]] = []
    for number, (cells, geometry) in enumerate(
        zip(_frame_cells(frame, columns), frame.geometry, strict=True), start=1
    ):
        problem = None
        if geometry is None or geometry.is_empty:
            problem = _("không có hình học; địa điểm phải là một điểm (Point)")
        elif geometry.geom_type != "Point":
            problem = _("hình học là %(kind)s; địa điểm phải là một điểm (Point)") % {
                "kind": geometry.geom_type
            }
        else:
            cells = {**cells, "lon": geometry.x, "lat": geometry.y}
        rows.append((_Row(number, cells), problem))
    _collect_places(rows, result)
