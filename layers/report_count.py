"""How many reports a map view holds, summed from the pre-aggregated cells.

The public map draws single markers only where the view holds few reports and aggregated
tiles elsewhere, so every pan asks "how many here?". Counting the reports of a city-wide
bbox among a million rows costs hundreds of milliseconds; this sums the stored per-cell,
per-month counts of the cells covering the view instead (plus the reports not folded into
the cells yet, taken from the report table like every cell reader does), at a level chosen
so that about COUNT_CELLS_ACROSS cells span the view's longer side. The work is bounded by
that: a few hundred cells times the months, whatever the number of reports.

The answer is the number of reports in the covering cells: at least the exact number in the
view, at most one cell (a sixteenth of the view) more at each edge. It is exact for those
cells (tested against counting the reports), so the same view always gets the same answer.
Answers are cached under the tile generation, keyed by the covering cells, so a small pan
that keeps the same cells costs one cache read.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace

from django.core.cache import caches

from common.db_routing import read_connection
from layers.heat import cell_filters
from layers.report_cells import (
    FINEST_LEVEL,
    TOTAL_LEVELS,
    cell_counts_sql,
    cell_size,
    fold_if_many_pending,
)

# Cells across the view's longer side: the count overshoots by at most one cell per edge.
COUNT_CELLS_ACROSS = 16
COARSEST_LEVEL = TOTAL_LEVELS[0]


@dataclass(frozen=True)
class ViewCount:
    count: int
    level: int
    covered: tuple[float, float, float, float]  # the covering cells' bbox (degrees)


def count_level(bbox: tuple[float, float, float, float]) -> int:
    """The cell level at which about COUNT_CELLS_ACROSS cells span the bbox's longer side."""
    span = max(bbox[2] - bbox[0], bbox[3] - bbox[1], 1e-9)
    level = math.floor(math.log2(360.0 * COUNT_CELLS_ACROSS / span))
    return max(COARSEST_LEVEL, min(FINEST_LEVEL, level))


def covering_cells(bbox, level: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the cells at `level` touching the bbox, inclusive."""
    size = cell_size(level)
    return (
        math.floor(bbox[0] / size),
        math.floor(bbox[1] / size),
        math.floor(bbox[2] / size),
        math.floor(bbox[3] / size),
    )


def _count_cells(level: int, cells: tuple[int, int, int, int], filters: dict) -> int:
    where = cell_filters(**filters)
    if where is None:  # an unknown category or ward code: nothing can match
        return 0
    size = cell_size(level)
    x0, y0, x1, y1 = cells
    # Inset by a millionth of a cell so the finer stored cells selected are exactly those
    # inside the covering cells (levels nest), never a neighbour touching the far edge.
    inset = size * 1e-6
    snapped = (x0 * size, y0 * size, (x1 + 1) * size - inset, (y1 + 1) * size - inset)
    fold_if_many_pending()
    cells_sql, params = cell_counts_sql(level, replace(where, bbox=snapped))
    # Raw because it sums the cell query of layers.report_cells (cells and unfolded reports
    # in one statement); every value is a parameter.
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(n), 0)::bigint FROM ({cells_sql}) AS c", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _cache_key(level: int, cells, filters: dict, generation: str) -> str:
    digest = hashlib.sha1(repr(sorted(filters.items())).encode(), usedforsecurity=False)
    x0, y0, x1, y1 = cells
    return f"count:{generation}:{level}:{x0},{y0},{x1},{y1}:{digest.hexdigest()[:16]}"


def report_count_in_view(
    *, bbox: tuple[float, float, float, float], generation: str, **filters
) -> ViewCount:
    """The reports in the cells covering `bbox` for the public filters (see the module doc).

    `generation` is layers.tiles.tile_generation(): a write changes it, so a cached count is
    never stale.
    """
    level = count_level(bbox)
    cells = covering_cells(bbox, level)
    cache = caches["tiles"]
    key = _cache_key(level, cells, filters, generation)
    count = cache.get(key)
    if count is None:
        count = _count_cells(level, cells, filters)
        cache.set(key, count)
    size = cell_size(level)
    x0, y0, x1, y1 = cells
    covered = (x0 * size, y0 * size, (x1 + 1) * size, (y1 + 1) * size)
    west, south, east, north = (round(v, 7) for v in covered)
    return ViewCount(count=count, level=level, covered=(west, south, east, north))


# The page's initial view, seen on the smallest and the largest screen the map expects (CSS
# pixels): any real screen's view at that centre and zoom lies between the two.
INITIAL_INNER_PX = (320, 400)
INITIAL_OUTER_PX = (2560, 1600)


def _view_bbox(lat: float, lon: float, zoom: int, size_px: tuple[int, int]):
    """The bbox a map of `size_px` CSS pixels centred on (lat, lon) shows at `zoom`."""
    scale = 256 * 2**zoom
    cx = (lon + 180) / 360 * scale
    cy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * scale
    half_w, half_h = size_px[0] / 2, size_px[1] / 2

    def lon_of(x: float) -> float:
        return max(-180.0, min(180.0, x / scale * 360 - 180))

    def lat_of(y: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))

    return (
        round(lon_of(cx - half_w), 6),
        round(lat_of(cy + half_h), 6),
        round(lon_of(cx + half_w), 6),
        round(lat_of(cy - half_h), 6),
    )


def initial_view_counts(*, lat: float, lon: float, zoom: int) -> dict:
    """Counts for the page config, so the first screen can skip its count request: a view
    containing `inner` holds at least about `innerCount` reports (tiles if that is many); a
    view inside `outer` holds at most `outerCount` (markers if that is few). Same answers as
    the count endpoint's for those boxes (cached alike)."""
    from layers.tiles import tile_generation

    generation = tile_generation()
    inner = _view_bbox(lat, lon, zoom, INITIAL_INNER_PX)
    outer = _view_bbox(lat, lon, zoom, INITIAL_OUTER_PX)
    return {
        "inner": list(inner),
        "innerCount": report_count_in_view(bbox=inner, generation=generation).count,
        "outer": list(outer),
        "outerCount": report_count_in_view(bbox=outer, generation=generation).count,
    }
