"""Report counts per ward and status, from the pre-aggregated cells.

The ward outlines of the public map carry each ward's counts (the ward card shows them), and
they are on the first screen: grouping a million reports by ward and status took 370 ms
there. The cells already hold the counts per ward and status (every row of
layers_reportcell carries both), so this sums the coarsest stored level instead (a few ten
thousand rows, read from the covering index) and adds the reports not folded in yet from
the report table, as every cell reader does. The answer is exactly what counting the
reports gives (tested, with status changes and moves of folded reports).
"""

from __future__ import annotations

from typing import Any

from common.db_routing import read_connection
from layers.report_cells import CELL_LEVELS, FOLDED_ID, fold_if_many_pending, folded_id


def ward_report_counts(ward_ids: list[int]) -> dict[int, dict[str, int]]:
    """{ward_id: {status: count}} of the reports in these wards (statuses with none left out)."""
    if not ward_ids:
        return {}
    fold_if_many_pending()
    # Raw because it sums the cell table and the unfolded reports in one statement (one
    # snapshot, so a fold running meanwhile is counted once). The literal folded id lets the
    # planner see how few ids lie above it (an index range); the subquery wins if it moved.
    sql = f"""
        SELECT ward_id, status, sum(n)::bigint FROM (
            SELECT ward_id, status, n FROM layers_reportcell
            WHERE level = %(level)s AND ward_id = ANY(%(wards)s::bigint[])
            UNION ALL
            SELECT r.ward_id, r.status, 1 FROM gis_core_report r
            WHERE r.id > %(folded)s AND r.id > {FOLDED_ID} AND r.ward_id = ANY(%(wards)s::bigint[])
        ) AS parts
        GROUP BY ward_id, status
        HAVING sum(n) <> 0
    """  # noqa: S608 - FOLDED_ID is a constant of layers.report_cells
    params: dict[str, Any] = {
        "level": CELL_LEVELS[0],
        "wards": list(ward_ids),
        "folded": folded_id(),
    }
    counts: dict[int, dict[str, int]] = {}
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        for ward_id, status, n in cursor.fetchall():
            counts.setdefault(ward_id, {})[status] = int(n)
    return counts
