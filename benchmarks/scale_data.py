"""Issue 15's scale set: ten years of reports over Móng Cái and the synthetic national partition.

`BENCH_REPORTS=10000000` makes bench_lifecycle.ensure_reports() call `load_scale_reports`
instead of the 1M set's loader, in its own database (`<demo db>_bench10m`, bench_db). The set:

- 30 % of the reports in Móng Cái's wards (the density pattern of the 1M set), 70 % over the
  national partition's 3,321 synthetic units (docs/national-partition.md), which is imported
  with a hole where Móng Cái is, so both versions can be in force on the same day;
- ten years back from today, with the same growth of uptake as the demo (more recently), so
  Móng Cái's last two years hold about as many reports as the whole 1M set (0.9M of 3M);
- written as a legacy CSV and loaded by `import_reports` itself, timed beside a plain COPY of
  the same rows into a table with the same indexes (bench_bulk_import's baseline, chunk by
  chunk so the rendered rows never sit in memory all at once).
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import bench_db

CHUNK = 1_000_000
MONG_CAI_SHARE = 0.3
YEARS = 10
OUT = Path(__file__).resolve().parent / "out"
WARDS_2024 = bench_db.ROOT / "data" / "mong_cai" / "mong_cai_wards_2024_clean.geojson"
NATIONAL_VERSION = "quoc-gia-tong-hop"
LEGACY_COLUMNS = ["id", "category", "description", "lon", "lat", "reported_at", "status"]


def _mong_cai_geoms() -> dict:
    from shapely.geometry import shape

    features = json.loads(WARDS_2024.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["ward_code"]: shape(f["geometry"]) for f in features}


def ensure_national_version() -> dict:
    """Imports the national partition (with Móng Cái's hole) once; returns code → polygon."""
    import geopandas as gpd
    from django.core.management import call_command

    from etl.national_partition import MONG_CAI_2025, cached_national_file
    from ward_boundaries.models import BoundaryVersion

    path = cached_national_file(OUT, mong_cai_hole_path=MONG_CAI_2025)
    if not BoundaryVersion.objects.filter(name=NATIONAL_VERSION).exists():
        call_command(
            "import_wards",
            str(path),
            version=NATIONAL_VERSION,
            description="Synthetic national partition for benchmarks (issue 15)",
            source="etl.national_partition (synthetic, deterministic)",
            verbosity=0,
            stdout=io.StringIO(),
        )
    units = gpd.read_file(path)
    return dict(zip(units["ward_code"], units.geometry, strict=True))


def write_scale_csv(path: Path, count: int, national: dict) -> None:
    """`count` legacy rows in chunks of a million (each its own seed), appended to `path`."""
    from etl.demo import generate_reports

    mong_cai = _mong_cai_geoms()
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow(LEGACY_COLUMNS)
        for chunk, start in enumerate(range(0, count, CHUNK)):
            n = min(CHUNK, count - start)
            local = round(n * MONG_CAI_SHARE)
            for part, (geoms, k) in enumerate(((mong_cai, local), (national, n - local))):
                frame = generate_reports(geoms, count=k, seed=1500 + 2 * chunk + part, years=YEARS)
                frame["id"] = [f"S{chunk}-{part}-{i}" for i in range(k)]
                frame["reported_at"] = frame["reported_at"].dt.strftime("%Y-%m-%d %H:%M")
                frame[LEGACY_COLUMNS].to_csv(out, header=False, index=False)
            print(f"  written {start + n:,} of {count:,} rows", flush=True)
    tmp.rename(path)


def copy_baseline(path: Path) -> float:
    """Seconds for a plain COPY of the same rows (rendered as the table's own CSV, no ward)
    into `bench_report_plain` LIKE gis_core_report INCLUDING ALL, chunk by chunk."""
    import pandas as pd
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from etl.reports import iter_report_tables, validate_reports
    from gis_core.bulk_import import COPY_COLUMNS, copy_from, render_copy_rows
    from gis_core.models import Category, ReportStatus

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_report_plain")
        cursor.execute("CREATE TABLE bench_report_plain (LIKE gis_core_report INCLUDING ALL)")
        cursor.execute("CHECKPOINT")
    category_ids = dict(Category.objects.values_list("code", "id"))
    elapsed = 0.0
    for table in iter_report_tables(path):
        batch = validate_reports(
            table,
            category_ids=category_ids,
            statuses=set(ReportStatus.values),
            default_reported_at=pd.Timestamp(timezone.now()),
            description_max=settings.REPORT_DESCRIPTION_MAX_CHARS,
        )
        buffer = io.StringIO()
        frame = batch.frame.sort_values("reported_at", kind="stable")
        render_copy_rows(frame, None, source="import").to_csv(buffer, header=False, index=False)
        buffer.seek(0)
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            copy_from(
                cursor,
                f"COPY bench_report_plain ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, "
                "FORCE_NOT_NULL (description, contact_name, contact_phone, contact_email, "
                "contact_phone_hash))",
                buffer,
            )
        elapsed += time.perf_counter() - start
    return elapsed


def load_scale_reports(count: int) -> None:
    """The scale set in the benchmark database, loaded by import_reports and timed."""
    from django.core.management import call_command
    from django.db import connection

    national = ensure_national_version()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"scale_reports_{_label(count)}.csv"
    if not path.exists():
        print(f"generating {count:,} legacy rows over ten years ...", flush=True)
        write_scale_csv(path, count, national)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE gis_core_report CASCADE")
        cursor.execute("CHECKPOINT")
    print(f"import_reports {path.name} ...", flush=True)
    start = time.perf_counter()
    call_command("import_reports", str(path), verbosity=0, stdout=io.StringIO())
    t_import = time.perf_counter() - start
    print("plain COPY baseline ...", flush=True)
    t_copy = copy_baseline(path)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_report_plain")
    print(
        f"import_reports end to end (read, validate, assign, COPY) of {count:,} rows: "
        f"{count / t_import:,.0f} rows/s ({t_import:.0f} s) | baseline plain COPY of the same "
        f"rows, same indexes, no assignment: {count / t_copy:,.0f} rows/s ({t_copy:.0f} s) | "
        f"ratio {t_copy / t_import:.2f}x",
        flush=True,
    )
    figures = [
        {"name": "import_reports rows/s", "value": count / t_import, "unit": "rows/s"},
        {"name": "plain COPY rows/s (baseline)", "value": count / t_copy, "unit": "rows/s"},
    ]
    # Kept beside the data: a later bench_scale.py run finds the set loaded and reads these.
    load_figures_path(count).write_text(json.dumps(figures), encoding="utf-8")
    for f in figures:
        bench_db.figure(f["name"], f["value"], f["unit"])


def _label(count: int) -> str:
    """ "10m" for ten million, "400k" for a smaller set (BENCH_SCALE_SET=1)."""
    return f"{count // 1_000_000}m" if count >= 1_000_000 else f"{count // 1_000}k"


def load_figures_path(count: int) -> Path:
    return OUT / f"scale_load_{_label(count)}.json"
