"""The planner's heatmap and grid: report counts per cell from the pre-aggregated cells.

Same cells and the same counts as gis_core.selectors.report_heat_raw (tested), at a tenth of
the time with a million reports. Zooms finer than the finest stored level (map zoom > 14)
are counted from the reports themselves only where the view holds few reports (at most
HEAT_RAW_MAX_REPORTS, known from the stored cells first); a fine zoom over a dense or wide
view gets the finest stored cells instead, so no request reads more than that many reports.
"""

from __future__ import annotations

import math

from gis_core import selectors
from gis_core.models import Category
from layers.report_cells import (
    FINEST_LEVEL,
    CellFilters,
    cell_counts,
    cell_size,
    coarsest_stored_level,
    fold_if_many_pending,
)
from ward_boundaries.selectors import ward_ids_for_code, ward_ids_for_province

# A cell is about 8 screen pixels: level = zoom + 5 (256-pixel tiles, 2**5 = 256 / 8).
PIXELS_LEVEL_OFFSET = 5
# The most reports a fine zoom counts one by one. Reports lie scattered over the table's
# pages, so each costs about a page read: 5,000 keep a request near 40 MB of pages and a
# few tens of milliseconds (a zoom-17 view of the densest street of the benchmark city).
HEAT_RAW_MAX_REPORTS = 5_000
# A wide view tries a finer level unless it is expected to hold this many times the cap.
GROWTH_SLACK = 2.0


def cell_filters(
    *,
    bbox=None,
    ward_code: str | None = None,
    province_code: str | None = None,
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
    if province_code:
        in_province = ward_ids_for_province(province_code)
        ward_ids = tuple(
            in_province if ward_ids is None else sorted(set(ward_ids) & set(in_province))
        )
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
        if _few_reports_in(filters.get("bbox")):
            return selectors.report_heat_raw(zoom=zoom, **filters)
        level = FINEST_LEVEL
    where = cell_filters(**filters)
    if where is None:
        return cell_size(level), []
    level, rows = _capped_cells(level, where)
    size = cell_size(level)
    return size, [
        (round((cy + 0.5) * size, 6), round((cx + 0.5) * size, 6), n) for cx, cy, n in rows
    ]


def _few_reports_in(bbox) -> bool:
    """Whether the view holds at most HEAT_RAW_MAX_REPORTS reports of any kind, from the
    stored cells covering it (an upper bound, bounded work, cached like the map's count).
    Unfiltered, because the bbox is what an index narrows the reports by; no bbox, the world.
    """
    # Imported here: both modules build on this one's cell filters.
    from layers.report_count import report_count_in_view
    from layers.tiles import tile_generation

    view = bbox if bbox is not None else (-180.0, -90.0, 180.0, 90.0)
    count = report_count_in_view(bbox=view, generation=tile_generation()).count
    return count <= HEAT_RAW_MAX_REPORTS


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
    the browser can draw, however many reports the view holds.

    A wide view is not counted at its fine level first: over the whole country that level
    holds a row per report (7 million at 10M reports) and every coarser try reads nearly as
    many again. It climbs from the coarsest stored level instead, each level's count bounding
    the next one's (a cell has four children), and stops before a level expected to hold too
    many, so the work is that of the answer's own level and the ones below it.
    """
    fold_if_many_pending()
    cap = selectors.HEAT_MAX_CELLS
    if _view_cells(level, where.bbox) <= cap:
        return level, cell_counts(level, where)  # the view cannot hold more cells
    coarsest = coarsest_stored_level(where)
    if level <= coarsest:
        return _coarser_until_capped(level, where, cap)
    known = coarsest
    rows = cell_counts(known, where, limit=cap)
    if len(rows) > cap:
        return _coarser_until_capped(known - 1, where, cap)
    before = None  # (level, count) of the previous step: the growth seen last
    while known < level:
        count = max(1, len(rows))
        # Sure to fit: the finest level whose most possible cells stay within the cap.
        sure = known
        while sure < level and (
            min(count * 4 ** (sure + 1 - known), _view_cells(sure + 1, where.bbox)) <= cap
        ):
            sure += 1
        if sure > known:
            before, (known, rows) = (known, count), (sure, cell_counts(sure, where))
            continue
        # Not sure: try the next level unless the last growth per level predicts more than
        # twice the cap. Growth slows as cells approach one per report, so the guess runs
        # high near the answer; the slack keeps it from stopping a level or two early.
        growth = (count / before[1]) ** (1 / (known - before[0])) if before else 1.0
        if count * growth > GROWTH_SLACK * cap:
            break
        finer = cell_counts(known + 1, where, limit=cap)
        if len(finer) > cap:
            break
        before, known, rows = (known, count), known + 1, finer
    return known, rows


def _coarser_until_capped(level: int, where: CellFilters, cap: int) -> tuple[int, list]:
    while True:
        rows = cell_counts(level, where, limit=cap)
        if len(rows) <= cap:
            return level, rows
        level -= 1


def _view_cells(level: int, bbox) -> float:
    """How many cells of `level` the view spans (the world without a bbox)."""
    minx, miny, maxx, maxy = bbox if bbox is not None else (-180.0, -90.0, 180.0, 90.0)
    size = cell_size(level)
    return (math.floor(maxx / size) - math.floor(minx / size) + 1) * (
        math.floor(maxy / size) - math.floor(miny / size) + 1
    )
