"""A separate benchmark database beside the demo one, migrated and holding both ward versions.

Benchmarks never touch the demo data: they use `<demo db>_bench` on the same server (or
BENCH_DATABASE_URL). Import this module before django.setup().
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# How many reports the report-heavy benchmarks load (bench_lifecycle.ensure_reports): 1M by
# default; BENCH_REPORTS=10000000 is issue 15's scale run (bench_scale.py), in its own database.
REPORTS = int(os.environ.get("BENCH_REPORTS", "1000000"))


def bench_database_url() -> str:
    """`<demo db>_bench` for the 1M set, `<demo db>_bench10m` for BENCH_REPORTS=10M, ..."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get(
        "DATABASE_URL",
        f"postgis://hientruong@127.0.0.1:{os.environ.get('HT_PG_PORT', '25432')}/hientruong",
    )
    parts = urlparse(base)
    suffix = "_bench" if REPORTS == 1_000_000 else f"_bench{REPORTS // 1_000_000}m"
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + suffix))


def figure(name: str, value: float, unit: str) -> None:
    """Records one headline figure for bench_scale.py (a JSON line in $BENCH_FIGURES, when
    set), beside the sentence the script prints anyway."""
    path = os.environ.get("BENCH_FIGURES")
    if path:
        import json

        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"name": name, "value": value, "unit": unit}) + "\n")


def _ensure_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup(settings_module: str = "config.settings.dev") -> str:
    """Points Django at the benchmark database, migrates it and loads both ward versions."""
    url = bench_database_url()
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would record every query
    import django

    django.setup()
    from django.core.management import call_command

    from ward_boundaries.models import BoundaryVersion

    call_command("migrate", verbosity=0)
    if not BoundaryVersion.objects.exists():
        from etl.management.commands.load_demo import VERSIONS
        from etl.wards import read_ward_file
        from ward_boundaries.services import ward_version_import

        for spec in VERSIONS:
            ward_version_import(
                records=read_ward_file(spec["path"])[0],
                version=spec["version"],
                valid_from=spec.get("valid_from"),
                valid_to=spec.get("valid_to"),
            )
    return url


def percentile(values, q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q))


def connect_params() -> dict:
    """psycopg2.connect() keywords for Django's default database (same server, same options)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    options = (db.get("OPTIONS") or {}).get("options")
    if options:
        params["options"] = options
    return {k: v for k, v in params.items() if v is not None}


# The synthetic national partition (etl.national_partition) as the benchmarks import it: with
# the Móng Cái hole, so the demo's wards stay in force beside it.
NATIONAL_VERSION = "vn-national-2025"


def ensure_national_version():
    """The national partition's BoundaryVersion, imported once into the current database
    by the importer's own service (call after setup())."""
    import datetime as dt
    import time

    from django.conf import settings

    from etl.national_partition import MONG_CAI_2025, cached_national_file
    from etl.wards import read_ward_file
    from ward_boundaries.models import BoundaryVersion
    from ward_boundaries.services import ward_version_import

    found = BoundaryVersion.objects.filter(name=NATIONAL_VERSION).first()
    if found is not None:
        return found
    path = cached_national_file(
        Path(settings.VAR_DIR) / "national", mong_cai_hole_path=MONG_CAI_2025
    )
    start = time.perf_counter()
    records, repairs = read_ward_file(path)
    result = ward_version_import(
        records=records,
        repairs=repairs,
        version=NATIONAL_VERSION,
        valid_from=dt.date(2025, 7, 1),
        source="synthetic (etl.national_partition)",
    )
    print(
        f"imported {result.created:,} national units in {time.perf_counter() - start:.1f} s "
        f"({len(result.warnings)} warnings)",
        flush=True,
    )
    return result.version
