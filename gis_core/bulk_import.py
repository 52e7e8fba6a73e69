"""Loads many reports at once: wards assigned in process, rows streamed with COPY.

The insert trigger would decide each row's ward with one index lookup per row; for a
migration of a million legacy reports the in-process assigner (ward_boundaries.bulk, tested
to agree with the trigger point for point) does the same work in a fraction of a second,
and the rows go in through COPY with `hientruong.bulk_assigned` set for this transaction
only, which makes the trigger's WHEN clause skip it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from django.db import connection, transaction

from ward_boundaries.bulk import MATCH_NAMES, BulkWardAssigner

COPY_COLUMNS = (
    "category_id",
    "description",
    "location",
    "ward_id",
    "ward_match",
    "ward_distance_m",
    "status",
    "source",
    "reported_at",
    "idempotency_key",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class _ChunkedCsv(io.TextIOBase):
    """A file-like object that renders CSV chunk by chunk as COPY reads it.

    Rendering the next chunk in Python overlaps with the server parsing the previous one,
    which on a two-core machine hides most of the formatting cost.
    """

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self._buffer = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                break
        if size < 0:
            data, self._buffer = self._buffer, ""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    readline = read


def _csv_chunks(frame: pd.DataFrame, chunk_rows: int, progress: Callable[[int], None] | None):
    for start in range(0, len(frame), chunk_rows):
        part = frame.iloc[start : start + chunk_rows]
        buffer = io.StringIO()
        part.to_csv(buffer, header=False, index=False, columns=list(COPY_COLUMNS), na_rep="")
        yield buffer.getvalue()
        if progress:
            progress(len(part))


def existing_keys(keys: list[str]) -> set[str]:
    """Which of `keys` are already stored (a re-run of the same import skips them)."""
    keys = [k for k in keys if k]
    if not keys:
        return set()
    found: set[str] = set()
    with connection.cursor() as cursor:
        # Cheap first question on the unique index: is anything stored in the keys' range?
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM gis_core_report "
            "WHERE idempotency_key >= %s AND idempotency_key <= %s)",
            [min(keys), max(keys)],
        )
        if not cursor.fetchone()[0]:
            return found
        for start in range(0, len(keys), 50_000):
            cursor.execute(
                "SELECT idempotency_key FROM gis_core_report WHERE idempotency_key = ANY(%s)",
                [keys[start : start + 50_000]],
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def reports_bulk_insert(
    frame: pd.DataFrame,
    *,
    source: str = "import",
    chunk_rows: int = 50_000,
    progress: Callable[[int], None] | None = None,
    assigner: BulkWardAssigner | None = None,
) -> int:
    """Inserts validated rows (etl.reports.ReportBatch.frame) in one transaction.

    Returns the number of rows inserted; rows whose idempotency key is already stored are
    left out, so re-running an import does not duplicate.
    """
    if len(frame) == 0:
        return 0
    frame = frame.reset_index(drop=True)
    keys = frame["idempotency_key"].tolist()
    already = existing_keys(keys)
    if already:
        frame = frame[~frame["idempotency_key"].isin(already)].reset_index(drop=True)
        if len(frame) == 0:
            return 0

    local_day = frame["reported_at"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
    day = local_day.to_numpy().astype("datetime64[D]")
    assignment = (assigner or BulkWardAssigner.from_database()).assign(
        frame["lon"].to_numpy(), frame["lat"].to_numpy(), day
    )

    out = pd.DataFrame(
        {
            "category_id": frame["category_id"].to_numpy(),
            "description": frame["description"].to_numpy(),
            "location": "SRID=4326;POINT("
            + frame["lon"].astype(str)
            + " "
            + frame["lat"].astype(str)
            + ")",
            "ward_id": pd.array(np.where(assignment.ward_id >= 0, assignment.ward_id, None), dtype="Int64"),
            "ward_match": pd.Series(assignment.match).map(MATCH_NAMES).to_numpy(),
            "ward_distance_m": assignment.distance_m,
            "status": frame["status"].to_numpy(),
            "source": source,
            "reported_at": frame["reported_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d %H:%M:%S.%f+00"),
            "idempotency_key": frame["idempotency_key"].replace("", None).to_numpy(),
            "contact_name": frame["contact_name"].to_numpy(),
            "contact_phone": frame["contact_phone"].to_numpy(),
            "contact_email": frame["contact_email"].to_numpy(),
        }
    )
    stream = _ChunkedCsv(_csv_chunks(out, chunk_rows, progress))
    with transaction.atomic(), connection.cursor() as cursor:
        # Raw because COPY is the fast path; SET LOCAL confines the trigger skip to this
        # transaction (the wards were decided above by the same rule).
        cursor.execute("SET LOCAL hientruong.bulk_assigned = 'on'")
        cursor.copy_expert(
            f"COPY gis_core_report ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL "  # noqa: S608 - constant columns
            "(description, contact_name, contact_phone, contact_email))",
            stream,
            1 << 20,
        )
        inserted = cursor.rowcount
        cursor.execute("SET LOCAL hientruong.bulk_assigned = 'off'")
    return inserted
