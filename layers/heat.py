"""The planner's heatmap and grid: report counts per cell from the pre-aggregated cells.

Same cells and the same counts as gis_core.selectors.report_heat_raw (tested), at a tenth of
the time with a million reports; zooms finer than the finest stored level (map zoom > 14,
where a view holds few reports) are counted from the reports themselves.
"""

from __future__ import annotations

from gis_core import selectors
from gis_core.models import Category
from layers.report_cells import (
    FINEST_LEVEL,
    CellFilters,
    cell_counts,
    cell_size,
    fold_if_many_pending,
)
from ward_boundaries.selectors import ward_ids_for_code

# A cell is about 8 screen pixels: level = zoom + 5 (256-pixel tiles, 2**5 = 256 / 8).
PIXELS_LEVEL_OFFSET = 5


def cell_filters(
    *,
    bbox=None,
    ward_code: str | None = None,
    category: str | None = None,
    status: str | None = None,
    since=None,
    until=None,
) -> CellFilters | None:
    """The public report filters as cell filters; None when they can match no report."""
    category_id = None
    if category:
        category_id = Category.objects.filter(code=category).values_list("id", flat=True).first()
        if category_id is None:
            return None
    ward_ids = None
    if ward_code:
        ward_ids = tuple(ward_ids_for_code(ward_code))
        if not ward_ids:
            return None
    return CellFilters(
        category_id=category_id,
        status=status,
        ward_ids=ward_ids,
        since=since,
        until=until,
        bbox=bbox,
    )


def report_heat(*, zoom: int, **filters) -> tuple[float, list[tuple[float, float, int]]]:
    """(cell size in degrees, [(lat, lon, count)]) for the filtered reports, at most
    HEAT_MAX_CELLS cells: coarser cells when the view holds more."""
    level = zoom + PIXELS_LEVEL_OFFSET
    if level > FINEST_LEVEL:
        return selectors.report_heat_raw(zoom=zoom, **filters)
    where = cell_filters(**filters)
    if where is None:
        return cell_size(level), []
    level, rows = _capped_cells(level, where)
    size = cell_size(level)
    return size, [
        (round((cy + 0.5) * size, 6), round((cx + 0.5) * size, 6), n) for cx, cy, n in rows
    ]


def report_grid(*, zoom: int, **filters) -> tuple[float, list[tuple[int, int, int]]]:
    """(cell size in degrees, [(cx, cy, count)]) for a grid layer: cells of about 16 pixels,
    coarser while there are more than HEAT_MAX_CELLS."""
    level = min(zoom + PIXELS_LEVEL_OFFSET - 1, FINEST_LEVEL)
    where = cell_filters(**filters)
    if where is None:
        return cell_size(level), []
    level, rows = _capped_cells(level, where)
    return cell_size(level), rows


def _capped_cells(level: int, where: CellFilters) -> tuple[int, list[tuple[int, int, int]]]:
    """(level, cells) at `level`, or coarser until at most HEAT_MAX_CELLS cells remain: what
    the browser can draw, however many reports the view holds."""
    fold_if_many_pending()
    cap = selectors.HEAT_MAX_CELLS
    while True:
        rows = cell_counts(level, where, limit=cap)
        if len(rows) <= cap:
            return level, rows
        level -= 1
