"""How many rows of a table a call reads: each SELECT it ran, run again under EXPLAIN ANALYZE,
its scans of the table summed (rows returned plus rows removed by filters and rechecks).

A bound on the work of a request is a bound on this figure, whatever the machine's speed.
The table is analysed and sequential scans are off while explaining, so a test's small table
is read the way a large one is (through its indexes); a probe of the newest id (`max(id)`,
one index entry) is not counted as reading the table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection, transaction

from tests.query_count import queries_of

T = TypeVar("T")

_REMOVED = (
    "Rows Removed by Filter",
    "Rows Removed by Index Recheck",
    "Rows Removed by Join Filter",
)


def _scanned(node: dict[str, Any], table: str) -> int:
    rows = 0
    if node.get("Relation Name") == table:
        loops = node.get("Actual Loops", 1)
        rows += node.get("Actual Rows", 0) * loops + sum(node.get(k, 0) for k in _REMOVED)
    for child in node.get("Plans", []):
        rows += _scanned(child, table)
    return rows


def rows_read(call: Callable[[], T], table: str) -> tuple[T, int, list[tuple[str, int]]]:
    """What `call()` returned, the rows of `table` its SELECTs read, and (SELECT, rows) each."""
    result, statements = queries_of(call)
    touching = [
        sql
        for sql in statements
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        and table in re.sub(rf"max\(id\)(, 0\))? FROM {table}", "", sql)
    ]
    each = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # estimates as the real rows give them
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in touching:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            each.append((sql, _scanned(plan[0]["Plan"], table)))
    return result, sum(rows for _, rows in each), each
