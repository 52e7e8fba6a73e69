"""Getis-Ord Gi* with binary star weights (a hex and its six neighbours) over a hex grid of
any size: the z-scores esda's G_Local(star=True, transform="B") gives, permutation p-values
under total randomisation, and the Benjamini-Hochberg step over every hex of the grid.

Computed with numpy on the grid's arrays rather than through a libpysal W and esda: over
the whole country (4.4 million hexes at 300 m) those took minutes and gigabytes, while all
a hex needs is its neighbourhood's sum and size. Only hexes near a report have a non-zero
sum; every other hex has the z-score of an empty neighbourhood of its size and the p-value
1 (no shuffle's sum is below zero), and still counts among the m tests of the FDR step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from layers.hex_grid import NEIGHBOUR_KEY_OFFSETS, HexSet, neighbourhood_sums, positions

# The permutation budget: enough for every hex of Móng Cái at 300 m (7,700 hexes / alpha), so
# today's answers are unchanged, and a ceiling on the shuffles (memory: 8 bytes x 7 per
# permutation and neighbourhood size) whatever the grid. Past it the smallest attainable
# p-value is 1/(MAX+1): a cluster needs a few significant hexes to pass the FDR step.
MAX_PERMUTATIONS = 160_000
# Fixed, so the same data and parameters always give the same answer (and the same map).
SEED = 20250701


@dataclass(frozen=True)
class PeriodTest:
    z: np.ndarray
    p: np.ndarray
    significant: np.ndarray
    permutations: int


def gi_star_z(
    sums: np.ndarray, sizes: np.ndarray, *, n: int, total: float, total_squares: float
) -> np.ndarray:
    """Gi* z-scores of neighbourhoods with these sums S and sizes W (self included), in a
    grid of n hexes whose values add up to `total` (squares: `total_squares`).

    z = (S - W ȳ) / (s sqrt((n W - W²) / (n - 1))), ȳ and s the mean and population standard
    deviation of all n values: the analytical moments under total randomisation. Written
    as esda computes it, operation for operation, so the numbers are esda's own.
    """
    cardinality = np.asarray(sizes, float)
    statistic = np.asarray(sums, float) / total
    empirical_mean = total / n
    mean_of_squares = total_squares / n
    empirical_variance = mean_of_squares - empirical_mean**2
    expected_value = cardinality / n
    expected_variance = cardinality * (n - cardinality)
    expected_variance /= n - 1
    expected_variance *= 1 / n**2
    expected_variance *= empirical_variance / (empirical_mean**2)
    with np.errstate(invalid="ignore", divide="ignore"):  # no variance: z is 0
        z = (statistic - expected_value) / np.sqrt(expected_variance)
    return np.nan_to_num(z)


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """Which tests the Benjamini-Hochberg step-up rejects at false discovery rate `alpha`
    (the same threshold as esda.fdr, as a mask).

    Only p-values at most alpha·m/m can pass, and they are the smallest ones: sorting just
    those gives the same threshold as sorting all m (millions of them, nearly all 1)."""
    m = len(p)
    if m == 0:
        return np.zeros(0, bool)
    ranked = np.sort(p[p <= alpha * m / m])
    below = np.flatnonzero(ranked <= alpha * np.arange(1, len(ranked) + 1) / m)
    if len(below) == 0:
        return np.zeros(m, bool)
    return p <= ranked[below[-1]]


def _draw_distinct(rng: np.random.Generator, pool: int, rows: int, k: int) -> np.ndarray:
    """`rows` draws of k distinct indices below `pool` (sampling without replacement)."""
    if pool <= 64:
        return np.argsort(rng.random((rows, pool)), axis=1)[:, :k]
    draws = rng.integers(0, pool, size=(rows, k))
    while k > 1:
        s = np.sort(draws, axis=1)
        dup = np.flatnonzero((s[:, 1:] == s[:, :-1]).any(axis=1))
        if len(dup) == 0:
            break
        draws[dup] = rng.integers(0, pool, size=(len(dup), k))
    return draws


def permutations_needed(*, hexes: int, alpha: float, permutations: int) -> int:
    """At least `permutations`, and enough that the smallest attainable p-value, 1/(P+1),
    is below the first Benjamini-Hochberg threshold alpha/m: with 999 permutations no
    p-value goes below 0.001, while with 6,000 hexes a cluster of 10 needs 8e-5. Capped at
    MAX_PERMUTATIONS (the budget of one analysis)."""
    return min(MAX_PERMUTATIONS, max(permutations, math.ceil(hexes / alpha)))


# The shuffles of one grid, by (hexes, permutations, neighbourhood sizes present): a
# find_hotspots() tests two periods on the same grid, and the draws (seeded, made for every
# size in order) are the same for both, so the second test reuses the first's.
Draws = dict[tuple[int, int, bytes], list[np.ndarray]]


def hot_pvalues(
    y: np.ndarray,
    sizes: np.ndarray,
    at: np.ndarray,
    observed: np.ndarray,
    permutations: int,
    *,
    draws_cache: Draws | None = None,
) -> np.ndarray:
    """One-sided permutation p-values of each hex's Gi* sum (itself + its neighbours); `at`
    are the hexes whose sum `observed` is above zero, every other hex's p-value is 1.

    The null is Getis and Ord's own, total randomisation: the counts are shuffled over all
    hexes, so a hex with k cells in its neighbourhood is compared with sums of k counts
    drawn without replacement from all of them. That distribution depends only on k, so
    one set of draws per k serves every hex (cheap enough for the many permutations FDR
    needs). esda's conditional randomisation keeps the hex's own count fixed, which suits
    local Moran but not Gi*: the heart of a cluster would be judged on its neighbours
    alone, and with two clusters in the city each heart is "explained" by the other's counts.
    The draws are made for every size in the grid, in order, so each size's draws are the
    same whichever sizes have a hex above zero. `draws_cache`: a dict to keep the draws in
    for another test on the same grid (same answer, half the work for two periods).
    """
    p = np.ones(len(y))
    at_sizes = sizes[at]
    present = np.flatnonzero(np.bincount(sizes, minlength=1))
    key = (len(y), permutations, present.tobytes())
    cached = draws_cache.get(key) if draws_cache is not None else None
    if cached is None:
        rng = np.random.default_rng(SEED)
        cached = [_draw_distinct(rng, len(y), permutations, int(k)) for k in present]
        if draws_cache is not None:
            draws_cache[key] = cached
    for k, drawn in zip(present, cached, strict=True):
        members = at_sizes == k
        if not members.any():
            continue
        draws = np.sort(y[drawn].sum(axis=1))
        # Ties count against the hex (>=), as in esda.
        larger = permutations - np.searchsorted(draws, observed[members], side="left")
        p[at[members]] = (larger + 1) / (permutations + 1)
    return p


def gi_star_test(
    grid: HexSet,
    y: np.ndarray,
    *,
    alpha: float,
    permutations: int,
    draws_cache: Draws | None = None,
) -> PeriodTest:
    """Gi* of the counts `y` (one per hex of `grid`): z, p, and which hexes are significant
    hot spots (the FDR step over all hexes, and z > 0). `draws_cache`: see hot_pvalues."""
    n = len(y)
    used = permutations_needed(hexes=n, alpha=alpha, permutations=permutations)
    nonzero = np.flatnonzero(y)
    if n < 3 or len(nonzero) == 0 or (len(nonzero) == n and y.min() == y.max()):
        return PeriodTest(np.zeros(n), np.ones(n), np.zeros(n, bool), used)
    values = y[nonzero]
    total, total_squares = float(values.sum()), float((values**2).sum())
    # The hexes whose neighbourhood holds a count: the reports' hexes and their neighbours.
    hot_keys = grid.keys[nonzero]
    around = np.concatenate([hot_keys, (hot_keys[:, None] + NEIGHBOUR_KEY_OFFSETS).ravel()])
    at = np.unique(positions(grid.keys, around))
    at = at[at >= 0]
    sums = neighbourhood_sums(grid, y, at)
    # Every other hex: the z of an empty neighbourhood of its size (1 to 7).
    empty = gi_star_z(np.zeros(8), np.arange(8), n=n, total=total, total_squares=total_squares)
    z = empty[grid.sizes]
    z[at] = gi_star_z(sums, grid.sizes[at], n=n, total=total, total_squares=total_squares)
    p = hot_pvalues(y, grid.sizes, at, sums, used, draws_cache=draws_cache)
    return PeriodTest(z, p, benjamini_hochberg(p, alpha) & (z > 0), used)
