"""The cost of the contact access log (issue 10) on the staff queue page.

A ward officer's queue page of 50 reports, each with a reporter's contact, timed through
Django's full request handling (in process) with the log written (one INSERT of 50 rows
per page) and, in the same run, with the log switched off: the difference is what the law's
access log costs each page. The reports are generated once (kept between runs).
"""

from __future__ import annotations

import os
import statistics
import time

import bench_db  # sets up Django on the benchmark database

os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
bench_db.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

import web_map.staff  # noqa: E402
from etl.demo import generate_demo_reports  # noqa: E402
from gis_core.bulk_import import reports_bulk_insert  # noqa: E402
from gis_core.models import Category, ContactAccess, Report, StaffProfile  # noqa: E402
from ward_boundaries.models import Ward  # noqa: E402

N = 100_000
RUNS = 200
DATA = bench_db.ROOT / "data" / "mong_cai"
WARD = "06712"


def ensure_reports() -> None:
    if Report.objects.filter(idempotency_key__startswith="contact-log:").count() >= N:
        return
    print(f"loading {N:,} reports with contact (once) ...", flush=True)
    frame = generate_demo_reports(DATA / "mong_cai_wards_2024_clean.geojson", count=N, seed=11)
    frame["category_id"] = frame["category"].map(dict(Category.objects.values_list("code", "id")))
    frame["idempotency_key"] = [f"contact-log:{i}" for i in range(N)]
    frame["contact_name"] = "Người Gửi"
    frame["contact_phone"] = [f"+8491{i:07d}" for i in range(N)]
    reports_bulk_insert(frame, source="import")


def timed_once(client: Client, url: str) -> float:
    start = time.perf_counter()
    assert client.get(url).status_code == 200
    return (time.perf_counter() - start) * 1000


def no_log(*args, **kwargs) -> int:
    return 0


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    ensure_reports()
    ward = Ward.objects.get(version__name="mong-cai-2025", code=WARD)
    officer, _ = User.objects.get_or_create(username="bench-contact-officer")
    officer.groups.add(Group.objects.get(name="ward_officer"))
    profile, _ = StaffProfile.objects.get_or_create(user=officer)
    profile.wards.set([ward])
    client = Client()
    client.force_login(officer)
    url = "/can-bo/"
    assert client.get(url).status_code == 200
    rows_before = ContactAccess.objects.count()
    real = web_map.staff.contact_access_record
    logged, unlogged = [], []
    # Interleaved, so that the load of anything else on the machine falls on both alike.
    for _ in range(RUNS):
        logged.append(timed_once(client, url))
        web_map.staff.contact_access_record = no_log  # the baseline: the page without the log
        try:
            unlogged.append(timed_once(client, url))
        finally:
            web_map.staff.contact_access_record = real
    written = ContactAccess.objects.count() - rows_before
    ContactAccess.objects.filter(username=officer.username).delete()
    in_ward = Report.objects.filter(ward=ward).count()
    print(f"reports in ward {ward.name}: {in_ward:,}; log rows written: {written:,}")
    print(
        f"staff queue page, 50 rows with contact: with the access log p50 {p(logged, 50):.1f} ms,"
        f" p99 {p(logged, 99):.1f} ms | baseline without the log (same run): "
        f"p50 {p(unlogged, 50):.1f} ms, p99 {p(unlogged, 99):.1f} ms | "
        f"cost p50 {p(logged, 50) - p(unlogged, 50):+.1f} ms"
    )


if __name__ == "__main__":
    main()
