"""The array implementation of the hotspot statistics against the slow, obvious one it
replaced: esda's G_Local z-scores on a libpysal W, permutation p-values computed for every
hex, Benjamini-Hochberg over a full sort, and every hex of the bounding box tested with
shapely. No database: these are pure functions of their inputs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import shapely
from esda.getisord import G_Local
from libpysal.weights import W

from layers.gi_star import (
    SEED,
    _draw_distinct,
    benjamini_hochberg,
    gi_star_test,
    gi_star_z,
    permutations_needed,
)
from layers.hex_grid import (
    NEIGHBOUR_OFFSETS,
    HexSet,
    hex_keys,
    hex_of_points,
    hex_polygons,
    hex_radius,
    hexes_touching,
    key_coords,
    with_neighbourhoods,
)

HEX_M = 300.0


def blob(seed: int) -> shapely.Geometry:
    """An irregular area in metres: a wobbly disc with a hole, a nearby island and a speck
    smaller than a hex (which still touches one or two)."""
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * math.pi, 90, endpoint=False)
    radius = 4000 * (1 + 0.25 * np.sin(3 * angles + rng.uniform(0, 6)) + rng.uniform(0, 0.1, 90))
    outer = np.column_stack([5e5 + radius * np.cos(angles), 2.4e6 + radius * np.sin(angles)])
    hole = shapely.Point(5e5 + 300, 2.4e6 - 200).buffer(900)
    island = shapely.Point(5e5 + 7000, 2.4e6 + 1000).buffer(600)
    speck = shapely.Point(5e5 - 6500, 2.4e6 + 40).buffer(30)
    return shapely.union_all([shapely.Polygon(outer).difference(hole), island, speck])


def brute_force_hexes(area: shapely.Geometry, hex_size_m: float) -> set[tuple[int, int]]:
    """Every hex of the bounding box tested with shapely.intersects (the old study area)."""
    radius = hex_radius(hex_size_m)
    minx, miny, maxx, maxy = area.bounds
    q = np.arange(math.floor(minx / (1.5 * radius)) - 1, math.ceil(maxx / (1.5 * radius)) + 2)
    step = math.sqrt(3) * radius
    r_lo, r_hi = math.floor(miny / step - q.max() / 2) - 1, math.ceil(maxy / step - q.min() / 2) + 1
    r = np.arange(r_lo, r_hi + 1)
    gq, gr = (a.ravel() for a in np.meshgrid(q, r, indexing="ij"))
    hit = shapely.intersects(area, hex_polygons(gq, gr, radius))
    return set(zip(gq[hit].tolist(), gr[hit].tolist(), strict=True))


def brute_force_sizes(keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    return {
        (q, r): 1 + sum((q + dq, r + dr) in keys for dq, dr in NEIGHBOUR_OFFSETS) for q, r in keys
    }


def as_tuples(hexes: HexSet) -> list[tuple[int, int]]:
    q, r = key_coords(hexes.keys)
    return list(zip(q.tolist(), r.tolist(), strict=True))


@pytest.mark.parametrize("seed,hex_size_m", [(1, 300.0), (2, 500.0), (3, 1000.0), (4, 170.0)])
def test_hexes_touching_equals_testing_every_hex(seed, hex_size_m):
    area = blob(seed)
    found = hexes_touching(area, hex_size_m)
    expected = brute_force_hexes(area, hex_size_m)
    assert as_tuples(found) == sorted(expected)  # the same hexes, in (q, r) order
    sizes = brute_force_sizes(expected)
    assert found.sizes.tolist() == [sizes[k] for k in as_tuples(found)]
    assert len(expected) > 50 and min(sizes.values()) < 7  # edges, holes and specks included


def test_hex_of_points_agrees_with_the_hex_polygons():
    rng = np.random.default_rng(5)
    radius = hex_radius(HEX_M)
    x, y = rng.uniform(-5e4, 5e4, 2000), rng.uniform(2e6, 2.1e6, 2000)
    q, r = hex_of_points(x, y, radius)
    polygons = hex_polygons(q, r, radius)
    assert shapely.covers(polygons, shapely.points(x, y)).all()


def test_with_neighbourhoods_adds_rings_and_updates_sizes():
    base_keys = brute_force_hexes(blob(6), HEX_M)
    base = hexes_touching(blob(6), HEX_M)
    rng = np.random.default_rng(7)
    inside = [sorted(base_keys)[i] for i in rng.choice(len(base_keys), 20, replace=False)]
    q0, r0 = max(base_keys)
    outside = [(q0 + 2, r0), (q0 + 3, r0), (q0 + 40, r0 - 7), (q0 + 41, r0 - 7)]
    reported = inside + outside
    grid, added = with_neighbourhoods(base, hex_keys(*np.array(reported).T))
    expected = set(base_keys)
    for q, r in reported:
        expected.add((q, r))
        expected.update((q + dq, r + dr) for dq, dr in NEIGHBOUR_OFFSETS)
    assert as_tuples(grid) == sorted(expected)
    sizes = brute_force_sizes(expected)
    assert grid.sizes.tolist() == [sizes[k] for k in as_tuples(grid)]
    assert len(added) == len(expected) - len(base_keys) > 10
    same, nothing = with_neighbourhoods(grid, hex_keys(*np.array(inside).T))
    assert same is grid and len(nothing) == 0


def _grid_with_counts(seed: int) -> tuple[HexSet, np.ndarray]:
    """A study area with reports: a planted cluster, noise, and reports on its edges."""
    grid = hexes_touching(blob(seed), HEX_M)
    rng = np.random.default_rng(seed)
    y = np.zeros(len(grid))
    y[rng.choice(len(grid), 60, replace=False)] = rng.integers(1, 4, 60)
    cluster = rng.integers(0, len(grid))
    q, r = key_coords(grid.keys[cluster : cluster + 1])
    ring = hex_keys(q + np.array([0, 1, -1, 0, 0, 1, -1]), r + np.array([0, 0, 0, 1, -1, -1, 1]))
    at = np.searchsorted(grid.keys, ring)
    at = at[(at < len(grid)) & (grid.keys[np.minimum(at, len(grid) - 1)] == ring)]
    y[at] += 8
    edges = np.flatnonzero(grid.sizes < 7)
    y[rng.choice(edges, 5, replace=False)] += 2
    return grid, y


def _neighbour_lists(grid: HexSet) -> list[np.ndarray]:
    index = {k: i for i, k in enumerate(as_tuples(grid))}
    around = [[(q + dq, r + dr) for dq, dr in NEIGHBOUR_OFFSETS] for q, r in index]
    return [np.array([index[k] for k in ring if k in index]) for ring in around]


def test_z_scores_equal_esda(seed=11):
    grid, y = _grid_with_counts(seed)
    neighbours = _neighbour_lists(grid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        w = W({i: [i, *nb.tolist()] for i, nb in enumerate(neighbours)}, silence_warnings=True)
        esda_z = G_Local(y, w, transform="B", star=True, permutations=0).Zs
    sums = y + np.array([y[nb].sum() for nb in neighbours])
    sizes = np.array([len(nb) + 1 for nb in neighbours])
    n, total, squares = len(y), float(y.sum()), float((y**2).sum())
    z = gi_star_z(sums, sizes, n=n, total=total, total_squares=squares)
    np.testing.assert_allclose(z, esda_z, rtol=0, atol=1e-9)
    # The textbook form of the same statistic, with the population standard deviation.
    mean, sd = y.mean(), y.std()
    textbook = (sums - sizes * mean) / (sd * np.sqrt((n * sizes - sizes**2) / (n - 1)))
    np.testing.assert_allclose(z, textbook, rtol=0, atol=1e-9)
    # The grid test: the same z for every hex, the empty neighbourhoods' included.
    test = gi_star_test(grid, y, alpha=0.05, permutations=999)
    np.testing.assert_allclose(test.z, esda_z, rtol=0, atol=1e-9)


def _dense_pvalues(y, sizes, observed, permutations):
    """The p-values as they were computed before: every hex, zeros included."""
    rng = np.random.default_rng(SEED)
    p = np.ones(len(y))
    for k in np.unique(sizes):
        draws = np.sort(y[_draw_distinct(rng, len(y), permutations, int(k))].sum(axis=1))
        members = np.flatnonzero(sizes == k)
        larger = permutations - np.searchsorted(draws, observed[members], side="left")
        p[members] = (larger + 1) / (permutations + 1)
    return p


def _dense_bh(p: np.ndarray, alpha: float) -> np.ndarray:
    m = len(p)
    ranked = np.sort(p)
    below = np.flatnonzero(ranked <= alpha * np.arange(1, m + 1) / m)
    return p <= ranked[below[-1]] if len(below) else np.zeros(m, bool)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_p_values_and_significance_equal_the_dense_computation(seed):
    grid, y = _grid_with_counts(seed)
    neighbours = _neighbour_lists(grid)
    sums = y + np.array([y[nb].sum() for nb in neighbours])
    sizes = np.array([len(nb) + 1 for nb in neighbours])
    used = permutations_needed(hexes=len(y), alpha=0.05, permutations=999)
    dense = _dense_pvalues(y, sizes, sums, used)
    test = gi_star_test(grid, y, alpha=0.05, permutations=999)
    np.testing.assert_array_equal(test.p, dense)
    assert (dense[sums == 0] == 1).all() and (dense < 0.01).sum() > 5
    expected = _dense_bh(dense, 0.05) & (test.z > 0)
    np.testing.assert_array_equal(test.significant, expected)
    assert test.significant.sum() >= 5  # the planted cluster


def test_benjamini_hochberg_equals_a_full_sort():
    rng = np.random.default_rng(17)
    for m, alpha in ((10, 0.05), (3, 0.05), (1000, 0.1), (5000, 0.05), (7, 1.0)):
        p = np.ones(m)
        small = rng.choice(m, max(1, m // 20), replace=False)
        p[small] = rng.choice([1e-6, 1e-5, 3e-4, 0.01, 0.04, 0.05, 0.2], len(small))
        np.testing.assert_array_equal(benjamini_hochberg(p, alpha), _dense_bh(p, alpha))
        uniform = rng.uniform(0, 1, m)
        np.testing.assert_array_equal(benjamini_hochberg(uniform, alpha), _dense_bh(uniform, alpha))
    assert benjamini_hochberg(np.array([0.01, 0.02, 1.0]), 0.05).tolist() == [True, True, False]
    assert benjamini_hochberg(np.zeros(0), 0.05).tolist() == []


def test_degenerate_counts_test_nothing():
    grid = hexes_touching(blob(3), 1000.0)
    for y in (np.zeros(len(grid)), np.full(len(grid), 2.0)):
        test = gi_star_test(grid, y, alpha=0.05, permutations=999)
        assert not test.significant.any() and (test.p == 1).all() and (test.z == 0).all()
