"""The synthetic national partition: counts, determinism, an exact partition, real-ward vertex
counts, and the hole left for the Móng Cái wards."""

from __future__ import annotations

import collections
import json

import numpy as np
import pytest
import shapely

from etl import national_partition as national
from tests.conftest import WARDS_2025

SMALL = [
    ("22", "Tỉnh Quảng Ninh", 20, 107.40, 21.25),
    ("20", "Tỉnh Lạng Sơn", 12, 106.60, 21.85),
    ("01", "Thành phố Hà Nội", 18, 105.70, 21.00),
]


@pytest.fixture(scope="module")
def full() -> list[national.NationalUnit]:
    return national.generate_units()


@pytest.fixture(scope="module")
def with_hole():
    return national.national_frame(mong_cai_hole_path=WARDS_2025)


def test_the_country_has_3321_units_in_34_provinces(full):
    assert sum(p[2] for p in national.PROVINCES) == national.TOTAL_UNITS == 3321
    assert len(full) == 3321
    assert len({u.code for u in full}) == 3321
    per_province = collections.Counter(u.province_code for u in full)
    assert len(per_province) == 34
    assert per_province["22"] == 54
    assert per_province == {code: units for code, _n, units, *_ in national.PROVINCES}
    names = {u.province_code: u.province_name for u in full}
    assert names["22"] == "Tỉnh Quảng Ninh" and names["79"] == "Thành phố Hồ Chí Minh"
    assert {u.unit_type for u in full} == {"phuong", "xa"}
    assert all(u.full_name.split(" ", 1)[0] in ("Phường", "Xã") for u in full)


def test_the_units_are_an_exact_partition_of_the_outline(full):
    geoms = [u.geometry for u in full]
    check = national.check_partition(geoms)
    assert check.invalid == 0
    assert check.max_overlap < 1e-12  # square degrees: shared edges, nothing more
    assert check.sum_area == pytest.approx(check.union_area, rel=1e-9)  # no overlaps
    union = shapely.union_all(geoms)
    holes = sum(len(p.interiors) for p in shapely.get_parts(union))
    assert holes == 0  # no gaps between units
    outline = national.outline_polygon()
    # The edges wiggle, the coast too: the area stays that of the outline within 0.5 %.
    assert union.area == pytest.approx(outline.area, rel=5e-3)
    assert shapely.symmetric_difference(union, outline).area < 0.01 * outline.area
    lon0, lat0, lon1, lat1 = union.bounds
    assert 102.0 < lon0 < 102.3 and 109.3 < lon1 < 109.6 and 8.4 < lat0 < 8.7 and 23.2 < lat1 < 23.5


def test_each_province_is_one_compact_region(full):
    by_province: dict[str, list] = collections.defaultdict(list)
    for unit in full:
        by_province[unit.province_code].append(unit.geometry)
    for code, geoms in by_province.items():
        pieces = shapely.get_parts(shapely.union_all(geoms))
        areas = shapely.area(pieces)
        # Optimal transport can cut off a corner in a narrow stretch; the region is one piece
        # but for crumbs.
        assert areas.max() >= 0.9 * areas.sum(), code


def test_vertex_counts_are_those_of_real_wards(full):
    counts = np.array([shapely.get_num_coordinates(u.geometry) for u in full])
    # The Móng Cái wards: 8-208 vertices, medians 45 (2024) and 100 (2025).
    real = np.array(
        [shapely.get_num_coordinates(g) for g in shapely.from_geojson(_features(WARDS_2025))]
    )
    assert real.min() >= 8
    assert 45 <= np.median(counts) <= 130
    assert counts.min() >= 12 and counts.max() <= 400
    assert np.percentile(counts, 95) <= 1.5 * real.max()


def _features(path) -> list[str]:
    return [json.dumps(f["geometry"]) for f in json.loads(path.read_text())["features"]]


def test_same_seed_same_partition_other_seed_another():
    first = national.generate_units(provinces=SMALL, seed=7)
    again = national.generate_units(provinces=SMALL, seed=7)
    other = national.generate_units(provinces=SMALL, seed=8)
    assert [(u.code, u.name, u.province_code, u.geometry.wkb) for u in first] == [
        (u.code, u.name, u.province_code, u.geometry.wkb) for u in again
    ]
    assert [u.geometry.wkb for u in first] != [u.geometry.wkb for u in other]
    assert len(first) == 50 and national.check_partition([u.geometry for u in first]).invalid == 0


def test_the_mong_cai_hole_leaves_its_area_and_units_out(with_hole):
    hole, hole_units = national.mong_cai_hole(WARDS_2025)
    assert hole_units == 6
    assert len(with_hole) == 3321 - 6
    per_province = collections.Counter(with_hole["province_code"])
    assert per_province["22"] == 54 - 6 and len(per_province) == 34
    geoms = with_hole.geometry.to_numpy()
    assert shapely.area(shapely.intersection(geoms, hole)).max() < 1e-12
    check = national.check_partition(geoms)
    assert check.invalid == 0 and check.max_overlap < 1e-12
    # Together with the Móng Cái wards the units leave no gap around the hole.
    covered = shapely.union_all([*geoms, hole])
    gaps = [shapely.Polygon(r).area for p in shapely.get_parts(covered) for r in p.interiors]
    assert max(gaps, default=0) < 1e-8  # ~100 m²: the Móng Cái file's own 4 m² pinhole
    areas = shapely.area(shapely.get_parts(covered))
    assert areas.max() > 0.999 * areas.sum()  # the mainland, and Móng Cái's islands
    # The units next to the hole are in Quảng Ninh, as Móng Cái is.
    touching = with_hole[shapely.intersects(geoms, hole.buffer(1e-6))]
    assert len(touching) and set(touching["province_code"]) == {"22"}


def test_the_written_file_is_what_import_wards_reads(tmp_path):
    from etl.wards import read_ward_file

    path = national.write_national_file(tmp_path / "n.geojson")
    records, _repairs = read_ward_file(path)
    assert len(records) == 3321
    assert {r.province_code for r in records if r.code == "90001"} == {"01"}
    assert all(r.province_name and r.province_code and not r.district_code for r in records)
    cached = national.cached_national_file(tmp_path / "cache")
    assert json.loads(cached.read_text())["features"] == json.loads(path.read_text())["features"]
    assert national.cached_national_file(tmp_path / "cache") == cached  # reused
