"""Import bombs given to the import commands: refused with a clear error, in bounded memory,
before anything is parsed, and nothing written; and a long CSV, which is no bomb, imported.

A 5-million-vertex polygon is ~110 MB on disk and would take several GB as Python lists or a
GeoDataFrame; a million point features ~85 MB. Formats read whole (GeoJSON, POI CSV, zipped
Shapefiles) are bounded by size (a .zip by what it decompresses to), features and vertices
(etl/limits.py), checked by streaming the raw bytes, so the peak of Python allocations stays
near two 4 MiB chunks. A report CSV is streamed in chunks, so its row count is no bound at all:
its memory is one chunk's, whatever its length.
"""

from __future__ import annotations

import io
import resource
import time
import tracemalloc
import zipfile
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
def test_deeply_nested_geojson_is_refused(tmp_path, mong_cai_wards, seed_categories):
    """Coordinates nested 100,000 arrays deep: a RecursionError (or GDAL's depth limit) in
    the parser, answered as an unreadable file, never a crash."""
    path = tmp_path / "nested.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"ward_code": "99999", "name": "Bom"}, "geometry": {"type": "Point", "coordinates": '
        + "[" * 100_000
        + "]" * 100_000
        + "}}]}",
        encoding="ascii",
    )
    assert "nested too deeply" in run_refused("import_reports", path)
    assert "nested too deeply" in run_refused("import_pois", path, "--layer", "tourism")
    assert path.name in run_refused("import_wards", path, "--version", "bom-2026")


@pytest.mark.django_db
def test_zip_is_bounded_by_what_it_decompresses_to(tmp_path, settings, mong_cai_wards):
    """A zipped 'Shapefile' of 4 MiB of zeros is 4 KB on disk: refused by its contents' size
    against IMPORT_MAX_BYTES, read from the archive's directory (nothing inflated)."""
    archive = tmp_path / "wards.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("wards.shp", bytes(4 * 2**20))
    assert archive.stat().st_size < 2**16
    settings.IMPORT_MAX_BYTES = 2**20
    message = run_refused("import_wards", archive, "--version", "bom-2026")
    assert "decompresses to 4,194,304 bytes" in message and "IMPORT_MAX_BYTES" in message


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
    # A POI CSV is read whole: bounded like a GeoJSON, by bytes and rows.
    csv = tmp_path / "rows.csv"
    csv.write_text("name,lon,lat\n" + "x,107.9,21.5\n" * 20, encoding="utf-8")
    settings.IMPORT_MAX_BYTES = 100
    assert "IMPORT_MAX_BYTES" in run_refused("import_pois", csv, "--layer", "tourism")
    settings.IMPORT_MAX_BYTES = 10**6
    settings.IMPORT_MAX_FEATURES = 10
    assert "more than 10 rows" in run_refused("import_pois", csv, "--layer", "tourism")
    # A report CSV is streamed: only its size is bounded.
    reports = tmp_path / "reports.csv"
    reports.write_text(
        "category,description,lon,lat\n" + "moi_truong,x,107.9,21.5\n" * 20, encoding="utf-8"
    )
    settings.IMPORT_MAX_CSV_BYTES = 100
    assert "IMPORT_MAX_CSV_BYTES" in run_refused("import_reports", reports)


def test_the_default_csv_limit_admits_the_ten_million_report_benchmark(tmp_path):
    """The guard must not refuse the mission's own big job: the 10M-report scale set is a
    1.5 GB CSV (a sparse file of that size stands in for it; only its size is checked)."""
    from etl.limits import ImportLimits, ImportTooLarge, check_streamed_csv

    big = tmp_path / "scale_reports_10m.csv"
    with big.open("wb") as out:
        out.truncate(1_508_838_666)
    assert check_streamed_csv(big, ImportLimits.from_settings()) == 1_508_838_666
    with big.open("wb") as out:
        out.truncate(17 * 1024**3)
    with pytest.raises(ImportTooLarge, match="IMPORT_MAX_CSV_BYTES"):
        check_streamed_csv(big, ImportLimits.from_settings())


def write_legacy_csv(path: Path, keys: list[str], points: list[tuple[float, float]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("id,category,description,lon,lat,reported_at\n")
        for i, key in enumerate(keys):
            x, y = points[i % len(points)]
            out.write(f"{key},moi_truong,Rác thải số {i} ở chợ,{x},{y},2024-05-01 08:00\n")
    return path


def import_peak_mib(path: Path) -> float:
    """Python's peak allocation (tracemalloc, MiB) while import_reports runs on `path`."""
    tracemalloc.start()
    try:
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


@pytest.mark.django_db
def test_a_long_csv_imports_in_memory_bounded_by_the_chunk_not_the_rows(
    tmp_path, settings, mong_cai_wards
):
    """Row count is not the bound, memory is: with chunks of 500 rows, 3,000 and 12,000 rows
    both import whole (far over a feature limit of 1,000, which binds only files read
    whole), and four times the rows costs about the same peak, one chunk's (read whole, it
    would be about four times as much); a row repeating one of an earlier chunk is refused."""
    from gis_core.models import Report
    from tests.ward_boundaries import geometry_cases as cases

    points = list(cases.interior_points("mong_cai_wards_2024_clean.geojson").values())
    settings.IMPORT_CHUNK_ROWS = 500
    settings.IMPORT_MAX_FEATURES = 1000
    # Once first, so that what the first import loads (modules, caches) is in neither peak.
    import_peak_mib(write_legacy_csv(tmp_path / "warm.csv", ["W0", "W1"], points))
    peaks = {}
    for prefix, rows in (("A", 3_000), ("B", 12_000)):
        keys = [f"{prefix}{i}" for i in range(rows)]
        peaks[rows] = import_peak_mib(write_legacy_csv(tmp_path / f"{prefix}.csv", keys, points))
        assert Report.objects.filter(idempotency_key__startswith=f"legacy:{prefix}").count() == rows
    print(f"import_reports peaks (MiB) by rows, chunks of 500: {peaks}")
    assert peaks[12_000] < 1.5 * peaks[3_000], peaks
    # The same key in the first and the third chunk: the later row is refused, by its number.
    keys = [f"C{i}" for i in range(1_200)] + ["C0"]
    err = io.StringIO()
    call_command(
        "import_reports",
        str(write_legacy_csv(tmp_path / "C.csv", keys, points)),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert err.getvalue() == "row 1201: id: 'legacy:C0' repeats an earlier row.\n"
    assert Report.objects.filter(idempotency_key__startswith="legacy:C").count() == 1_200
