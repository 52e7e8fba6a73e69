"""Issue 15: would monthly partitions (PostgreSQL's declarative partitioning, kept by pg_partman)
help the report table? Measured on copies of the benchmark database's reports, side by side:

- `bench_part_plain`: the table as it is (LIKE gis_core_report INCLUDING ALL: same indexes);
- `bench_part_monthly`: the same rows, PARTITION BY RANGE (reported_at), one partition a month
  made by `partman.create_parent`, the same indexes (each unique one must then include
  reported_at: PostgreSQL cannot enforce uniqueness across partitions otherwise).

Figures, each for both tables in the same run: bytes of the indexes; a day of staff work (1 %
of the last 60 days' reports updated) then VACUUM (the whole plain table, beside the touched
partitions only, which is what autovacuum would do); archiving the oldest month (DELETE and
VACUUM, beside detaching and dropping its partition); the staff queue's recent-first page (one
ward, one status, urgent first, 50 rows) and the board's last-30-days count; COPY of 100,000 new
rows. Not in `make bench` (it copies the whole table twice); docs/scale.md gives the decision.

    .venv/bin/python benchmarks/bench_partitioning.py          # on the 1M set
    BENCH_REPORTS=10000000 .venv/bin/python benchmarks/bench_partitioning.py
"""

# The SQL names only this module's own table constants and partitions pg_partman made.
# ruff: noqa: S608

from __future__ import annotations

import statistics
import sys
import time

import bench_db

bench_db.setup()

import psycopg2  # noqa: E402

PLAIN = "bench_part_plain"
MONTHLY = "bench_part_monthly"
# The live table whose rows and indexes are copied.
SOURCE = "gis_core_report"


def connect():
    conn = psycopg2.connect(**bench_db.connect_params())
    conn.autocommit = True
    return conn


def timed(cursor, sql: str, params=None) -> float:
    start = time.perf_counter()
    cursor.execute(sql, params)
    return time.perf_counter() - start


def index_definitions(cursor) -> list[tuple[str, str]]:
    """The live table's index definitions (from the catalogue: the benchmark copies the real
    set, whatever migrations have added)."""
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [SOURCE])
    return cursor.fetchall()


def stored_columns(cursor) -> str:
    """The live table's columns that can be inserted (not the generated ones)."""
    cursor.execute(
        "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM "
        "information_schema.columns WHERE table_name = %s AND is_generated = 'NEVER'",
        [SOURCE],
    )
    return cursor.fetchone()[0]


def build_tables(cursor) -> dict[str, float]:
    """Both copies, filled from gis_core_report; returns the seconds each fill took."""
    columns = stored_columns(cursor)
    copy_rows = f"({columns}) SELECT {columns} FROM {SOURCE}"
    cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}, {MONTHLY} CASCADE")
    cursor.execute("CREATE SCHEMA IF NOT EXISTS partman")
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman")
    cursor.execute(f"DELETE FROM partman.part_config WHERE parent_table = 'public.{MONTHLY}'")
    fill = {}
    cursor.execute(f"CREATE TABLE {PLAIN} (LIKE gis_core_report INCLUDING ALL)")
    fill[PLAIN] = timed(cursor, f"INSERT INTO {PLAIN} {copy_rows}")

    cursor.execute(
        f"CREATE TABLE {MONTHLY} (LIKE gis_core_report INCLUDING DEFAULTS INCLUDING "
        "GENERATED INCLUDING CONSTRAINTS) PARTITION BY RANGE (reported_at)"
    )
    cursor.execute("SELECT date_trunc('month', min(reported_at))::date FROM gis_core_report")
    first_month = cursor.fetchone()[0]
    cursor.execute(
        "SELECT partman.create_parent(p_parent_table := %s, p_control := 'reported_at', "
        "p_type := 'native', p_interval := 'monthly', p_premake := 3, "
        "p_start_partition := %s)",
        [f"public.{MONTHLY}", str(first_month)],
    )
    for name, definition in index_definitions(cursor):
        on_monthly = definition.replace(f"ON public.{SOURCE} ", f"ON public.{MONTHLY} ").replace(
            f"INDEX {name} ", f"INDEX {name}_m "
        )
        if "UNIQUE" in definition:
            # A unique index on a partitioned table must include the partition key.
            assert on_monthly.endswith(")") and " WHERE " not in on_monthly, on_monthly
            on_monthly = on_monthly[:-1] + ", reported_at)"
        cursor.execute(on_monthly)
    fill[MONTHLY] = timed(cursor, f"INSERT INTO {MONTHLY} {copy_rows}")
    cursor.execute(f"VACUUM ANALYZE {PLAIN}")
    cursor.execute(f"VACUUM ANALYZE {MONTHLY}")
    return fill


def index_bytes(cursor, table: str) -> int:
    cursor.execute(
        "SELECT coalesce(sum(pg_indexes_size(c.oid)), 0) FROM pg_class c "
        "WHERE c.oid = %s::regclass OR c.oid IN "
        "(SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass)",
        [table, table],
    )
    return int(cursor.fetchone()[0])


def touched_partitions(cursor, since_days: int) -> list[str]:
    cursor.execute(
        "SELECT partition_tablename FROM partman.show_partitions(%s) p "
        "JOIN LATERAL partman.show_partition_info(p.partition_schemaname || '.' || "
        "p.partition_tablename) i ON true WHERE i.child_end_time > now() - %s * interval '1 day'",
        [f"public.{MONTHLY}", since_days],
    )
    return [row[0] for row in cursor.fetchall()]


def day_of_work_then_vacuum(cursor, table: str, partitions: list[str] | None) -> float:
    """1 % of the last 60 days' rows change status (a busy day), then VACUUM: of the table,
    or of the partitions the day touched."""
    cursor.execute(
        f"UPDATE {table} SET status = 'verified', updated_at = now() WHERE id IN (SELECT id FROM "
        f"{table} WHERE reported_at > now() - interval '60 days' AND id % 100 = 7)"
    )
    if partitions is None:
        return timed(cursor, f"VACUUM {table}")
    return sum(timed(cursor, f"VACUUM {p}") for p in partitions)


def archive_oldest_month(cursor, table: str) -> tuple[float, int]:
    cursor.execute(f"SELECT date_trunc('month', min(reported_at)) FROM {table}")
    month = cursor.fetchone()[0]
    if table == PLAIN:
        start = time.perf_counter()
        cursor.execute(f"DELETE FROM {table} WHERE reported_at < %s + interval '1 month'", [month])
        rows = cursor.rowcount
        cursor.execute(f"VACUUM {table}")
        return time.perf_counter() - start, rows
    cursor.execute(
        "SELECT partition_tablename FROM partman.show_partitions(%s) LIMIT 1",
        [f"public.{MONTHLY}"],
    )
    oldest = cursor.fetchone()[0]
    cursor.execute(f"SELECT count(*) FROM {oldest}")
    rows = cursor.fetchone()[0]
    start = time.perf_counter()
    cursor.execute(f"ALTER TABLE {MONTHLY} DETACH PARTITION {oldest}")
    cursor.execute(f"DROP TABLE {oldest}")
    return time.perf_counter() - start, rows


def reads(cursor, table: str, ward_id: int, runs: int = 30) -> dict[str, float]:
    queue = (
        f"SELECT id, reported_at FROM {table} WHERE ward_id = %s AND status = 'received' "
        "ORDER BY urgent_open DESC, reported_at DESC, id DESC LIMIT 50"
    )
    board = (
        f"SELECT category_id, count(*) FROM {table} WHERE reported_at > now() - "
        "interval '30 days' GROUP BY 1"
    )
    out = {}
    for name, sql, params in (("queue", queue, [ward_id]), ("board", board, None)):
        times = []
        for _ in range(runs):
            times.append(timed(cursor, sql, params) * 1000)
            cursor.fetchall()
        out[name] = statistics.median(times)
    return out


def _copy_shifted(cursor, table: str, n: int) -> float:
    """n reports of today, as a bulk import would add them: the newest rows again, with new
    ids, keys and references."""
    cursor.execute("DROP TABLE IF EXISTS bench_part_new")
    cursor.execute(
        f"CREATE TEMP TABLE bench_part_new AS SELECT * FROM {table} ORDER BY id DESC LIMIT %s", [n]
    )
    cursor.execute(
        "UPDATE bench_part_new SET id = nextval('gis_core_report_id_seq'), public_id = "
        "gen_random_uuid(), idempotency_key = 'part:' || id::text || ':' || random()::text, "
        "reported_at = now() - random() * interval '1 day', reference_number = "
        "reference_number + 10000000"
    )
    columns = stored_columns(cursor)
    return timed(cursor, f"INSERT INTO {table} ({columns}) SELECT {columns} FROM bench_part_new")


def main() -> None:
    conn = connect()
    cursor = conn.cursor()
    cursor.execute("SELECT count(*) FROM gis_core_report")
    total = cursor.fetchone()[0]
    if total < 100_000:
        raise SystemExit("the benchmark database has few reports: run bench_lifecycle.py first")
    print(f"copying {total:,} reports into both tables ...", flush=True)
    fill = build_tables(cursor)
    cursor.execute(
        f"SELECT ward_id FROM {PLAIN} WHERE ward_id IS NOT NULL GROUP BY 1 ORDER BY count(*) "
        "DESC LIMIT 1"
    )
    ward_id = cursor.fetchone()[0]
    cursor.execute(f"SELECT count(*) FROM partman.show_partitions('public.{MONTHLY}')")
    partitions = cursor.fetchone()[0]

    figures = {
        "fill (INSERT ... SELECT of every row), s": (fill[PLAIN], fill[MONTHLY]),
        "index bytes, MB": (
            index_bytes(cursor, PLAIN) / 2**20,
            index_bytes(cursor, MONTHLY) / 2**20,
        ),
    }
    read_plain, read_monthly = reads(cursor, PLAIN, ward_id), reads(cursor, MONTHLY, ward_id)
    figures["staff queue page (one ward, received, urgent first, 50), ms"] = (
        read_plain["queue"],
        read_monthly["queue"],
    )
    figures["board: last 30 days by category, ms"] = (read_plain["board"], read_monthly["board"])
    if "--explain" in sys.argv:
        for table in (PLAIN, MONTHLY):
            cursor.execute(
                f"EXPLAIN (ANALYZE, SUMMARY) SELECT id, reported_at FROM {table} WHERE ward_id = "
                "%s AND status = 'received' ORDER BY urgent_open DESC, reported_at DESC, id DESC "
                "LIMIT 50",
                [ward_id],
            )
            plan = [row[0] for row in cursor.fetchall()]
            print(f"--- the queue page's plan on {table}:", *plan[:6], "...", *plan[-2:], sep="\n")
    touched = touched_partitions(cursor, 60)
    figures["a busy day's updates, then VACUUM, s"] = (
        day_of_work_then_vacuum(cursor, PLAIN, None),
        day_of_work_then_vacuum(cursor, MONTHLY, touched),
    )
    figures["VACUUM of the whole table after it, s"] = (
        timed(cursor, f"VACUUM {PLAIN}"),
        timed(cursor, f"VACUUM {MONTHLY}"),
    )
    (t_plain, rows_plain), (t_monthly, rows_monthly) = (
        archive_oldest_month(cursor, PLAIN),
        archive_oldest_month(cursor, MONTHLY),
    )
    assert rows_plain == rows_monthly, (rows_plain, rows_monthly)
    figures[f"archive the oldest month ({rows_plain:,} rows), s"] = (t_plain, t_monthly)
    figures["100,000 new rows of today (INSERT), s"] = (
        _copy_shifted(cursor, PLAIN, 100_000),
        _copy_shifted(cursor, MONTHLY, 100_000),
    )
    print()
    print("=" * 100)
    print(f"{total:,} reports; monthly: {partitions} partitions made by pg_partman")
    print(f"{'':<62} {'plain':>12} {'monthly':>12} {'monthly/plain':>14}")
    for name, (plain, monthly) in figures.items():
        ratio = monthly / plain if plain else float("inf")
        print(f"{name:<62} {plain:>12.2f} {monthly:>12.2f} {ratio:>13.2f}x")
    print("(baseline: the plain table, same rows, same indexes, same run)")
    print("=" * 100)
    cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}, {MONTHLY} CASCADE")
    cursor.execute(f"DELETE FROM partman.part_config WHERE parent_table = 'public.{MONTHLY}'")


if __name__ == "__main__":
    main()
