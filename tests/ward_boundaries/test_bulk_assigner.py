"""The in-process bulk assigner gives exactly the database rule's answers."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.bulk import MATCH_NAMES, BulkWardAssigner, nearest_in_database

pytestmark = pytest.mark.django_db


def _points(poi_features) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20251)
    # Random points over the city's bounding box and a margin of sea and China around it.
    lon = list(rng.uniform(107.70, 108.20, 4000))
    lat = list(rng.uniform(21.30, 21.70, 4000))
    edge_points = [
        xy
        for xy, _ in cases.shared_vertices("mong_cai_wards_2024_clean.geojson")
        + cases.shared_edge_midpoints("mong_cai_wards_2024_clean.geojson")
        + cases.shared_vertices("mong_cai_wards_2025_derived.geojson")
    ]
    extra = [f["geometry"]["coordinates"] for f in poi_features]
    extra += [cases.CHINA_DONGXING, cases.SEA]
    for x, y in edge_points + extra:
        lon.append(x)
        lat.append(y)
    return np.array(lon), np.array(lat)


def test_bulk_matches_database_rule_on_both_versions(mong_cai_wards, poi_features):
    lon, lat = _points(poi_features)
    assert lon.size > 4300
    rng = np.random.default_rng(7)
    days = np.array(["2024-06-01", "2025-06-30", "2025-07-01", "2026-11-23"], dtype="datetime64[D]")
    day = days[rng.integers(0, len(days), lon.size)]

    bulk = BulkWardAssigner.from_database().assign(lon, lat, day)
    database = nearest_in_database(lon, lat, [str(d) for d in day])

    mismatches = []
    for i, (ward_id, match, distance) in enumerate(database):
        expected_id = ward_id if ward_id is not None else -1
        expected_match = match or "outside"
        got_distance = None if np.isnan(bulk.distance_m[i]) else bulk.distance_m[i]
        if (bulk.ward_id[i], MATCH_NAMES[int(bulk.match[i])], got_distance) != (
            expected_id,
            expected_match,
            distance,
        ):
            mismatches.append((lon[i], lat[i], str(day[i]), bulk.ward_id[i], expected_id))
    assert mismatches == []
    kinds = {MATCH_NAMES[int(m)] for m in bulk.match}
    assert kinds == {"inside", "nearest", "outside"}  # every branch of the rule was exercised


def test_bulk_with_a_named_version_ignores_dates(mong_cai_wards):
    lon, lat = np.array([107.97]), np.array([21.53])
    version = mong_cai_wards["2024"]
    result = BulkWardAssigner.from_database(version=version).assign(lon, lat, None, version=version)
    [(ward_id, match, _)] = nearest_in_database(lon, lat, ["2030-01-01"], version=version)
    assert result.ward_id[0] == ward_id and MATCH_NAMES[int(result.match[0])] == match
