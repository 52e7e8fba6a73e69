"""Bulk import with encrypted contacts: rows/s beside a plain COPY of the same rows.

bench_bulk_import.py's approach at a smaller scale (N rows, every one with a phone, a name
and an e-mail, the worst case for encryption), three timings in one run:
- baseline: COPY of the rows already rendered (ciphertext and hashes included, computed
  before the clock starts) into `bench_report_plain` (LIKE gis_core_report INCLUDING ALL);
- bulk, no contact: `reports_bulk_insert` of the same rows with the contact columns blank;
- bulk, encrypted: `reports_bulk_insert` of the rows with their contacts, which encrypts
  three columns and hashes the phone per row (common.field_crypto) while rendering.
Prints each one's rate and its ratio to the baseline; figures go to SECURITY.md.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import bench_db  # sets up Django on the benchmark database

bench_db.setup()

import pandas as pd  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from etl.demo import generate_demo_reports  # noqa: E402
from etl.reports import read_report_table, validate_reports  # noqa: E402
from gis_core.bulk_import import COPY_SQL, copy_from, render_copy_rows, reports_bulk_insert  # noqa: E402
from gis_core.models import Category, ReportStatus  # noqa: E402
from ward_boundaries.bulk import BulkWardAssigner  # noqa: E402

N = int(os.environ.get("BENCH_ENCRYPTED_ROWS", "200000"))
REPEAT = 2
OUT = Path(__file__).resolve().parent / "out"
DATA = Path(__file__).resolve().parent.parent / "data" / "mong_cai"


def reset_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE gis_core_report CASCADE")
        cursor.execute("DROP TABLE IF EXISTS bench_report_plain")
        cursor.execute("CREATE TABLE bench_report_plain (LIKE gis_core_report INCLUDING ALL)")
        cursor.execute("CHECKPOINT")


def legacy_rows(with_contact: bool) -> pd.DataFrame:
    frame = generate_demo_reports(DATA / "mong_cai_wards_2024_clean.geojson", count=N, seed=7)
    table = pd.DataFrame(
        {
            "id": [f"E{i}" for i in range(N)],
            "category": frame["category"],
            "description": frame["description"],
            "lon": frame["lon"].astype(str),
            "lat": frame["lat"].astype(str),
            "reported_at": frame["reported_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "status": frame["status"],
        }
    )
    if with_contact:
        table["contact_phone"] = [f"09{i % 100_000_000:08d}" for i in range(N)]
        table["contact_name"] = [f"Nguyễn Văn {i}" for i in range(N)]
        table["contact_email"] = [f"nguoi{i}@example.vn" for i in range(N)]
    OUT.mkdir(exist_ok=True)
    path = OUT / f"encrypted_import_{int(with_contact)}.csv"
    table.to_csv(path, index=False)
    batch = validate_reports(
        read_report_table(path),
        category_ids=dict(Category.objects.values_list("code", "id")),
        statuses=set(ReportStatus.values),
        default_reported_at=pd.Timestamp(timezone.now()),
        description_max=settings.REPORT_DESCRIPTION_MAX_CHARS,
    )
    assert not batch.errors, batch.errors[:3]
    return batch.frame


def main() -> None:
    plain, contact = legacy_rows(False), legacy_rows(True)
    assigner = BulkWardAssigner.from_database()
    buffer = io.StringIO()
    render_copy_rows(contact, None, source="import").to_csv(buffer, header=False, index=False)
    baseline_csv = buffer.getvalue()
    baseline_sql = COPY_SQL.replace("COPY gis_core_report", "COPY bench_report_plain")

    def baseline() -> float:
        reset_tables()
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            copy_from(cursor, baseline_sql, io.StringIO(baseline_csv))
        return time.perf_counter() - start

    def bulk(frame: pd.DataFrame) -> float:
        reset_tables()
        start = time.perf_counter()
        inserted = reports_bulk_insert(frame, assigner=assigner)
        elapsed = time.perf_counter() - start
        assert inserted == N, inserted
        return elapsed

    runs: dict[str, list[float]] = {"copy": [], "plain": [], "encrypted": []}
    for _ in range(REPEAT):  # alternated, each one's best kept (as bench_bulk_import)
        runs["copy"].append(baseline())
        runs["plain"].append(bulk(plain))
        runs["encrypted"].append(bulk(contact))
    best = {k: min(v) for k, v in runs.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM gis_core_report WHERE contact_phone LIKE 'gAAAAA%%'")
        encrypted_rows = cursor.fetchone()[0]
    assert encrypted_rows == N, encrypted_rows
    print(f"{N:,} rows, each with phone, name and e-mail; runs (s): "
          + ", ".join(f"{k} {[round(t, 2) for t in v]}" for k, v in runs.items()))  # fmt: skip
    rate = {k: N / t for k, t in best.items()}
    print(f"plain COPY (baseline)        {rate['copy']:>9,.0f} rows/s")
    print(
        f"bulk path, no contact        {rate['plain']:>9,.0f} rows/s  "
        f"{rate['plain'] / rate['copy']:.2f}x COPY"
    )
    print(
        f"bulk path, contact encrypted {rate['encrypted']:>9,.0f} rows/s  "
        f"{rate['encrypted'] / rate['copy']:.2f}x COPY, "
        f"{rate['encrypted'] / rate['plain']:.2f}x the same path without contact"
    )
    reset_tables()


if __name__ == "__main__":
    main()
