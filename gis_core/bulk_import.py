"""Loads many reports at once: wards assigned in process, rows streamed with COPY.

The insert trigger would decide each row's ward with one index lookup per row; for a
migration of a million legacy reports the in-process assigner (ward_boundaries.bulk, tested
to agree with the trigger point for point) does the same work in a fraction of a second,
and the rows go in through COPY with `hientruong.bulk_assigned` set for this transaction
only, which makes the trigger's WHEN clause skip it.
"""

from __future__ import annotations

import io
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np
import pandas as pd
import shapely
from django.db import IntegrityError, connection, transaction

from common.field_crypto import encrypt_many, phone_hash
from common.local_time import LOCAL_TIME_ZONE
from common.srid import WGS84
from gis_core.models import Category
from gis_core.signals import reports_written
from ward_boundaries.bulk import MATCH_NAMES, BulkAssignment, BulkWardAssigner
from ward_boundaries.distance_rule import far_from_wards_message, points_near_wards

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
    "contact_phone_hash",
    "reference_month",
    "reference_number",
    "priority",
)


class _CountingReader(io.RawIOBase):
    """Reads the renderer's pipe for COPY, counting rows for the progress bar."""

    def __init__(self, raw, progress: Callable[[int], object] | None):
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._progress and data:
            self._progress(data.count(b"\n"))
        return data


def copy_from(cursor, sql: str, reader, size: int = 1 << 20) -> None:
    """COPY ... FROM STDIN fed from `reader`, under psycopg 3 (cursor.copy, the driver Django
    picks when it is installed, as procrastinate requires) or psycopg2 (copy_expert)."""
    if hasattr(cursor, "copy_expert"):
        cursor.copy_expert(sql, reader, size)
        return
    with cursor.copy(sql) as copy:
        while data := reader.read(size):
            copy.write(data)


def render_copy_rows(
    frame: pd.DataFrame, assignment: BulkAssignment | None, *, source: str
) -> pd.DataFrame:
    """Rows in COPY_COLUMNS order: hex EWKB points (cheap for the server to parse), UTC times.

    With `assignment` None the ward columns are empty (the benchmark's plain-COPY baseline
    renders the same rows this way). References come from the frame's `reference_month` and
    `reference_number` columns when it has them (reports_bulk_insert adds them), else empty.
    """
    points = shapely.points(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    utc = frame["reported_at"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    if assignment is None:
        ward_id = pd.array([None] * len(frame), dtype="Int64")
        match = np.full(len(frame), "outside", dtype=object)
        distance = np.full(len(frame), np.nan)
    else:
        ward_id = pd.array(
            # None marks no ward (an object array); the stubs take numbers only.
            np.where(assignment.ward_id >= 0, assignment.ward_id, None),  # type: ignore[call-overload]
            dtype="Int64",
        )
        match = pd.Series(assignment.match).map(MATCH_NAMES).to_numpy()
        distance = assignment.distance_m
    return pd.DataFrame(
        {
            "category_id": frame["category_id"].to_numpy(),
            "description": frame["description"].to_numpy(),
            "location": shapely.to_wkb(
                shapely.set_srid(points, WGS84), hex=True, include_srid=True
            ),
            "ward_id": ward_id,
            "ward_match": match,
            "ward_distance_m": distance,
            "status": frame["status"].to_numpy(),
            "source": source,
            "reported_at": np.char.add(
                np.datetime_as_string(utc.astype("datetime64[us]"), unit="us"), "+00"
            ),
            "idempotency_key": frame["idempotency_key"].replace("", None).to_numpy(),
            # Encrypted at rest like the model fields (common.field_crypto); in the forked
            # renderer above fork_above rows, so beside COPY rather than before it.
            "contact_name": encrypt_many(frame["contact_name"]),
            "contact_phone": encrypt_many(frame["contact_phone"]),
            "contact_email": encrypt_many(frame["contact_email"]),
            "contact_phone_hash": [phone_hash(p) for p in frame["contact_phone"]],
            "reference_month": _int_column(frame, "reference_month"),
            "reference_number": _int_column(frame, "reference_number"),
            # The category's default (reports_bulk_insert adds it): the insert trigger that
            # sets it elsewhere may be switched off here.
            "priority": frame["priority"].to_numpy() if "priority" in frame else "normal",
        }
    )


def _int_column(frame: pd.DataFrame, name: str):
    if name in frame:
        return frame[name].to_numpy()
    return pd.array([None] * len(frame), dtype="Int64")


def reserve_references(cursor, local_time: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(YYYYMM, number) per row from the months' sequences (gis_core 0016), numbered in time
    order within each month, as the insert trigger would have numbered them one by one."""
    months = (local_time.dt.year * 100 + local_time.dt.month).to_numpy(dtype=np.int64)
    numbers = np.zeros(len(months), dtype=np.int64)
    order = np.lexsort((local_time.to_numpy(), months))
    sorted_months = months[order]
    bounds = np.flatnonzero(np.diff(sorted_months)) + 1
    for start, stop in zip(
        np.concatenate(([0], bounds)), np.concatenate((bounds, [len(order)])), strict=True
    ):
        month, count = int(sorted_months[start]), int(stop - start)
        # Raw because the numbers come from the month's sequence. With nobody else inserting
        # into that month meanwhile (the usual case) they are one run and only its ends
        # travel; interleaved with live submissions, a second block is taken and sent whole
        # (the first one's numbers stay unused: references are unique, not gapless).
        cursor.execute(
            "SELECT min(n), max(n) FROM ht_report_reference_block(%s, %s) n", [month, count]
        )
        low, high = cursor.fetchone()
        if high - low + 1 == count:
            block = np.arange(low, high + 1, dtype=np.int64)
        else:
            cursor.execute(
                "SELECT array_agg(n ORDER BY n) FROM ht_report_reference_block(%s, %s) n",
                [month, count],
            )
            block = np.asarray(cursor.fetchone()[0], dtype=np.int64)
        numbers[order[start:stop]] = block
    return months, numbers


def _render_csv(
    out, frame: pd.DataFrame, assignment: BulkAssignment | None, *, source: str, chunk_rows: int
) -> None:
    for start in range(0, len(frame), chunk_rows):
        stop = start + chunk_rows
        part_assignment = (
            BulkAssignment(
                ward_id=assignment.ward_id[start:stop],
                match=assignment.match[start:stop],
                distance_m=assignment.distance_m[start:stop],
            )
            if assignment is not None
            else None
        )
        render_copy_rows(frame.iloc[start:stop], part_assignment, source=source).to_csv(
            out, header=False, index=False, na_rep=""
        )


COPY_SQL = (
    f"COPY gis_core_report ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, "
    "FORCE_NOT_NULL (description, contact_name, contact_phone, contact_email, "
    "contact_phone_hash))"
)


def copy_rows(
    cursor,
    frame: pd.DataFrame,
    assignment: BulkAssignment | None,
    *,
    sql: str = COPY_SQL,
    source: str = "import",
    chunk_rows: int = 50_000,
    fork_above: int = 100_000,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Streams the rendered rows into COPY; returns the number of rows copied.

    Above `fork_above` rows a forked child renders the CSV into a pipe while this process
    feeds COPY: rendering (pandas, holding the GIL) then runs on one core while PostgreSQL
    parses and indexes on the other, so the import runs at nearly plain-COPY speed.
    """
    if len(frame) <= fork_above or not hasattr(os, "fork"):
        buffer = io.StringIO()
        _render_csv(buffer, frame, assignment, source=source, chunk_rows=chunk_rows)
        buffer.seek(0)
        copy_from(cursor, sql, buffer)
        if progress:
            progress(len(frame))
        return cursor.rowcount
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: render only; never touch the inherited database connection
        code = 0
        try:
            os.close(read_fd)
            with open(write_fd, "w", encoding="utf-8", buffering=1 << 20) as out:
                _render_csv(out, frame, assignment, source=source, chunk_rows=chunk_rows)
        except BrokenPipeError:
            code = 2  # COPY stopped reading (it failed); the parent reports why
        except BaseException:  # noqa: BLE001 - report, then leave without cleanup handlers
            traceback.print_exc()
            code = 1
        os._exit(code)
    os.close(write_fd)
    try:
        with open(read_fd, "rb", buffering=0) as pipe:
            copy_from(cursor, sql, _CountingReader(pipe, progress))
            copied = cursor.rowcount
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        # A partial stream must not land: raising here rolls back the caller's transaction.
        raise RuntimeError("rendering the COPY stream failed; nothing was imported")
    return copied


def stored_key_ids(keys: list[str], *, within: tuple[str, str] | None = None) -> dict[str, int]:
    """Which of `keys` are already stored among imports, with the id of the report holding
    each. Imported rows have the empty idempotency scope (gis_core.idempotency), which also
    leads the unique index, so every question is an index range scan.

    `within` (low, high) looks up only the keys in that range (compared by the database, in
    the index's collation), the range of the keys stored before an import began.
    """
    keys = [k for k in keys if k]
    found: dict[str, int] = {}
    if not keys:
        return found
    with connection.cursor() as cursor:
        if within is not None:
            cursor.execute(
                "SELECT r.idempotency_key, r.id FROM unnest(%s::text[]) AS u(k) "
                "JOIN gis_core_report r ON r.idempotency_scope = '' AND r.idempotency_key = u.k "
                "WHERE u.k BETWEEN %s AND %s",
                [keys, *within],
            )
            found.update(cursor.fetchall())
            return found
        # Cheap first question on the unique index: is anything stored in the keys' range?
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM gis_core_report "
            "WHERE idempotency_scope = '' AND idempotency_key >= %s AND idempotency_key <= %s)",
            [min(keys), max(keys)],
        )
        if not cursor.fetchone()[0]:
            return found
        for start in range(0, len(keys), 50_000):
            cursor.execute(
                "SELECT idempotency_key, id FROM gis_core_report "
                "WHERE idempotency_scope = '' AND idempotency_key = ANY(%s)",
                [keys[start : start + 50_000]],
            )
            found.update(cursor.fetchall())
    return found


def existing_keys(keys: list[str]) -> set[str]:
    """Which of `keys` are already stored (a re-run of the same import skips them)."""
    return set(stored_key_ids(keys))


def _check_references_once(cursor, category_ids, ward_ids: np.ndarray) -> None:
    """Checks the foreign keys once per distinct value instead of once per row.

    A million-row COPY spends about a third of its time in the per-row foreign-key triggers
    (two lookups per row for 11 categories and a few dozen wards). Here the referenced rows
    are locked FOR KEY SHARE, exactly as those triggers would, so none can be deleted before
    this transaction commits, and a missing one fails the import; then, when the role may
    (superuser, as on the embedded cluster), `session_replication_role = replica` switches
    the per-row triggers off for this transaction only.
    """
    wards = sorted({int(w) for w in np.unique(ward_ids) if w >= 0})
    categories = sorted(int(c) for c in category_ids)
    for table, ids in (("gis_core_category", categories), ("ward_boundaries_ward", wards)):
        # Raw because FOR KEY SHARE over a set of ids is the foreign-key check itself.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s) FOR KEY SHARE) t",  # noqa: S608
            [ids],
        )
        if cursor.fetchone()[0] != len(ids):
            raise ValueError(f"{table}: a referenced row disappeared during the import.")
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


def _default_priorities() -> dict[int, str]:
    """Category id → the priority its new reports start with (gis_core 0029)."""
    return dict(Category.objects.values_list("id", "default_priority"))


def reports_bulk_insert(
    frame: pd.DataFrame,
    *,
    source: str = "import",
    chunk_rows: int = 50_000,
    progress: Callable[[int], object] | None = None,
    assigner: BulkWardAssigner | None = None,
    fork_above: int = 100_000,
    keys_checked: bool = False,
) -> int:
    """Inserts validated rows (etl.reports.ReportBatch.frame) in one transaction.

    Returns the number of rows inserted; rows whose idempotency key is already stored are
    left out, so re-running an import does not duplicate (`keys_checked`: the caller has
    left them out already, as StreamedReportImport does).
    """
    if len(frame) == 0:
        return 0
    # In time order: each month's references (and the time indexes) then grow with the row
    # ids, so the unique reference index and the time indexes are appended to, not inserted
    # into at random; a legacy file comes in any order.
    frame = frame.sort_values("reported_at", kind="stable").reset_index(drop=True)
    if not keys_checked:
        already = existing_keys(frame["idempotency_key"].tolist())
        if already:
            frame = frame[~frame["idempotency_key"].isin(already)].reset_index(drop=True)
            if len(frame) == 0:
                return 0

    local_day = frame["reported_at"].dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
    day = local_day.to_numpy().astype("datetime64[D]")
    assignment = (assigner or BulkWardAssigner.from_database()).assign(
        frame["lon"].to_numpy(), frame["lat"].to_numpy(), day
    )

    with transaction.atomic(), connection.cursor() as cursor:
        # Raw because COPY is the fast path; SET LOCAL confines the trigger skip to this
        # transaction (the wards were decided above by the same rule).
        cursor.execute("SET LOCAL hientruong.bulk_assigned = 'on'")
        _check_references_once(cursor, frame["category_id"].unique(), assignment.ward_id)
        months, numbers = reserve_references(cursor, local_day)
        frame = frame.assign(
            reference_month=months,
            reference_number=numbers,
            priority=frame["category_id"].map(_default_priorities()).fillna("normal"),
        )
        inserted = copy_rows(
            cursor,
            frame,
            assignment,
            source=source,
            chunk_rows=chunk_rows,
            fork_above=fork_above,
            progress=progress,
        )
        # Back to normal for whatever the caller's transaction does next (SET LOCAL would
        # otherwise last until its end).
        cursor.execute("SET LOCAL hientruong.bulk_assigned = 'off'")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        transaction.on_commit(lambda: reports_written.send(sender="bulk_import"))
    return inserted


@dataclass(frozen=True)
class RowRefusal:
    """A row the database's view refuses: its number in the file, the field, why."""

    row: int
    field: str
    message: str


@dataclass
class ChunkResult:
    inserted: int = 0
    already: int = 0  # rows whose key was stored before this import began
    refused: list[RowRefusal] = dataclass_field(default_factory=list)


class StreamedReportImport:
    """One file's validated chunks, inserted as they come inside the caller's transaction,
    so memory holds one chunk whatever the file's length.

    Per chunk, what only the database knows is decided here: a key stored before the import
    began means "already imported" (skipped, as reports_bulk_insert does); a key stored by an
    earlier chunk of this import (an id above the largest id at the start) is a repeated row,
    refused like a repeat within one chunk; a point beyond the distance rule
    (ward_boundaries.distance_rule) is refused with the API's message, on lon and lat.

    Both key questions stay cheap on a fresh import: only keys inside the range of those
    stored at the start are looked up, and a repeat of an earlier chunk is caught by the
    unique index itself (the chunk's savepoint rolls back and the chunk is screened again
    with every key looked up). Each chunk is sorted by time on its own, so references follow
    time order within a chunk (a file written in time order, the usual export, keeps it).
    """

    def __init__(
        self,
        *,
        source: str = "import",
        assigner: BulkWardAssigner | None = None,
        fork_above: int = 50_000,
    ):
        self.source = source
        self.assigner = assigner or BulkWardAssigner.from_database()
        self.fork_above = fork_above
        with connection.cursor() as cursor:
            cursor.execute(
                # The keys' range among imports (the empty scope leads the unique index, so
                # both ends are one index probe each).
                "SELECT (SELECT coalesce(max(id), 0) FROM gis_core_report), "
                "min(idempotency_key), max(idempotency_key) "
                "FROM gis_core_report WHERE idempotency_scope = ''"
            )
            last_id, self.key_low, self.key_high = cursor.fetchone()
            self.first_new_id = int(last_id) + 1

    def screen(
        self, frame: pd.DataFrame, *, every_key: bool = False
    ) -> tuple[pd.DataFrame, ChunkResult]:
        """The rows to insert, and the result so far (already imported, refused rows).

        `every_key` looks up each key, not only those a stored key could equal when the
        import began (repeats of earlier chunks are found then, not by the unique index).
        """
        result = ChunkResult()
        if len(frame) == 0:
            return frame, result
        keys = frame["idempotency_key"].astype(str).tolist()
        if every_key:
            stored = stored_key_ids(keys)
        elif self.key_low is None:  # nothing had a key when the import began
            stored = {}
        else:
            stored = stored_key_ids(keys, within=(self.key_low, self.key_high))
        ids = frame["idempotency_key"].map(stored).fillna(0).to_numpy(dtype=np.int64)
        before = (ids > 0) & (ids < self.first_new_id)
        repeated = ids >= self.first_new_id
        rows, key_values = frame["row"].to_numpy(), frame["idempotency_key"].to_numpy()
        for i in np.flatnonzero(repeated):
            result.refused.append(
                RowRefusal(int(rows[i]), "id", f"{key_values[i]!r} repeats an earlier row.")
            )
        far = np.zeros(len(frame), dtype=bool)
        lon, lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
        # Inside a ward is near by definition; only the rest need the database.
        maybe = np.flatnonzero((self.assigner.assign_inside(lon, lat, None) < 0) & ~before)
        if maybe.size:
            far[maybe] = ~points_near_wards(lon[maybe], lat[maybe])
        if far.any():
            message = far_from_wards_message()
            for i in np.flatnonzero(far & ~repeated):
                result.refused.extend(
                    RowRefusal(int(rows[i]), name, message) for name in ("lon", "lat")
                )
        result.already = int(before.sum())
        keep = ~(before | repeated | far)
        return frame[keep].reset_index(drop=True), result

    def _insert(self, kept: pd.DataFrame, progress: Callable[[int], object] | None) -> int:
        return reports_bulk_insert(
            kept,
            source=self.source,
            progress=progress,
            assigner=self.assigner,
            fork_above=self.fork_above,
            keys_checked=True,
        )

    def add(
        self, frame: pd.DataFrame, progress: Callable[[int], object] | None = None
    ) -> ChunkResult:
        """Screens and inserts one chunk; returns what became of its rows."""
        kept, result = self.screen(frame)
        try:
            result.inserted = self._insert(kept, progress)
        except IntegrityError:
            # A key repeating an earlier chunk's (its savepoint is rolled back): again, with
            # every key looked up, so the repeat is refused by its row number.
            kept, result = self.screen(frame, every_key=True)
            result.inserted = self._insert(kept, progress)
        return result
