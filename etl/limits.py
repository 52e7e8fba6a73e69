"""Size limits checked before an import reads a file, bounding what each format really costs.

What hurts is memory, and how much a file costs in memory depends on how it is read:

- a report CSV is streamed in chunks of ``IMPORT_CHUNK_ROWS`` rows (etl.reports
  ``iter_report_tables``), so its memory is one chunk whatever the row count; only its size is
  bounded, which bounds the time an import takes (about 40 s per 150 MB, a million rows);
- a GeoJSON is parsed whole (into Python objects or a GeoDataFrame, ten to fifty times its
  size on disk), and so are POI CSVs, Shapefiles and GeoPackages: for them the size, the
  feature count and (for GeoJSON) the coordinate positions are bounded before anything is
  parsed. The GeoJSON check streams through the raw bytes in fixed-size chunks and counts,
  with two regular expressions, the positions (``[x, y ...``) and the features
  (``"type": "Feature"``), so memory stays at about two chunks whatever the file holds;
- a ``.zip`` (a zipped Shapefile) counts by what it decompresses to, read from its directory
  before a byte is inflated.

The limits are settings, read with ``getattr`` so that none has to be defined:

``IMPORT_MAX_BYTES``     largest file read whole; a .zip by its contents (default 256 MiB)
``IMPORT_MAX_FEATURES``  most features (or POI rows) in a file read whole (default 500,000)
``IMPORT_MAX_VERTICES``  most coordinate positions in a GeoJSON (default 2,000,000)
``IMPORT_MAX_CSV_BYTES`` largest streamed report CSV (default 16 GiB, ~100 million rows: a
                         bound on time, hours, far above a city's ten years of reports)
``IMPORT_CHUNK_ROWS``    rows per chunk of a streamed report CSV (default 100,000)

The real Móng Cái files are far below them (17 wards, ~2,000 vertices); the whole of Vietnam's
10,600 wards at full resolution would be split by province anyway.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_FEATURES = 500_000
DEFAULT_MAX_VERTICES = 2_000_000
DEFAULT_MAX_CSV_BYTES = 16 * 1024 * 1024 * 1024
DEFAULT_CHUNK_ROWS = 100_000
CHUNK_BYTES = 4 * 1024 * 1024

# A position is the only JSON array that opens with a number: `[107.96, 21.53` (then `,`).
# Bounded repeats keep a match short, so a chunk can be cut safely before its last `[`.
_POSITION = re.compile(rb"\[\s{0,32}-?[0-9][0-9.eE+-]{0,40}\s{0,32},")
_FEATURE = re.compile(rb'"type"\s{0,32}:\s{0,32}"Feature"')


class ImportTooLarge(ValueError):
    """The file exceeds an import limit; the message names the limit and the setting."""


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_features: int
    max_vertices: int
    max_csv_bytes: int = DEFAULT_MAX_CSV_BYTES
    chunk_rows: int = DEFAULT_CHUNK_ROWS

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            max_bytes=int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
            max_features=int(getattr(settings, "IMPORT_MAX_FEATURES", DEFAULT_MAX_FEATURES)),
            max_vertices=int(getattr(settings, "IMPORT_MAX_VERTICES", DEFAULT_MAX_VERTICES)),
            max_csv_bytes=int(getattr(settings, "IMPORT_MAX_CSV_BYTES", DEFAULT_MAX_CSV_BYTES)),
            chunk_rows=max(1, int(getattr(settings, "IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS))),
        )


def check_file_size(path: Path, limits: ImportLimits | None = None) -> int:
    """The bytes a file read whole amounts to (a .zip: its contents, a folder: its files);
    ImportTooLarge when above IMPORT_MAX_BYTES."""
    limits = limits or ImportLimits.from_settings()
    if path.is_file() and zipfile.is_zipfile(path):
        return _zip_size_within(path, limits.max_bytes)
    if path.is_dir():  # a Shapefile folder: its .shp, .dbf, ... side by side
        size = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return _within(size, limits.max_bytes, "IMPORT_MAX_BYTES")
    return _size_within(path, limits.max_bytes, "IMPORT_MAX_BYTES")


def _within(size: int, limit: int, setting: str, what: str = "the file is") -> int:
    if size > limit:
        raise ImportTooLarge(
            f"{what} {size:,} bytes, more than the limit of {limit:,} "
            f"(setting {setting}); split it or raise the limit"
        )
    return size


def _size_within(path: Path, limit: int, setting: str) -> int:
    """The file's size in bytes; ImportTooLarge, naming `setting`, when above `limit`."""
    return _within(path.stat().st_size if path.is_file() else 0, limit, setting)


def _zip_size_within(path: Path, limit: int) -> int:
    """The decompressed size of an archive, from its central directory (nothing inflated).

    GDAL inflates through /vsizip/ by the sizes the entries declare, and a declared size
    that lies is a corrupt archive it refuses, so the directory is what the read will cost.
    """
    _size_within(path, limit, "IMPORT_MAX_BYTES")
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return path.stat().st_size  # unreadable: the reader says why
    return _within(total, limit, "IMPORT_MAX_BYTES", "the archive decompresses to")


def check_geojson_limits(path: Path, limits: ImportLimits | None = None) -> tuple[int, int]:
    """(features, vertices) of a GeoJSON file, counted without parsing it.

    Raises
    ------
    ImportTooLarge
        As soon as the file's size, its feature count or its vertex count passes its limit
        (counting stops there, so a 5-million-vertex polygon costs only the bytes read so far).
    """
    limits = limits or ImportLimits.from_settings()
    check_file_size(path, limits)
    features = vertices = 0
    carry = b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            buffer = carry + chunk
            if not chunk:
                cut = len(buffer)
            else:
                # Neither pattern contains a `[` after its first byte, so no match straddles
                # the last `[`; without one, keep a tail long enough for any match.
                cut = buffer.rfind(b"[")
                if cut <= 0:
                    cut = max(0, len(buffer) - 256)
            head, carry = buffer[:cut], buffer[cut:]
            vertices += len(_POSITION.findall(head))
            features += len(_FEATURE.findall(head))
            if vertices > limits.max_vertices:
                raise ImportTooLarge(
                    f"more than {limits.max_vertices:,} coordinate positions (setting "
                    "IMPORT_MAX_VERTICES); simplify the geometries or split the file"
                )
            if features > limits.max_features:
                raise ImportTooLarge(
                    f"more than {limits.max_features:,} features (setting IMPORT_MAX_FEATURES); "
                    "split the file"
                )
            if not chunk:
                return features, vertices


def check_csv_rows(path: Path, limits: ImportLimits | None = None) -> int:
    """Lines of a CSV read whole (POIs), counted in chunks; ImportTooLarge above
    IMPORT_MAX_BYTES or more than IMPORT_MAX_FEATURES rows."""
    limits = limits or ImportLimits.from_settings()
    _size_within(path, limits.max_bytes, "IMPORT_MAX_BYTES")
    rows = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            rows += chunk.count(b"\n")
            if rows > limits.max_features + 1:  # + the header
                raise ImportTooLarge(
                    f"more than {limits.max_features:,} rows (setting IMPORT_MAX_FEATURES); "
                    "split the file"
                )
    return rows


def check_streamed_csv(path: Path, limits: ImportLimits | None = None) -> int:
    """The size of a CSV read in chunks (reports): any number of rows, bounded in bytes by
    IMPORT_MAX_CSV_BYTES (which bounds the import's time, not its memory)."""
    limits = limits or ImportLimits.from_settings()
    return _size_within(path, limits.max_csv_bytes, "IMPORT_MAX_CSV_BYTES")
