"""The hotspot grid: flat-topped hexagons in metres, their keys, and the set of hexes touching
an area, found without drawing every hex of its bounding box.

Hexes have axial coordinates (q, r) as in redblobgames.com/grids; a set of hexes is a sorted
int64 array of keys (q in the high 32 bits, r + 2^31 in the low ones), so the order of the
keys is the order of the (q, r) tuples, a hex's neighbour is its key plus a constant, and
membership is a binary search. Over the whole country at 300 m that is 4.4 million hexes:
arrays, not Python tuples or a libpysal W (which took minutes and gigabytes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import shapely
from scipy import ndimage  # type: ignore[import-untyped]  # no types

# Axial neighbour offsets of a hex (q, r): the one ring, six hexes at exactly one hex width.
NEIGHBOUR_OFFSETS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))
_R_BIAS = 1 << 31
NEIGHBOUR_KEY_OFFSETS = np.array([(dq << 32) + dr for dq, dr in NEIGHBOUR_OFFSETS], np.int64)
# The hex adjacency on a dense (q, r) array, for connected-component labelling: index
# [dq + 1][dr + 1]; (1, 1) and (-1, -1) are not neighbours.
_HEX_STRUCTURE = np.array([[0, 1, 1], [1, 1, 1], [1, 1, 0]], bool)


def hex_radius(hex_size_m: float) -> float:
    """Circumradius of a hex whose width across flats (= distance between centres) is given."""
    return hex_size_m / math.sqrt(3)


def hex_centres(q: np.ndarray, r: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    return 1.5 * radius * q, math.sqrt(3) * radius * (r + q / 2)


def hex_polygons(q: np.ndarray, r: np.ndarray, radius: float) -> np.ndarray:
    x, y = hex_centres(np.asarray(q, float), np.asarray(r, float), radius)
    angles = np.radians(np.arange(6) * 60.0)
    ring = np.stack(
        [x[:, None] + radius * np.cos(angles), y[:, None] + radius * np.sin(angles)], axis=-1
    )
    # An array of rings gives an array of polygons (the stubs cannot tell from the shape).
    return cast(np.ndarray, shapely.polygons(ring))


def hex_of_points(x: np.ndarray, y: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """(q, r) of the hex holding each point: cube rounding, as the counting SQL does."""
    fq = (2.0 / 3.0 * x) / radius
    fr = (-x / 3.0 + math.sqrt(3.0) / 3.0 * y) / radius
    rq, rr, rs = np.round(fq), np.round(fr), np.round(-fq - fr)
    dq, dr, ds = np.abs(rq - fq), np.abs(rr - fr), np.abs(rs + fq + fr)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -rr - rs, rq)
    r = np.where(fix_r, -rq - rs, rr)
    return q.astype(np.int64), r.astype(np.int64)


def hex_keys(q, r) -> np.ndarray:
    """Sortable int64 keys of hexes (q, r): ordered like the tuples."""
    return (np.asarray(q, np.int64) << 32) + (np.asarray(r, np.int64) + _R_BIAS)


def key_coords(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(q, r) of keys, as int64 arrays."""
    keys = np.asarray(keys, np.int64)
    return keys >> 32, (keys & 0xFFFFFFFF) - _R_BIAS


def positions(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Index of each of `keys` in `sorted_keys`, or -1 where it is not there."""
    keys = np.asarray(keys, np.int64)
    if len(sorted_keys) == 0:
        return np.full(keys.shape, -1, np.int64)
    at = np.searchsorted(sorted_keys, keys)
    clipped = np.minimum(at, len(sorted_keys) - 1)
    return np.where(sorted_keys[clipped] == keys, clipped, -1)


@dataclass(frozen=True)
class HexSet:
    """Hexes as sorted keys, with each hex's neighbourhood size within the set: itself and
    its neighbours that are in the set too (the binary Gi* star weights' row sums)."""

    keys: np.ndarray  # int64, sorted, unique
    sizes: np.ndarray  # int8, 1..7

    def __len__(self) -> int:
        return len(self.keys)


def empty_hex_set() -> HexSet:
    return HexSet(np.zeros(0, np.int64), np.zeros(0, np.int8))


def hexes_touching(area: shapely.Geometry, hex_size_m: float) -> HexSet:
    """Every hex whose polygon intersects `area` (metres), with its neighbourhood sizes.

    The same answer as testing every hex of the bounding box with shapely.intersects, in
    seconds rather than minutes for the whole country: only the hexes near the boundary are
    tested exactly. The boundary, cut into pieces shorter than half a hex radius, puts each
    of its points in a hex; a hex the boundary crosses is within one ring of such a hex (its
    centre is at most 2.25 radii from one of them, and the second ring starts at 3). Every
    other hex lies wholly inside or wholly outside, as does each connected region of them:
    one centre per region says which.
    """
    if shapely.is_empty(area):
        return empty_hex_set()
    radius = hex_radius(hex_size_m)
    step = math.sqrt(3) * radius
    shapely.prepare(area)
    points = shapely.get_coordinates(shapely.segmentize(shapely.boundary(area), radius / 2))
    bq, br = hex_of_points(points[:, 0], points[:, 1], radius)
    near_q = (bq[:, None] + np.array([0, *(o[0] for o in NEIGHBOUR_OFFSETS)])).ravel()
    near_r = (br[:, None] + np.array([0, *(o[1] for o in NEIGHBOUR_OFFSETS)])).ravel()
    # The dense array spans the bounding box's hexes (and the boundary's, which it holds).
    minx, miny, maxx, maxy = (float(v) for v in shapely.bounds(area))
    q_lo = min(math.floor(minx / (1.5 * radius)) - 1, int(near_q.min()))
    q_hi = max(math.ceil(maxx / (1.5 * radius)) + 1, int(near_q.max()))
    r_lo = min(math.floor(miny / step - q_hi / 2) - 1, int(near_r.min()))
    r_hi = max(math.ceil(maxy / step - q_lo / 2) + 1, int(near_r.max()))
    shape = (q_hi - q_lo + 1, r_hi - r_lo + 1)
    near = np.zeros(shape, bool)
    near[near_q - q_lo, near_r - r_lo] = True
    ni, nj = np.nonzero(near)
    touching = shapely.intersects(area, hex_polygons(ni + q_lo, nj + r_lo, radius))

    labels, count = ndimage.label(~near, structure=_HEX_STRUCTURE)
    inside = np.zeros(count + 1, bool)
    if count:
        firsts = []
        for label, box in enumerate(ndimage.find_objects(labels), start=1):
            first = np.unravel_index(np.argmax(labels[box] == label), labels[box].shape)
            firsts.append((box[0].start + first[0], box[1].start + first[1]))
        fi, fj = np.array(firsts).T
        x, y = hex_centres((fi + q_lo).astype(float), (fj + r_lo).astype(float), radius)
        inside[1:] = shapely.contains_xy(area, x, y)
    member = inside[labels]
    del labels
    member[ni, nj] = touching
    return _hex_set_from_mask(member, q_lo, r_lo)


def _hex_set_from_mask(member: np.ndarray, q_lo: int, r_lo: int) -> HexSet:
    """The hexes of a dense boolean (q, r) array, with their neighbourhood sizes."""
    padded = np.pad(member, 1).view(np.int8)
    sizes = np.ones(member.shape, np.int8)
    nq, nr = member.shape
    for dq, dr in NEIGHBOUR_OFFSETS:
        sizes += padded[1 + dq : 1 + dq + nq, 1 + dr : 1 + dr + nr]
    i, j = np.nonzero(member)  # row-major: ordered by q, then r, like the keys
    return HexSet(hex_keys(i + q_lo, j + r_lo), sizes[i, j])


def with_neighbourhoods(base: HexSet, hexes: np.ndarray) -> tuple[HexSet, np.ndarray]:
    """`base` plus `hexes` (keys) and their six neighbours, with the sizes updated; and the
    keys added (sorted). Only the few hexes outside `base` and their neighbours are touched."""
    hexes = np.asarray(hexes, np.int64)
    wanted = np.unique(np.concatenate([hexes, (hexes[:, None] + NEIGHBOUR_KEY_OFFSETS).ravel()]))
    added = wanted[positions(base.keys, wanted) < 0]
    if len(added) == 0:
        return base, added
    at = np.searchsorted(base.keys, added)
    keys = np.insert(base.keys, at, added)
    sizes = np.insert(base.sizes, at, np.int8(1))
    added_at = at + np.arange(len(added))
    around = positions(keys, (added[:, None] + NEIGHBOUR_KEY_OFFSETS).ravel()).reshape(-1, 6)
    sizes[added_at] += (around >= 0).sum(axis=1).astype(np.int8)
    # A hex of `base` gains one neighbour for each added hex beside it.
    is_added = np.zeros(len(keys), bool)
    is_added[added_at] = True
    old = around[(around >= 0) & ~is_added[np.maximum(around, 0)]]
    np.add.at(sizes, old, np.int8(1))
    return HexSet(keys, sizes), added


def neighbourhood_sums(grid: HexSet, y: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Sum of y over each hex of `at` (indices into the grid) and its neighbours in the grid."""
    around = positions(grid.keys, (grid.keys[at][:, None] + NEIGHBOUR_KEY_OFFSETS).ravel())
    around = around.reshape(-1, 6)
    return y[at] + np.where(around >= 0, y[np.maximum(around, 0)], 0.0).sum(axis=1)
