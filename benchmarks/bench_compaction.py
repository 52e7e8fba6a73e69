"""The report cells' upkeep (issue 15): the hourly compaction after an hour of staff changes,
and one fold batch of new reports, beside a plain count of the cell tables (the floor of any
pass over them, which the compaction did every hour before it read only the keys written).

At 10M reports the cell tables hold some 100 million rows: what the upkeep costs must grow
with the changes, not with the history. Both measurements leave the data as it was: the
changes are put back, and the fold runs in a transaction that is rolled back.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import defaultdict

import bench_db  # sets up Django on the benchmark database

bench_db.setup()

from bench_lifecycle import ensure_reports  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from gis_core.models import Report  # noqa: E402
from layers import report_cells  # noqa: E402
from layers.report_cells import (  # noqa: E402
    CELL_EXPRESSIONS,
    CELL_LEVELS,
    COMPACTED,
    FOLD_BATCH_IDS,
    TOTAL_LEVELS,
    compact_report_cells,
    fold_pending,
)

# An hour of a province's staff at a busy time: status changes of reports (each moves a
# report between two cells of every level, so each writes delta rows to the cell tables).
CHANGES = 1_000


@contextlib.contextmanager
def phase_times():
    """Seconds spent in the compaction's steps (per table, then the VACUUM), by wrapping the
    module's functions for the benchmark's process."""
    spent: dict[str, float] = defaultdict(float)
    compact, vacuum = report_cells._compact, report_cells._vacuum

    def timed_compact(cursor, table, *args):
        start = time.perf_counter()
        try:
            return compact(cursor, table, *args)
        finally:
            spent[f"group {table}"] += time.perf_counter() - start

    def timed_vacuum(**kwargs):
        start = time.perf_counter()
        try:
            return vacuum(**kwargs)
        finally:
            spent["vacuum"] += time.perf_counter() - start

    report_cells._compact, report_cells._vacuum = timed_compact, timed_vacuum
    try:
        yield spent
    finally:
        report_cells._compact, report_cells._vacuum = compact, vacuum


YEAR_EXPRESSIONS = CELL_EXPRESSIONS.replace("date_trunc('month'", "date_trunc('year'")


def direct_insert_cells(cursor, where: str, params: list) -> int:
    """The fold before the staged one (layers.report_cells._insert_cells): three aggregates
    straight from the reports, every level's cell and month computed per report."""
    # Raw: the baseline's own SQL, as it stood in layers/report_cells.py.
    cursor.execute(
        f"""
        INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
        SELECT l.level, {CELL_EXPRESSIONS}, r.category_id, r.status, r.ward_id, count(*)
        FROM gis_core_report r CROSS JOIN unnest(%s::int[]) AS l(level)
        WHERE {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        """,  # noqa: S608 - `where` is a constant of report_cells
        [list(CELL_LEVELS), *params],
    )
    rows = cursor.rowcount
    for table, period, expressions in (
        ("layers_reportcelltotal", "month", CELL_EXPRESSIONS),
        ("layers_reportcellyear", "year", YEAR_EXPRESSIONS),
    ):
        cursor.execute(
            f"""
            INSERT INTO {table} (level, cx, cy, {period}, n)
            SELECT l.level, {expressions}, count(*)
            FROM gis_core_report r CROSS JOIN unnest(%s::int[]) AS l(level)
            WHERE {where}
            GROUP BY 1, 2, 3, 4
            """,  # noqa: S608 - constants
            [list(TOTAL_LEVELS), *params],
        )
        rows += cursor.rowcount
    return rows


@contextlib.contextmanager
def direct_fold():
    """fold_pending with the baseline's inserts, for one batch."""
    staged = report_cells._insert_cells
    report_cells._insert_cells = direct_insert_cells
    try:
        yield
    finally:
        report_cells._insert_cells = staged


def fold_once() -> tuple[int, float]:
    """One fold batch into the full tables, rolled back: the folded id moved back by a batch."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE layers_reportcellstate SET folded_id = folded_id - %s WHERE id = 1",
                [FOLD_BATCH_IDS],
            )
        start = time.perf_counter()
        folded = fold_pending(batch_ids=FOLD_BATCH_IDS)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return folded, seconds


def count_keys(cursor, table: str, key: tuple[str, ...], *, sort: bool) -> tuple[int, float]:
    """The first compaction's grouping (how many keys it would fold), and its seconds: as
    report_cells does it (the covering index in key order), or (`sort`) as it was, the
    planner's free choice over the table's rows up to the bounds (a parallel sort or hash)."""
    columns = ", ".join(key)
    # Raw: the baseline is the grouping statement as report_cells._compact's first run had it.
    old = f"""SELECT {columns} FROM {table} WHERE id <= (SELECT max(id) FROM {table})
        GROUP BY {columns} HAVING count(*) > 1 OR sum(n) = 0"""  # noqa: S608 - constants
    keys = old if sort else report_cells.first_run_keys_sql(table, key)
    with transaction.atomic():
        plan = contextlib.nullcontext() if sort else report_cells.keys_in_index_order(cursor)
        with plan:
            start = time.perf_counter()
            cursor.execute(f"SELECT count(*) FROM ({keys}) k")  # noqa: S608
            return cursor.fetchone()[0], time.perf_counter() - start


def first_compaction() -> None:
    """The cells as a big import leaves them, then the first compaction: every cell row
    dropped and the reports folded again in the import's batches (keys repeat across
    batches), the grouping timed both ways, then compact_report_cells. Rebuilds the cells
    (about half an hour at 10M), so only on request: `bench_compaction.py --first`."""
    ensure_reports()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE gis_core_report IN SHARE MODE")
        cursor.execute("TRUNCATE " + ", ".join(table for table, *_ in COMPACTED))
        cursor.execute(
            "UPDATE layers_reportcellstate SET folded_id = 0, compacted_cell_id = 0,"
            " compacted_total_id = 0, compacted_year_id = 0 WHERE id = 1"
        )
    start = time.perf_counter()
    folded = report_cells.fold_all_pending()
    fold_s = time.perf_counter() - start
    print(f"folded {folded:,} reports in batches of {FOLD_BATCH_IDS:,}: {fold_s:.0f} s", flush=True)
    with connection.cursor() as cursor:
        for table, key, _ in COMPACTED:
            keys, index_s = count_keys(cursor, table, key, sort=False)
            same, sort_s = count_keys(cursor, table, key, sort=True)
            assert keys == same, (table, keys, same)
            print(
                f"  first grouping of {table}: {keys:,} keys to fold, in index order "
                f"{index_s:.1f} s | baseline: sorted {sort_s:.1f} s ({index_s / sort_s:.2f}x)",
                flush=True,
            )
    with phase_times() as phases:
        start = time.perf_counter()
        replaced, written = compact_report_cells()
        compact_s = time.perf_counter() - start
    bench_db.figure("first compaction after an import", compact_s, "s")
    print(
        f"first compaction after folding {folded:,} reports: {compact_s:.0f} s ({replaced:,} rows "
        f"into {written:,}); "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
    )


def main() -> None:
    if "--first" in sys.argv:
        first_compaction()
        return
    ensure_reports()
    start = time.perf_counter()
    compact_report_cells()  # the state an hourly run finds: everything before compacted
    print(f"first compaction (to the steady state): {time.perf_counter() - start:.1f} s")
    # Reports spread over the table (old and new), the way staff touch them: a sample of
    # pages (raw: TABLESAMPLE has no ORM form).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'gis_core_report'")
        share = min(100.0, 300.0 * CHANGES / max(1.0, cursor.fetchone()[0]))
        cursor.execute(
            "SELECT id, status FROM gis_core_report TABLESAMPLE SYSTEM (%s) REPEATABLE (7)"
            " LIMIT %s",
            [share, CHANGES],
        )
        ids = cursor.fetchall()
    for i in range(0, len(ids), 50):
        with transaction.atomic():
            for pk, status in ids[i : i + 50]:
                Report.objects.filter(pk=pk).update(
                    status="resolved" if status != "resolved" else "in_progress"
                )
    with phase_times() as phases:
        start = time.perf_counter()
        replaced, written = compact_report_cells()
        compact_ms = (time.perf_counter() - start) * 1000
    for i in range(0, len(ids), 500):  # the changes put back (and compacted off the clock)
        with transaction.atomic():
            for pk, status in ids[i : i + 500]:
                Report.objects.filter(pk=pk).update(status=status)
    compact_report_cells()

    with connection.cursor() as cursor:
        start = time.perf_counter()
        rows = 0
        for table, *_ in COMPACTED:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant names
            rows += cursor.fetchone()[0]
        count_ms = (time.perf_counter() - start) * 1000

    # Interleaved, twice each (the first pass of a round warms the pages the second reads).
    staged_s, direct_s = [], []
    for _round in range(2):
        with direct_fold():
            folded, seconds = fold_once()
        direct_s.append(seconds)
        folded, seconds = fold_once()
        staged_s.append(seconds)
    fold_s, base_s = min(staged_s), min(direct_s)

    bench_db.figure("compaction after 1,000 changes", compact_ms, "ms")
    bench_db.figure("fold of one 250,000-id batch", folded / fold_s, "rows/s")
    print(
        f"compaction after {len(ids):,} status changes: {compact_ms:.0f} ms ({replaced:,} rows "
        f"into {written:,}) | baseline: counting the cell tables' {rows:,} rows {count_ms:.0f} ms "
        f"({compact_ms / count_ms:.2f}x)"
    )
    print(
        "  where the compaction's time went: "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
    )
    print(
        f"fold of {folded:,} reports (one batch, rolled back, best of 2): {fold_s:.2f} s, "
        f"{folded / fold_s:,.0f} rows/s | baseline: the direct fold (three aggregates from the "
        f"reports), same batch: {base_s:.2f} s, {folded / base_s:,.0f} rows/s | ratio "
        f"{fold_s / base_s:.2f}x"
    )


if __name__ == "__main__":
    main()
