"""Size limits checked before an import reads a file into memory (GeoJSON bombs).

A GeoJSON with millions of vertices or features parses into Python objects (or a GeoDataFrame)
ten to fifty times its size on disk, so an oversized file must be refused before it is loaded:
the check streams through the raw bytes in fixed-size chunks and counts, with two regular
expressions, the positions (``[x, y ...``) and the features (``"type": "Feature"``). Memory
stays at about two chunks whatever the file holds.

The limits are settings, read with ``getattr`` so that none has to be defined:

``IMPORT_MAX_BYTES``     largest file accepted (default 256 MiB)
``IMPORT_MAX_FEATURES``  most features or rows in one file (default 500,000)
``IMPORT_MAX_VERTICES``  most coordinate positions in one file (default 2,000,000)
``IMPORT_MAX_ROWS``      most rows in one CSV (default 5,000,000)
``IMPORT_MAX_CSV_BYTES`` largest CSV accepted (default 1 GiB)

A CSV row parses into a few short strings, not a tree of objects, so CSV limits are wider:
they must let through the platform's own big jobs (a million-row legacy import of reports).

The real Móng Cái files are far below them (17 wards, ~2,000 vertices); the whole of Vietnam's
10,600 wards at full resolution would be split by province anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_FEATURES = 500_000
DEFAULT_MAX_VERTICES = 2_000_000
DEFAULT_MAX_ROWS = 5_000_000
DEFAULT_MAX_CSV_BYTES = 1024 * 1024 * 1024
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
    max_rows: int = DEFAULT_MAX_ROWS
    max_csv_bytes: int = DEFAULT_MAX_CSV_BYTES

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            max_bytes=int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)),
            max_features=int(getattr(settings, "IMPORT_MAX_FEATURES", DEFAULT_MAX_FEATURES)),
            max_vertices=int(getattr(settings, "IMPORT_MAX_VERTICES", DEFAULT_MAX_VERTICES)),
            max_rows=int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)),
            max_csv_bytes=int(getattr(settings, "IMPORT_MAX_CSV_BYTES", DEFAULT_MAX_CSV_BYTES)),
        )


def check_file_size(path: Path, limits: ImportLimits | None = None) -> int:
    """The file's size in bytes; ImportTooLarge when above IMPORT_MAX_BYTES."""
    limits = limits or ImportLimits.from_settings()
    return _size_within(path, limits.max_bytes, "IMPORT_MAX_BYTES")


def _size_within(path: Path, limit: int, setting: str) -> int:
    """The file's size in bytes; ImportTooLarge, naming `setting`, when above `limit`."""
    size = path.stat().st_size if path.is_file() else 0
    if size > limit:
        raise ImportTooLarge(
            f"the file is {size:,} bytes, more than the limit of {limit:,} "
            f"(setting {setting}); split it or raise the limit"
        )
    return size


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


def check_text_rows(path: Path, limits: ImportLimits | None = None) -> int:
    """Rows (lines) of a CSV, counted in chunks; ImportTooLarge above IMPORT_MAX_ROWS or
    IMPORT_MAX_CSV_BYTES."""
    limits = limits or ImportLimits.from_settings()
    _size_within(path, limits.max_csv_bytes, "IMPORT_MAX_CSV_BYTES")
    rows = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            rows += chunk.count(b"\n")
            if rows > limits.max_rows + 1:  # + the header
                raise ImportTooLarge(
                    f"more than {limits.max_rows:,} rows (setting IMPORT_MAX_ROWS); split the file"
                )
    return rows
