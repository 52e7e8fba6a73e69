"""GeoJSON bombs given to the import commands: refused with a clear error, in bounded memory,
before anything is parsed, and nothing written.

A 5-million-vertex polygon is ~110 MB on disk and would take several GB as Python lists or a
GeoDataFrame; a million point features ~85 MB. The limits (etl/limits.py) are checked by
streaming the raw bytes, so the peak of Python allocations stays near two 4 MiB chunks.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

PEAK_PY_MIB = 64  # tracemalloc peak while the command runs
PEAK_RSS_GROWTH_MIB = 256  # growth of the process's peak RSS (C allocations included)


def write_polygon_bomb(path: Path, vertices: int) -> None:
    """One ward whose ring has `vertices` positions, written in slices (little memory)."""
    head = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"ward_code": "99999", "name": "Bom", "unit_type": "phuong"}, "geometry": '
        '{"type": "Polygon", "coordinates": [['
    )
    vertex = "[107.912345,21.512345],"
    with path.open("w", encoding="ascii") as out:
        out.write(head)
        step = 100_000
        for start in range(0, vertices - 1, step):
            out.write(vertex * min(step, vertices - 1 - start))
        out.write("[107.912345,21.512345]]]}}]}")


def write_feature_bomb(path: Path, features: int, props: str) -> None:
    one = (
        '{"type": "Feature", "properties": {' + props + "}, "
        '"geometry": {"type": "Point", "coordinates": [107.9653, 21.5338]}},'
    )
    with path.open("w", encoding="ascii") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        step = 50_000
        for start in range(0, features - 1, step):
            out.write(one * min(step, features - 1 - start))
        out.write(one.rstrip(","))
        out.write("]}")


def _row_counts() -> dict[str, int]:
    return {
        m._meta.db_table: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


def run_refused(command: str, path: Path, *args: str) -> str:
    """Runs the command; returns its error; checks memory, time and that nothing was written."""
    before = _row_counts()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(CommandError) as refused:
            call_command(command, str(path), *args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert peak / 2**20 < PEAK_PY_MIB, f"{command}: Python peak {peak / 2**20:.0f} MiB"
    assert rss_growth < PEAK_RSS_GROWTH_MIB, f"{command}: RSS grew {rss_growth:.0f} MiB"
    assert _row_counts() == before, f"{command} wrote something"
    print(
        f"{command} {path.name} ({path.stat().st_size / 2**20:.0f} MiB): refused in "
        f"{elapsed:.1f} s, Python peak {peak / 2**20:.1f} MiB, RSS growth {rss_growth:.0f} MiB"
    )
    return str(refused.value)


@pytest.fixture(scope="module")
def polygon_bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bombs") / "wards_5m_vertices.geojson"
    write_polygon_bomb(path, 5_000_000)
    return path


@pytest.fixture(scope="module")
def feature_bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bombs") / "one_million.geojson"
    props = '"name": "x", "category": "moi_truong", "description": "x"'
    write_feature_bomb(path, 1_000_000, props)
    return path


@pytest.mark.django_db
def test_wards_polygon_with_5_million_vertices_is_refused(polygon_bomb, mong_cai_wards):
    message = run_refused("import_wards", polygon_bomb, "--version", "bom-2026")
    assert "more than 2,000,000 coordinate positions" in message
    assert "IMPORT_MAX_VERTICES" in message and polygon_bomb.name in message


@pytest.mark.django_db
def test_wards_with_a_million_features_is_refused(feature_bomb, mong_cai_wards):
    message = run_refused("import_wards", feature_bomb, "--version", "bom-2026")
    assert "features (setting IMPORT_MAX_FEATURES)" in message


@pytest.mark.django_db
def test_pois_with_a_million_features_is_refused(feature_bomb):
    message = run_refused("import_pois", feature_bomb, "--layer", "tourism")
    assert "more than 500,000 features" in message and feature_bomb.name in message


@pytest.mark.django_db
def test_pois_polygon_bomb_is_refused(polygon_bomb):
    message = run_refused("import_pois", polygon_bomb, "--layer", "tourism")
    assert "coordinate positions" in message


@pytest.mark.django_db
def test_reports_with_a_million_features_is_refused(feature_bomb, seed_categories):
    message = run_refused("import_reports", feature_bomb)
    assert "more than 500,000 features" in message


@pytest.mark.django_db
def test_limits_are_settings(tmp_path, settings, seed_categories):
    """Smaller limits apply at once; a file over the byte limit is refused without a scan."""
    path = tmp_path / "small.geojson"
    write_feature_bomb(path, 50, '"name": "x", "category": "moi_truong", "description": "x"')
    settings.IMPORT_MAX_FEATURES = 10
    assert "more than 10 features" in run_refused("import_reports", path)
    settings.IMPORT_MAX_FEATURES = 1000
    settings.IMPORT_MAX_BYTES = 1000
    assert "IMPORT_MAX_BYTES" in run_refused("import_pois", path, "--layer", "tourism")
    csv = tmp_path / "rows.csv"
    csv.write_text("name,lon,lat\n" + "x,107.9,21.5\n" * 20, encoding="utf-8")
    settings.IMPORT_MAX_CSV_BYTES = 100
    assert "IMPORT_MAX_CSV_BYTES" in run_refused("import_pois", csv, "--layer", "tourism")
    settings.IMPORT_MAX_CSV_BYTES = 10**6
    settings.IMPORT_MAX_ROWS = 10
    assert "more than 10 rows" in run_refused("import_pois", csv, "--layer", "tourism")


def test_csv_limits_let_the_million_row_legacy_import_through(tmp_path):
    """The guard must not break the platform's own big job: a million-row CSV of reports
    passes the default limits (the GeoJSON feature limit, 500,000, would refuse it)."""
    from etl.limits import ImportLimits, check_text_rows

    path = tmp_path / "legacy.csv"
    path.write_bytes(b"category,description,lon,lat\n" + b"k,x,107.9,21.5\n" * 1_000_000)
    assert check_text_rows(path) == 1_000_001
    assert ImportLimits.from_settings().max_features < 1_000_000
