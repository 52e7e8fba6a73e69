"""Reading legacy report files (CSV or GeoJSON) into a validated batch.

Validation is vectorised with pandas so a million rows take seconds; each bad row gets a
message naming its row number (the first data row is row 1, i.e. line 2 of a CSV) and the
field, and is skipped, while good rows go on to the bulk loader.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from common.report_rules import (
    contact_email_problems,
    contact_name_problems,
    contact_phone_problems,
    description_problems,
    stored_phone,
    unknown_category_message,
)
from common.strict_types import NOT_TEXT, decimal_text_mask
from common.validation import FieldErrors, validate_lon_lat
from etl.limits import ImportLimits, ImportTooLarge, check_geojson_limits, check_streamed_csv

REQUIRED = ("category", "description", "lon", "lat")
OPTIONAL = (
    "reported_at",
    "status",
    "id",
    "idempotency_key",
    "contact_name",
    "contact_phone",
    "contact_email",
)


CONTACT_RULES: dict[str, Callable[[str], list[str]]] = {
    "contact_name": contact_name_problems,
    "contact_phone": contact_phone_problems,
    "contact_email": contact_email_problems,
}


class ReportFileError(ValueError):
    """The file as a whole cannot be read (no row-level salvage possible)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass
class ReportBatch:
    """Good rows, column-wise. `row` keeps each record's row number in the source file."""

    frame: pd.DataFrame
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    def __len__(self) -> int:
        return len(self.frame)


def iter_report_tables(path: Path, chunk_rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The file's rows as strings, `chunk_rows` at a time (default IMPORT_CHUNK_ROWS), with
    lon/lat columns for GeoJSON points.

    A CSV is streamed, so memory holds one chunk whatever the number of rows (only its size
    is bounded, by IMPORT_MAX_CSV_BYTES); a GeoJSON is parsed whole, within the feature and
    vertex limits, then handed out in the same chunks.

    Parameters
    ----------
    path : Path
        A .csv (UTF-8, header row, lon/lat columns) or .geojson/.json FeatureCollection of Points.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReportFileError(f"{path}: no such file.")
    limits = ImportLimits.from_settings()
    chunk_rows = chunk_rows or limits.chunk_rows
    try:  # before anything is parsed: a GeoJSON bomb is refused at the cost of a byte scan
        if suffix in (".geojson", ".json"):
            check_geojson_limits(path, limits)
        elif suffix == ".csv":
            check_streamed_csv(path, limits)
    except ImportTooLarge as exc:
        raise ReportFileError(f"{path}: {exc}.") from exc
    if suffix == ".csv":
        yield from _csv_tables(path, chunk_rows)
    elif suffix in (".geojson", ".json"):
        frame = _geojson_table(path)
        for start in range(0, max(len(frame), 1), chunk_rows):
            yield frame.iloc[start : start + chunk_rows].reset_index(drop=True)
    else:
        raise ReportFileError(f"{path}: unsupported file type {suffix!r}; use .csv or .geojson.")


def read_report_table(path: Path) -> pd.DataFrame:
    """The whole file as one table (iter_report_tables' chunks joined): for callers that
    want every row in memory at once, such as the bulk-import benchmark."""
    tables = list(iter_report_tables(path))
    return tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True)


def _csv_tables(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    try:
        reader = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8", chunksize=chunk_rows
        )
        with reader:  # a header without rows still gives one (empty) chunk
            for frame in reader:
                frame.columns = [c.strip().lower() for c in frame.columns]
                yield frame
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReportFileError(f"{path}: not a readable UTF-8 CSV file ({exc}).") from exc


def _geojson_table(path: Path) -> pd.DataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportFileError(f"{path}: not valid GeoJSON ({exc}).") from exc
    except RecursionError as exc:  # arrays nested thousands deep: no honest GeoJSON
        raise ReportFileError(f"{path}: not valid GeoJSON (nested too deeply).") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ReportFileError(f"{path}: expected a GeoJSON FeatureCollection.")
    rows = []
    for feature in data.get("features") or []:
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry") or {}
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if not (isinstance(coords, list) and len(coords) >= 2):
            coords = ["", ""]
        props["lon"], props["lat"] = _number_cell(coords[0]), _number_cell(coords[1])
        props["_geometry_type"] = geometry.get("type") or "null"
        rows.append(_text_cells(props))
    return pd.DataFrame(rows, dtype=str)


def _number_cell(value: object) -> object:
    """A GeoJSON coordinate as the text a CSV cell would hold: a JSON number in plain decimal
    notation (1e-07 as 0.0000001), text as it is; a boolean, object or array as text the
    number rule refuses (never its Python repr)."""
    if isinstance(value, bool):
        return "?"
    if isinstance(value, (int, float)):
        return np.format_float_positional(float(value), trim="-")
    return value if isinstance(value, str) or value is None else "?"


def _text_cells(props: dict) -> dict[str, str]:
    """A feature's properties as CSV-like text. Text stays text and a legacy integer id
    becomes its digits; an object, array, boolean or other number where text belongs is
    never turned into its Python repr: the row is marked (`_type_field`) and refused."""
    cells: dict[str, str] = {}
    for key, value in props.items():
        if value is None:
            cells[key] = ""
        elif isinstance(value, str):
            cells[key] = value
        elif key == "id" and isinstance(value, int) and not isinstance(value, bool):
            cells[key] = str(value)
        else:
            cells.setdefault("_type_field", key)
            cells[key] = ""
    return cells


def parse_local_times(raw: pd.Series, time_zone: str) -> pd.Series:
    """Aware timestamps: values with an offset keep it, naive ones are local (Vietnam) time."""
    has_offset = raw.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    result = pd.Series(pd.NaT, index=raw.index, dtype=f"datetime64[ns, {time_zone}]")
    if has_offset.any():
        aware = pd.to_datetime(raw[has_offset], errors="coerce", utc=True, format="mixed")
        result[has_offset] = aware.dt.tz_convert(time_zone)
    if (~has_offset).any():
        naive = pd.to_datetime(raw[~has_offset], errors="coerce", format="mixed")
        result[~has_offset] = naive.dt.tz_localize(time_zone, nonexistent="NaT", ambiguous="NaT")
    return result


def validate_reports(
    frame: pd.DataFrame,
    *,
    category_ids: dict[str, int],
    statuses: set[str],
    default_reported_at: pd.Timestamp,
    description_max: int,
    time_zone: str = "Asia/Ho_Chi_Minh",
    first_row: int = 1,
) -> ReportBatch:
    """Checks every row; returns the good rows with parsed columns and one error per bad field.

    Parameters
    ----------
    category_ids : dict
        Category code -> database id; unknown codes are row errors.
    default_reported_at : pandas.Timestamp
        Used where a row has no reported_at (aware).
    description_max : int
        settings.REPORT_DESCRIPTION_MAX_CHARS, the API's limit.
    first_row : int
        The number of the frame's first row in the file (a chunk of a streamed file).

    The point, description and contact fields follow the API's rules (common.report_rules),
    with its messages; the contact phone is stored normalised, as the API stores it.
    """
    limit = description_max
    total = len(frame)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ReportFileError(
            f"missing column(s) {', '.join(missing)}; "
            f"the file has: {', '.join(frame.columns) or 'none'}."
        )
    # A short CSV line leaves NaN in its missing cells; a later chunk's index starts mid-file.
    frame = frame.fillna("").reset_index(drop=True)
    frame["row"] = np.arange(first_row, first_row + total)
    errors: list[RowError] = []
    bad = np.zeros(total, dtype=bool)

    def flag(mask: np.ndarray, column: str, message) -> None:
        nonlocal bad
        for i in np.flatnonzero(mask & ~bad):
            text = message(i) if callable(message) else message
            errors.append(RowError(int(frame["row"].to_numpy()[i]), column, text))
        bad |= mask

    def flag_by_rule(column: pd.Series, name: str, rule: Callable[[str], list[str]]) -> None:
        """Flags the rows a common.report_rules rule finds fault with, asking it once per
        distinct value (a million rows hold far fewer distinct texts)."""
        verdicts = {value: " ".join(rule(value)) for value in column.unique()}
        messages = column.map(verdicts).to_numpy()
        flag(messages != "", name, lambda i: messages[i])

    if "_type_field" in frame.columns:
        wrong = frame["_type_field"].to_numpy()
        for i in np.flatnonzero(wrong != ""):
            errors.append(RowError(int(frame["row"].to_numpy()[i]), wrong[i], str(NOT_TEXT)))
            bad[i] = True

    if "_geometry_type" in frame.columns:
        geom_type = frame["_geometry_type"].to_numpy()
        flag(geom_type != "Point", "geometry", lambda i: f"expected a Point, got {geom_type[i]}.")

    lon_text, lat_text = frame["lon"].str.strip(), frame["lat"].str.strip()
    lon = pd.to_numeric(lon_text, errors="coerce").to_numpy(dtype="float64")
    lat = pd.to_numeric(lat_text, errors="coerce").to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        plain = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    # ASCII decimal text only (common.strict_types): pandas also reads 1e2 and .5.
    plain &= decimal_text_mask(lon_text.to_numpy()) & decimal_text_mask(lat_text.to_numpy())
    # The rest go through the API's own check (its messages, the swapped lon/lat hint, the
    # strict number rule), one row at a time: they are the few bad ones.
    raw_lon, raw_lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
    row_numbers = frame["row"].to_numpy(dtype="int64")
    for i in np.flatnonzero(~plain & ~bad):
        try:
            lon[i], lat[i] = validate_lon_lat(raw_lon[i], raw_lat[i])
        except FieldErrors as exc:
            row = int(row_numbers[i])
            errors.extend(RowError(row, f, " ".join(m)) for f, m in exc.errors.items())
            bad[i] = True

    codes = frame["category"].str.strip().to_numpy()
    category = pd.Series(codes).map(category_ids)
    flag(
        category.isna().to_numpy(),
        "category",
        lambda i: unknown_category_message(codes[i], category_ids),
    )

    description = frame["description"].str.strip()
    flag_by_rule(description, "description", lambda text: description_problems(text, limit))

    if "reported_at" in frame.columns:
        raw_time = frame["reported_at"].str.strip()
        parsed = parse_local_times(raw_time, time_zone)
        empty = (raw_time == "").to_numpy()
        parsed = parsed.where(~empty, default_reported_at)
        times = raw_time.to_numpy()
        flag(parsed.isna().to_numpy(), "reported_at", lambda i: f"{times[i]!r} is not a date/time.")
    else:
        parsed = pd.Series([default_reported_at] * total)
    reported_at = parsed

    if "status" in frame.columns:
        status = frame["status"].str.strip().replace("", "received")
        values = status.to_numpy()
        flag(
            ~status.isin(statuses).to_numpy(), "status", lambda i: f"unknown status {values[i]!r}."
        )
    else:
        status = pd.Series(["received"] * total)

    if "idempotency_key" in frame.columns:
        key = frame["idempotency_key"].str.strip()
    elif "id" in frame.columns:
        key = "legacy:" + frame["id"].str.strip()
        key = key.where(frame["id"].str.strip() != "", "")
    else:
        key = pd.Series([""] * total)
    key_values = key.to_numpy()
    flag((key.str.len() > 100).to_numpy(), "id", "longer than 100 characters.")
    dup = (key != "").to_numpy() & key.duplicated(keep="first").to_numpy()
    flag(dup, "id", lambda i: f"{key_values[i]!r} repeats an earlier row.")

    contact = {
        column: frame[column].str.strip() if column in frame.columns else pd.Series([""] * total)
        for column in CONTACT_RULES
    }
    for column, rule in CONTACT_RULES.items():
        flag_by_rule(contact[column], column, rule)
    phones = contact["contact_phone"]
    contact["contact_phone"] = phones.map({p: stored_phone(p) for p in phones.unique()})

    good = ~bad
    out = pd.DataFrame(
        {
            "row": frame["row"].to_numpy()[good],
            "category_id": category.to_numpy()[good].astype("int64"),
            "description": description.to_numpy()[good],
            "lon": lon[good],
            "lat": lat[good],
            "reported_at": reported_at.reset_index(drop=True)[good].reset_index(drop=True),
            "status": status.to_numpy()[good],
            "idempotency_key": key.to_numpy()[good],
            **{column: values.to_numpy()[good] for column, values in contact.items()},
        }
    )
    errors.sort(key=lambda e: e.row)
    return ReportBatch(frame=out, errors=errors, total_rows=total)
