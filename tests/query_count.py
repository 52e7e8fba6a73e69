"""The N+1 guard of list endpoints: the SQL a request runs, counted before and after rows
it reads were added."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connection
from django.test.utils import CaptureQueriesContext

T = TypeVar("T")


def queries_of(call: Callable[[], T]) -> tuple[T, list[str]]:
    """What `call()` returned, and the SQL statements it ran."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, [q["sql"] for q in captured.captured_queries]


def assert_queries_flat(
    call: Callable[[], T], add_rows: Callable[[], object], *, at_most: int
) -> tuple[T, T]:
    """`call()` runs at most `at_most` queries, and no more after `add_rows()` added rows it
    reads (one query per row would show as growth); returns call()'s results, before and
    after, for the test to check that the new rows were indeed read."""
    before, few = queries_of(call)
    add_rows()
    after, many = queries_of(call)
    listing = "\n".join(many)
    assert len(many) <= len(few), f"{len(few)} queries grew to {len(many)}:\n{listing}"
    assert len(many) <= at_most, f"{len(many)} queries, more than {at_most}:\n{listing}"
    return before, after
