"""The operations centre's board with 1M reports (issue 11): its first render and its polls.

- the page /dieu-hanh/ (carries the first answer) and the full JSON answer: p95;
- an unchanged poll (If-None-Match: the answer's version, a 304) and a poll after a change
  (one report saved): p95;
beside, in the same run, the raw SQL of its counts (the ORM's query run through a cursor),
with the board's partial index and with index scans switched off (the plain table scan the
index replaces). Requests go through Django's full handling in process, as bench_lifecycle.
"""

from __future__ import annotations

import bench_lifecycle  # noqa: F401 - sets up Django on the benchmark database
from bench_lifecycle import ensure_reports, p, timed
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gis_core.models import Report, StaffProfile
from layers.hotspots import refresh_hotspot_alert

URL = "/api/v1/staff/board/"


def _counts_sql(client: Client) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])


def main() -> None:
    ensure_reports()
    refresh_hotspot_alert()  # as cron does: no request pays for the analysis
    operator, _ = User.objects.get_or_create(username="bench-operator")
    operator.groups.add(Group.objects.get(name="operator"))
    StaffProfile.objects.get_or_create(user=operator)
    client = Client()
    client.force_login(operator)
    counted = Report.objects.filter(status__in=["received", "verified", "assigned", "in_progress"])
    print(f"reports: {Report.objects.count():,}; open (what the board counts): {counted.count():,}")

    page_ms = timed(lambda: client.get("/dieu-hanh/"), 20)
    full_ms = timed(lambda: client.get(URL), 20)
    etag = client.get(URL)["ETag"]
    unchanged_ms = timed(lambda: client.get(URL, HTTP_IF_NONE_MATCH=etag), 200)
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    one = Report.objects.filter(status="received").first()

    def changed() -> None:
        one.save(update_fields=["updated_at"])  # a write: the next poll recounts
        assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200

    changed_ms = timed(changed, 20)

    sql = _counts_sql(client)
    with connection.cursor() as cursor:
        raw_ms = timed(lambda: (cursor.execute(sql), cursor.fetchall()), 20)
        cursor.execute(f"EXPLAIN {sql}")
        plan = " / ".join(row[0].strip() for row in cursor.fetchall() if "Scan" in row[0])
        switches = ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan")
        for switch in switches:
            cursor.execute(f"SET {switch} = off")
        scan_ms = timed(lambda: (cursor.execute(sql), cursor.fetchall()), 20)
        for switch in switches:
            cursor.execute(f"RESET {switch}")
        check = "SELECT max(updated_at) FROM gis_core_report"
        max_ms = timed(lambda: (cursor.execute(check), cursor.fetchall()), 200)
    print(f"counts plan: {plan}")
    print(
        f"baseline raw SQL of the counts: p95 {p(raw_ms, 95):.1f} ms with report_board_idx, "
        f"{p(scan_ms, 95):.1f} ms without index scans | the poll's check "
        f"(max(updated_at)): p95 {p(max_ms, 95):.2f} ms"
    )
    print(f"board page /dieu-hanh/ (first render): p95 {p(page_ms, 95):.1f} ms")
    print(f"board JSON, full answer: p95 {p(full_ms, 95):.1f} ms")
    print(f"board poll, unchanged (304): p95 {p(unchanged_ms, 95):.2f} ms")
    print(f"board poll after a change (save + full answer): p95 {p(changed_ms, 95):.1f} ms")


if __name__ == "__main__":
    main()
