"""Report counts per grid cell, summed from the pre-aggregated layers_reportcell table.

A heatmap of the whole city or a busy vector tile needs the number of reports per small cell,
not the reports. Summing a million points takes about half a second; summing the stored
per-cell, per-month counts takes a tenth of that. Periods that do not start or end on a month
boundary take their whole months from the table and the days at either edge from the report
table itself, and reports not yet folded into the cells (id above the folded id) are counted
from the report table too, so every answer is exact, equal to counting the reports (tested).

Cells are square in degrees: at level g a cell is 360 / 2**g degrees, so a cell at level g
is about 8 screen pixels at map zoom g - 5. Levels nest: a cell at g is the cells at g + k
shifted right by k bits, which is how the odd levels come from the stored even ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction

from common.db_routing import read_connection
from common.local_time import LOCAL_TIME_ZONE, local_midnight

# The triggers (layers migrations) write the same levels: tests/db/test_sql_constants.py.
CELL_LEVELS = (13, 15, 17, 19)
TOTAL_LEVELS = tuple(range(11, 20))  # layers_reportcelltotal: every level 11-19
FINEST_LEVEL = CELL_LEVELS[-1]

# Readers fold the pending reports in first when more than this many are waiting (cron's
# compact_report_cells normally keeps the number small).
AUTO_FOLD_PENDING = 20_000
# How long a reader waits for the SHARE lock before answering without folding. Autovacuum
# holds a conflicting lock and is cancelled only after deadlock_timeout (1 s), so a reader
# may give up while it runs; the next reader or compact_report_cells folds instead.
READER_LOCK_TIMEOUT_MS = 200
# No state row (a flushed test database) means nothing is folded yet.
FOLDED_ID = "coalesce((SELECT folded_id FROM layers_reportcellstate WHERE id = 1), 0)"

CELL_KEY = ("level", "cx", "cy", "month", "category_id", "status", "ward_id")
TOTAL_KEY = ("level", "cx", "cy", "month")
YEAR_KEY = ("level", "cx", "cy", "year")
NULLABLE_KEYS = ("ward_id",)  # a report outside every ward


def cell_size(level: int) -> float:
    """Degrees per cell side at `level` (exact: 360 over a power of two)."""
    return 360.0 / (1 << level)


@dataclass(frozen=True)
class CellFilters:
    """The report filters the cell table can answer (the public report filters)."""

    category_id: int | None = None
    status: str | None = None
    ward_ids: tuple[int, ...] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


DayRange = tuple[dt.date | None, dt.date | None]


def split_period(
    since: dt.date | None, until: dt.date | None
) -> tuple[DayRange | None, list[DayRange]]:
    """Splits [since, until] (local days, inclusive) into whole months and edge day ranges.

    Returns ((first month, end month exclusive) or None, [(first day, end day exclusive)...]);
    None in a bound means open. The edge ranges are counted from the reports themselves.
    """
    end = until + dt.timedelta(days=1) if until else None  # exclusive
    first_full = None
    if since is not None:
        first_full = since if since.day == 1 else _next_month(_month_start(since))
    last_full = _month_start(end) if end is not None else None  # exclusive
    if first_full is not None and last_full is not None and first_full >= last_full:
        return None, [(since, end)]  # no whole month inside: all days from the reports
    edges: list[DayRange] = []
    if since is not None and first_full != since:
        edges.append((since, first_full))
    if end is not None and last_full != end:
        edges.append((last_full, end))
    return (first_full, last_full), edges


def split_years(months: DayRange) -> tuple[DayRange | None, list[DayRange]]:
    """Splits whole months [first, end) into whole local years and the months either side:
    ((first year, end year exclusive) or None, [(first month, end month exclusive)...]);
    None in a bound means open, and an open end takes the current year whole."""
    first, end = months
    first_year = first if first is None or first.month == 1 else dt.date(first.year + 1, 1, 1)
    end_year = end if end is None or end.month == 1 else dt.date(end.year, 1, 1)
    if first_year is not None and end_year is not None and first_year >= end_year:
        return None, [months]
    rest: list[DayRange] = []
    if first is not None and first_year != first:
        rest.append((first, first_year))
    if end is not None and end_year != end:
        rest.append((end_year, end))
    return (first_year, end_year), rest


def stored_level(level: int, levels: tuple[int, ...] = CELL_LEVELS) -> int | None:
    """The stored level that answers `level`: the coarsest stored one at least as fine."""
    for stored in levels:
        if stored >= level:
            return stored
    return None


def coarsest_stored_level(filters: CellFilters) -> int:
    """The coarsest level the table answering `filters` stores (coarser ones are shifted)."""
    return TOTAL_LEVELS[0] if uses_totals(filters) else CELL_LEVELS[0]


def uses_totals(filters: CellFilters) -> bool:
    """Unfiltered by category, status and ward: the smaller totals table answers."""
    return filters.category_id is None and filters.status is None and filters.ward_ids is None


# A bbox spanning fewer columns of cells than this reads each column as its own index range.
MAX_LISTED_COLUMNS = 4096


def cell_counts_sql(level: int, filters: CellFilters) -> tuple[str, dict]:
    """SQL (and its parameters) giving (cx, cy, n) rows at `level` for the filtered reports.

    Only for level <= FINEST_LEVEL. A bbox selects whole cells at the stored level that
    touch it, and the edge days select the reports in those same cells, so both parts agree.
    """
    totals = uses_totals(filters)
    stored = stored_level(level, TOTAL_LEVELS if totals else CELL_LEVELS)
    if stored is None:
        raise ValueError(f"level {level} is finer than the finest stored level {FINEST_LEVEL}")
    table = "layers_reportcelltotal" if totals else "layers_reportcell"
    months, edges = split_period(filters.since, filters.until)
    params: dict = {
        "level": level,
        "stored": stored,
        "shift": stored - level,
        "size": cell_size(level),
        "stored_size": cell_size(stored),
        "category": filters.category_id,
        "status": filters.status,
        "wards": list(filters.ward_ids) if filters.ward_ids is not None else None,
    }
    cell_where = ["level = %(stored)s"]
    if not totals:
        cell_where += [
            "(%(category)s::int IS NULL OR category_id = %(category)s::int)",
            "(%(status)s::text IS NULL OR status = %(status)s::text)",
            "(%(wards)s::bigint[] IS NULL OR ward_id = ANY(%(wards)s::bigint[]))",
        ]
    report_where = [
        "(%(category)s::int IS NULL OR r.category_id = %(category)s::int)",
        "(%(status)s::text IS NULL OR r.status = %(status)s::text)",
        "(%(wards)s::bigint[] IS NULL OR r.ward_id = ANY(%(wards)s::bigint[]))",
    ]
    if filters.bbox is not None:
        minx, miny, maxx, maxy = filters.bbox
        size = cell_size(stored)
        params.update(
            x0=int(minx // size), y0=int(miny // size), x1=int(maxx // size), y1=int(maxy // size)
        )
        if params["x1"] - params["x0"] < MAX_LISTED_COLUMNS:
            # Each column of cells its own index range: with BETWEEN on cx the index walks
            # every cell of those columns the length of the country (Móng Cái's longitudes
            # cross central Vietnam) and filters cy.
            params["xs"] = list(range(params["x0"], params["x1"] + 1))
            cell_where.append("cx = ANY(%(xs)s::int[]) AND cy BETWEEN %(y0)s AND %(y1)s")
        else:
            cell_where.append("cx BETWEEN %(x0)s AND %(x1)s AND cy BETWEEN %(y0)s AND %(y1)s")
        # Whole stored cells, so the edge days count exactly what the cell rows count.
        params.update(
            ex0=params["x0"] * size,
            ey0=params["y0"] * size,
            ex1=(params["x1"] + 1) * size,
            ey1=(params["y1"] + 1) * size,
        )
        report_where.append(
            "r.location && ST_MakeEnvelope(%(ex0)s, %(ey0)s, %(ex1)s, %(ey1)s, 4326)"
            " AND floor(ST_X(r.location) / %(stored_size)s::float8) BETWEEN %(x0)s AND %(x1)s"
            " AND floor(ST_Y(r.location) / %(stored_size)s::float8) BETWEEN %(y0)s AND %(y1)s"
        )
    parts = []
    if months is not None:
        # Whole years of an unfiltered view from the yearly table, the rest by month.
        years, month_ranges = split_years(months) if totals else (None, [months])
        for i, (first, end) in enumerate(month_ranges):
            parts.append(_stored_part(table, "month", f"m{i}", first, end, cell_where, params))
        if years is not None:
            parts.append(
                _stored_part("layers_reportcellyear", "year", "y", *years, cell_where, params)
            )
    if months is not None:
        # Reports not folded yet, in the whole months (the edge days count every report).
        # The literal lets the planner see how few ids lie above it (an index range); the
        # subquery, read in this statement's snapshot, wins if a fold moved it since.
        params["folded"] = folded_id()
        pending = [f"r.id > %(folded)s AND r.id > {FOLDED_ID}", *report_where]
        if months[0] is not None:
            pending.append("r.reported_at >= %(p0)s")
            params["p0"] = local_midnight(months[0])
        if months[1] is not None:
            pending.append("r.reported_at < %(p1)s")
            params["p1"] = local_midnight(months[1])
        parts.append(
            "SELECT floor(ST_X(r.location) / %(size)s::float8)::int AS cx,"  # noqa: S608
            " floor(ST_Y(r.location) / %(size)s::float8)::int AS cy, 1 AS n"
            f" FROM gis_core_report r WHERE {' AND '.join(pending)}"
        )
    if edges:
        ranges = []
        for i, (start, end) in enumerate(edges):
            bounds = []
            if start is not None:
                params[f"e{i}a"] = local_midnight(start)
                bounds.append(f"r.reported_at >= %(e{i}a)s")
            if end is not None:
                params[f"e{i}b"] = local_midnight(end)
                bounds.append(f"r.reported_at < %(e{i}b)s")
            ranges.append("(" + " AND ".join(bounds) + ")")
        parts.append(
            "SELECT floor(ST_X(r.location) / %(size)s::float8)::int AS cx,"  # noqa: S608
            " floor(ST_Y(r.location) / %(size)s::float8)::int AS cy, 1 AS n"
            " FROM gis_core_report r "
            f"WHERE ({' OR '.join(ranges)}) AND {' AND '.join(report_where)}"
        )
    sql = (
        "SELECT cx, cy, sum(n)::int AS n FROM ("  # noqa: S608 - joins the fragments above
        + " UNION ALL ".join(parts)
        + ") AS parts GROUP BY cx, cy HAVING sum(n) > 0"
    )
    return sql, params


def _stored_part(
    table: str, column: str, name: str, first, end, where: list[str], params: dict
) -> str:
    """SELECT of a stored table's cells with `column` in [first, end) (None: open)."""
    bounds = list(where)
    if first is not None:
        params[f"{name}a"] = first
        bounds.append(f"{column} >= %({name}a)s")
    if end is not None:
        params[f"{name}b"] = end
        bounds.append(f"{column} < %({name}b)s")
    # Constant fragments joined; every value is a parameter.
    return (
        f"SELECT cx >> %(shift)s AS cx, cy >> %(shift)s AS cy, n FROM {table} "  # noqa: S608
        f"WHERE {' AND '.join(bounds)}"
    )


def cell_counts(level: int, filters: CellFilters, limit: int | None = None) -> list[tuple]:
    """[(cx, cy, n)] at `level` for the filtered reports, at most `limit` + 1 rows."""
    sql, params = cell_counts_sql(level, filters)
    if limit is not None:
        sql += " LIMIT %(limit)s"
        params["limit"] = limit + 1
    # Raw because the sum spans the cell table and the report table's edge days in one
    # statement, with cell arithmetic Django's ORM cannot express on an index.
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The cell of a report at level l.level and its local month: the triggers' expressions
# (layers migrations), checked against these constants by tests/test_sql_constants.py.
CELL_EXPRESSIONS = f"""
    floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
    floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
    date_trunc('month', r.reported_at AT TIME ZONE '{LOCAL_TIME_ZONE}')::date"""


# The finest level's cell of a report and its month, as three named columns: every coarser
# cell is the finest one shifted right, since cells nest by powers of two (an arithmetic
# shift floors, like floor() of the division).
FINEST_COLUMNS = ", ".join(
    f"{expression.strip()} AS {name}"
    for expression, name in zip(
        CELL_EXPRESSIONS.replace("l.level", str(FINEST_LEVEL)).split(",\n"),
        ("cx", "cy", "month"),
        strict=True,
    )
)


# Each cell table as a staged batch feeds it: the key's columns after level, cx and cy, what
# they are in the batch (b), and the levels the table holds.
FOLDED = (
    ("layers_reportcell", CELL_KEY, "b.month, b.category_id, b.status, b.ward_id", CELL_LEVELS),
    ("layers_reportcelltotal", TOTAL_KEY, "b.month", TOTAL_LEVELS),
    ("layers_reportcellyear", YEAR_KEY, "date_trunc('year', b.month)::date", TOTAL_LEVELS),
)


def _insert_cells(cursor, where: str, params: list) -> int:
    """Adds the cells of the reports matching `where` to the three tables, set-based, from one
    pass over the reports: their finest cells grouped into a temporary table, every level then
    summed from it by shifting the cell numbers (no point or date computed twice), each insert
    in the index's key order. A fold of 250,000 reports took 0.58x the time of three
    aggregates straight from the reports (benchmarks/bench_compaction.py)."""
    # Raw because the batch is staged in a temporary table of the transaction, then summed
    # set-based into the three cell tables.
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE ht_fold_cells ON COMMIT DROP AS
        SELECT {FINEST_COLUMNS}, r.category_id, r.status, r.ward_id, count(*)::int AS n
        FROM gis_core_report r WHERE {where}
        GROUP BY 1, 2, 3, 4, 5, 6
        """,  # noqa: S608 - `where` is a constant of this module
        params,
    )
    shift = f"({FINEST_LEVEL} - l.level)"
    rows = 0
    for table, key, rest, levels in FOLDED:
        positions = ", ".join(str(i) for i in range(1, len(key) + 1))
        cursor.execute(
            f"""
            INSERT INTO {table} ({", ".join(key)}, n)
            SELECT l.level, b.cx >> {shift}, b.cy >> {shift}, {rest}, sum(b.n)
            FROM ht_fold_cells b CROSS JOIN unnest(%s::int[]) AS l(level)
            GROUP BY {positions} ORDER BY {positions}
            """,  # noqa: S608 - constants of this module
            [list(levels)],
        )
        rows += cursor.rowcount
    # ON COMMIT DROP is not enough inside an outer transaction (a test's, a benchmark's),
    # where a second fold would find the table still there.
    cursor.execute("DROP TABLE ht_fold_cells")
    return rows


def folded_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {FOLDED_ID}")  # a constant
        return cursor.fetchone()[0]


def pending_reports() -> int:
    """How many report ids lie above the folded id (an upper bound of the pending reports)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce((SELECT max(id) FROM gis_core_report), 0) - {FOLDED_ID}"  # noqa: S608
        )
        return cursor.fetchone()[0] or 0


# Report ids folded per transaction by fold_all_pending: each batch holds submissions back for
# about a second, where one fold of a ten-million-row import held them for a quarter of an hour.
FOLD_BATCH_IDS = 250_000


def fold_all_pending(*, lock_timeout_ms: int = 2000, batch_ids: int = FOLD_BATCH_IDS) -> int | None:
    """Folds every pending report in batches of `batch_ids` ids, each its own short
    transaction (what a big import ends with); the count folded, or None when the table
    stayed busy (what was folded before stays folded)."""
    total = 0
    while True:
        folded = fold_pending(lock_timeout_ms=lock_timeout_ms, batch_ids=batch_ids)
        if folded is None:
            return None
        if folded == 0 and pending_reports() <= 0:
            return total
        total += folded


def fold_pending(*, lock_timeout_ms: int = 2000, batch_ids: int | None = None) -> int | None:
    """Folds the reports above the folded id (at most `batch_ids` ids of them) into the cells;
    returns how many were folded, or None when the report table stayed busy longer than
    `lock_timeout_ms`.

    A SHARE lock on the reports waits for open writes to finish and holds new ones for the
    moment of the fold, so every report up to the new folded id is committed and counted
    exactly once; the timeout keeps a long import from queueing submissions behind it.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(lock_timeout_ms)}ms"])
            cursor.execute("LOCK TABLE gis_core_report IN SHARE MODE")
            cursor.execute(
                "INSERT INTO layers_reportcellstate (id, folded_id) VALUES (1, 0)"
                " ON CONFLICT (id) DO NOTHING"
            )
            cursor.execute("SELECT folded_id FROM layers_reportcellstate WHERE id = 1 FOR UPDATE")
            folded = cursor.fetchone()[0]
            cursor.execute("SELECT coalesce(max(id), 0) FROM gis_core_report")
            newest = cursor.fetchone()[0]
            if newest <= folded:
                return 0
            if batch_ids is not None:
                newest = min(newest, folded + max(1, batch_ids))
            where = "r.id > %s AND r.id <= %s"
            _insert_cells(cursor, where, [folded, newest])
            cursor.execute(
                "SELECT count(*) FROM gis_core_report WHERE id > %s AND id <= %s", [folded, newest]
            )
            count = cursor.fetchone()[0]
            cursor.execute(
                "UPDATE layers_reportcellstate SET folded_id = %s, folded_at = now() WHERE id = 1",
                [newest],
            )
            # Reports inserted by hand in SQL reach the tiles here at the latest.
            cursor.execute("SELECT nextval('ht_tile_generation')")
            return count
    except OperationalError as exc:
        cause = exc.__cause__  # psycopg 3 names it sqlstate, psycopg2 pgcode
        if getattr(cause, "sqlstate", getattr(cause, "pgcode", None)) == "55P03":  # lock n/a
            return None
        raise


def fold_if_many_pending(threshold: int | None = None) -> None:
    """What a reader does first: fold when many reports wait, never wait long for it."""
    if pending_reports() > (AUTO_FOLD_PENDING if threshold is None else threshold):
        fold_pending(lock_timeout_ms=READER_LOCK_TIMEOUT_MS)


def _same_key(key: tuple[str, ...], other: str) -> str:
    """c's key equals `other`'s: `=` where the column is never null (so the covering index on
    (level, cx, cy) finds the rows), IS NOT DISTINCT FROM for the nullable ward."""
    return " AND ".join(
        f"c.{k} IS NOT DISTINCT FROM {other}.{k}" if k in NULLABLE_KEYS else f"c.{k} = {other}.{k}"
        for k in key
    )


def first_run_keys_sql(table: str, key: tuple[str, ...]) -> str:
    """The keys a first compaction folds: every key of the table with several rows or a zero
    sum, read in key order from the covering index (which holds no id, so rows written since
    the bounds are grouped too: they are merged a run early, no harm)."""
    columns = ", ".join(key)
    return f"""SELECT {columns} FROM {table}
        GROUP BY {columns} HAVING count(*) > 1 OR sum(n) = 0"""  # noqa: S608 - constants


@contextlib.contextmanager
def keys_in_index_order(cursor) -> Iterator[None]:
    """Plans the statements inside on the covering index, in key order. The planner prices
    sorting the whole table below it; at ten million reports the index found a table's keys
    in 8-12 s, the sort in 40-55 s (benchmarks/bench_compaction.py --first)."""
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL enable_hashagg = off")
    yield  # a failed statement aborts the transaction, and the settings with it
    cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    cursor.execute("SET LOCAL enable_hashagg TO DEFAULT")


def _compact(cursor, table: str, key: tuple[str, ...], above: int, upto: int) -> tuple[int, int]:
    """Folds the rows of every key that has a row with an id in (above, upto] into one row
    (none when they sum to zero); returns (rows replaced, rows written).

    Rows up to `above` were compacted by an earlier run, so a key without a newer row is one
    row already: only the keys written since are grouped, the last hour's, not ten years'.
    The sum keeps the smallest id of its key's rows (one at most `upto`), so the next run
    does not take the rows written here for new ones (after the first compaction of ten
    million reports it looked up thirteen million of them again).
    """
    columns = ", ".join(key)
    first_run = above == 0
    if first_run:
        keys = first_run_keys_sql(table, key)
    else:  # the keys written since, each looked up by the covering index
        keys = f"""SELECT {", ".join(f"t.{k}" for k in key)}
            FROM (SELECT DISTINCT {columns} FROM {table}
                  WHERE id > %(above)s AND id <= %(upto)s) t
            JOIN {table} c ON {_same_key(key, "t")}
            GROUP BY {", ".join(f"t.{k}" for k in key)}
            HAVING count(*) > 1 OR sum(c.n) = 0"""  # noqa: S608
    # Raw because it is one DELETE ... RETURNING feeding the INSERT of the sums: the rows are
    # moved, not read into Python. Table and columns are constants of this module.
    plan = keys_in_index_order(cursor) if first_run else contextlib.nullcontext()
    with plan:
        cursor.execute(
            f"""
        WITH k AS MATERIALIZED ({keys}),
        gone AS (
            DELETE FROM {table} c USING k
            WHERE {_same_key(key, "k")}
            RETURNING c.id, {", ".join(f"c.{k}" for k in key)}, c.n
        ),
        written AS (
            INSERT INTO {table} (id, {columns}, n)
            SELECT min(id), {columns}, sum(n) FROM gone GROUP BY {columns} HAVING sum(n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM written)
        """,  # noqa: S608
            {"above": above, "upto": upto},
        )
        replaced, written = cursor.fetchone()
    return replaced, written


# The cell tables, their keys and the state row's column holding each one's compaction bound.
COMPACTED = (
    ("layers_reportcell", CELL_KEY, "compacted_cell_id"),
    ("layers_reportcelltotal", TOTAL_KEY, "compacted_total_id"),
    ("layers_reportcellyear", YEAR_KEY, "compacted_year_id"),
)

COMPACTED_COLUMNS = ", ".join(column for *_, column in COMPACTED)
NEWEST_CELL_IDS = ", ".join(
    f"(SELECT coalesce(max(id), 0) FROM {t})"  # noqa: S608 - constant names
    for t, *_ in COMPACTED
)

# The last id each table's sequence gave (a sum keeps an older id, so the newest row may lie
# below a bound; only a restarted sequence lies below it).
LAST_CELL_IDS = ", ".join(
    f"coalesce(pg_sequence_last_value(pg_get_serial_sequence('{t}', 'id')), 0)"
    for t, *_ in COMPACTED
)


def _compaction_bounds(cursor) -> list[int]:
    """The largest ids of the cell tables, read while no report write is open.

    Cell rows come from report writes (the triggers, in the writer's transaction) and folds
    (under the same lock), so behind a SHARE lock on the reports every row up to these ids is
    committed: none can appear below them later and be missed by the next run.
    """
    cursor.execute("SET LOCAL lock_timeout = '2s'")
    cursor.execute("LOCK TABLE gis_core_report IN SHARE MODE")
    cursor.execute(f"SELECT {NEWEST_CELL_IDS}")
    return list(cursor.fetchone())


def compact_report_cells() -> tuple[int, int]:
    """Folds the pending reports in, then the rows of each cell key written since the last
    compaction into one row; returns (rows replaced, rows written).

    Concurrent staff changes keep appending deltas meanwhile (rows above the bounds, which
    the next run reads), so nothing is lost or counted twice.
    """
    fold_pending()
    with transaction.atomic(), connection.cursor() as cursor:
        bounds = _compaction_bounds(cursor)
    replaced = written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO layers_reportcellstate (id, folded_id) VALUES (1, 0)"
            " ON CONFLICT (id) DO NOTHING"
        )
        # FOR UPDATE: two compactions at once would each replace the other's sums.
        cursor.execute(
            f"SELECT {COMPACTED_COLUMNS} FROM layers_reportcellstate WHERE id = 1 FOR UPDATE"  # noqa: S608
        )
        compacted = cursor.fetchone()
        cursor.execute(f"SELECT {LAST_CELL_IDS}")  # constants
        issued = cursor.fetchone()
        touched = []
        for (table, key, _), above, upto, last in zip(
            COMPACTED, compacted, bounds, issued, strict=True
        ):
            if above > last:  # the ids started again (a test database flushed): all is new
                above = 0
            moved = _compact(cursor, table, key, above, upto)
            replaced, written = replaced + moved[0], written + moved[1]
            if moved[0]:
                touched.append(table)
        cursor.execute(
            f"UPDATE layers_reportcellstate SET ({COMPACTED_COLUMNS}) = (%s, %s, %s)"  # noqa: S608
            " WHERE id = 1",
            bounds,
        )
    if touched:
        _vacuum(tables=touched)
    return replaced, written


def _vacuum(*, analyze: bool = False, tables: list[str] | None = None) -> None:
    """VACUUM marks the pages all-visible, which lets heatmaps read the covering index alone
    (only the pages the compaction touched need it), of the tables the compaction changed
    (status changes touch the per-status cells only). ANALYZE samples each table, seconds at
    100 million rows, so only after a rebuild; autovacuum analyzes after big changes. Inside
    a transaction (tests) only ANALYZE can run."""
    with connection.cursor() as cursor:
        for table, *_ in COMPACTED:
            if tables is not None and table not in tables:
                continue
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {table}")
            else:
                cursor.execute(f"VACUUM {'ANALYZE ' if analyze else ''}{table}")


def rebuild_report_cells() -> int:
    """Recounts every cell from the reports (a repair; the triggers keep it right otherwise)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # The lock keeps report writes out until the counts and the folded id are in.
        cursor.execute("LOCK TABLE gis_core_report IN SHARE MODE")
        cursor.execute("DELETE FROM layers_reportcell")
        cursor.execute("DELETE FROM layers_reportcelltotal")
        cursor.execute("DELETE FROM layers_reportcellyear")
        rows = _insert_cells(cursor, "true", [])
        cursor.execute(
            "INSERT INTO layers_reportcellstate (id, folded_id, folded_at) "
            "SELECT 1, coalesce(max(id), 0), now() FROM gis_core_report "
            "ON CONFLICT (id) DO UPDATE SET folded_id = excluded.folded_id, folded_at = now()"
        )
        # Every row just written is one per key: the next compaction starts above them.
        cursor.execute(
            f"UPDATE layers_reportcellstate SET ({COMPACTED_COLUMNS}) = ({NEWEST_CELL_IDS})"  # noqa: S608
            " WHERE id = 1"
        )
    _vacuum(analyze=True)
    return rows
