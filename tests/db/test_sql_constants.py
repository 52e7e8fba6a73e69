"""The live SQL functions agree with the Python constants they share.

Migrations carry their SQL written out in full (never built from Python or from another
migration), so nothing but this test ties a literal in a trigger to the constant Python
uses for the same rule: the local time zone, the report-cell levels and the cell size.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection

from common.local_time import LOCAL_TIME_ZONE
from layers.report_cells import CELL_EXPRESSIONS, CELL_LEVELS, TOTAL_LEVELS, cell_size

pytestmark = pytest.mark.django_db


def function_definitions() -> dict[str, str]:
    """name -> pg_get_functiondef() of every function the project defines (prefix ht_)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'ht\\_%%'"
        )
        return dict(cursor.fetchall())


def test_every_local_date_in_sql_uses_the_local_time_zone():
    definitions = function_definitions()
    zones = {
        (name, zone)
        for name, body in definitions.items()
        for zone in re.findall(r"AT TIME ZONE '([^']+)'", body)
    }
    assert {"ht_assign_ward", "ht_report_cells_update"} <= {name for name, _ in zones}
    assert {zone for _, zone in zones} == {LOCAL_TIME_ZONE}
    assert settings.TIME_ZONE == LOCAL_TIME_ZONE
    assert f"AT TIME ZONE '{LOCAL_TIME_ZONE}'" in CELL_EXPRESSIONS


def _levels(body: str) -> list[tuple[int, ...]]:
    found = re.findall(r"\(VALUES ((?:\(\d+\)(?:, )?)+)\) AS l\(level\)", body)
    return [tuple(int(n) for n in re.findall(r"\d+", group)) for group in found]


@pytest.mark.parametrize("function", ["ht_report_cells_update", "ht_report_cells_delete"])
def test_cell_triggers_write_the_levels_python_reads(function):
    body = function_definitions()[function]
    assert sorted(set(_levels(body))) == sorted({CELL_LEVELS, TOTAL_LEVELS})


@pytest.mark.parametrize("function", ["ht_report_cells_update", "ht_report_cells_delete"])
def test_cell_triggers_size_cells_like_python(function):
    body = function_definitions()[function]
    # Python's cell_size(level) is 360 / 2**level degrees; the trigger's expression says so.
    sizes = set(re.findall(r"360\.0::double precision / \(1 << l\.level\)", body))
    sizes |= set(re.findall(r"360\.0::float8 / \(1 << l\.level\)", body))
    assert sizes, "the triggers no longer size cells as 360 / 2**level"
    assert all(cell_size(level) == 360.0 / 2**level for level in TOTAL_LEVELS)
    assert "360.0::float8 / (1 << l.level)" in CELL_EXPRESSIONS


def test_reports_pois_and_wifi_share_one_ward_assignment_function():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, p.proname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgname LIKE '%%assign_ward%%'"
        )
        functions = dict(cursor.fetchall())
    assert set(functions) == {"gis_core_report", "layers_pointofinterest", "layers_wifisite"}
    assert set(functions.values()) == {"ht_assign_ward"}
    assert not {"ht_report_assign_ward", "ht_layer_assign_ward"} & set(function_definitions())


def test_the_ward_counts_index_covers_the_level_the_counts_read():
    """layers 0027's partial index holds the coarsest stored level, which ward_counts sums."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'reportcell_ward_counts'")
        (definition,) = cursor.fetchone()
    assert re.search(rf"WHERE \(level = {CELL_LEVELS[0]}\)", definition), definition
    assert "(ward_id, status) INCLUDE (n)" in definition
