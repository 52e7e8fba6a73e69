"""The pre-aggregated report cells give exactly what counting the reports gives.

Every answer of layers.heat (cells + edge days) is compared with gis_core's raw count over the
same reports, for many filter and period shapes; and the triggers keep the cells right
through inserts, updates, deletes, bulk updates, truncation and compaction.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from gis_core.models import Category, Report
from gis_core.selectors import report_heat_raw
from layers.heat import report_grid, report_heat
from layers.models import ReportCell, ReportCellTotal, ReportCellYear
from layers.report_cells import (
    CELL_LEVELS,
    TOTAL_LEVELS,
    CellFilters,
    cell_counts,
    cell_size,
    compact_report_cells,
    fold_pending,
    rebuild_report_cells,
    split_period,
    split_years,
    stored_level,
)
from tests.layers.factories import local

pytestmark = pytest.mark.django_db


def assert_same(zoom: int, **filters) -> int:
    cell, cells = report_heat(zoom=zoom, **filters)
    raw_cell, raw_cells = report_heat_raw(zoom=zoom, **filters)
    assert cell == raw_cell
    assert sorted(cells) == sorted(raw_cells), filters
    return sum(n for _, _, n in cells)


PERIODS = [
    {},
    {"since": dt.date(2025, 11, 1), "until": dt.date(2026, 2, 28)},  # whole months
    {"since": dt.date(2025, 11, 17), "until": dt.date(2026, 3, 3)},  # both edges partial
    {"since": dt.date(2026, 1, 5), "until": dt.date(2026, 1, 20)},  # inside one month
    {"since": dt.date(2026, 1, 31), "until": dt.date(2026, 2, 1)},  # across a month end
    {"since": dt.date(2026, 4, 1)},  # open end
    {"until": dt.date(2026, 4, 15)},  # open start
    {"since": dt.date(2026, 6, 1), "until": dt.date(2026, 6, 30)},  # exactly one month
    # Whole years (the yearly table) and the months and days either side.
    {"since": dt.date(2026, 1, 1), "until": dt.date(2026, 12, 31)},
    {"since": dt.date(2025, 9, 1), "until": dt.date(2026, 12, 31)},
    {"since": dt.date(2025, 12, 17), "until": dt.date(2027, 2, 10)},
    {"until": dt.date(2025, 12, 31)},
    {"since": dt.date(2026, 1, 1)},
]


@pytest.mark.parametrize("period", PERIODS)
def test_cells_equal_counting_the_reports_for_every_period(many_reports, period):
    totals = {zoom: assert_same(zoom, **period) for zoom in (7, 8, 11, 12, 13, 14)}
    assert len(set(totals.values())) == 1  # every zoom counts every report once
    if not period:
        assert totals[12] == many_reports


def test_cells_equal_counting_with_filters_and_bbox(many_reports):
    ward = Report.objects.exclude(ward=None).values_list("ward__code", flat=True).first()
    bbox = (107.93, 21.49, 108.02, 21.56)
    for filters in (
        {"category": "ha_tang"},
        {"status": "resolved", "since": dt.date(2025, 12, 10)},
        {"ward_code": ward, "until": dt.date(2026, 5, 20)},
        {"bbox": bbox},
        {"bbox": bbox, "category": "moi_truong", "since": dt.date(2026, 2, 14)},
    ):
        for zoom in (9, 12, 14):
            cells = report_heat(zoom=zoom, **filters)[1]
            if "bbox" not in filters:
                assert_same(zoom, **filters)
                assert cells
            else:
                # Whole stored cells touching the box: counting the reports in the box
                # widened to those cells gives the same answer.
                unfiltered = set(filters) <= {"bbox", "since", "until"}  # the totals table
                levels = TOTAL_LEVELS if unfiltered else CELL_LEVELS
                size = cell_size(stored_level(zoom + 5, levels))
                minx, miny, maxx, maxy = bbox
                wide = (
                    math.floor(minx / size) * size,
                    math.floor(miny / size) * size,
                    (math.floor(maxx / size) + 1) * size,
                    (math.floor(maxy / size) + 1) * size,
                )
                raw = report_heat_raw(zoom=zoom, **{**filters, "bbox": wide})[1]
                assert sorted(cells) == sorted(raw)
                narrow = report_heat_raw(zoom=zoom, **filters)[1]
                assert sum(n for *_, n in cells) >= sum(n for *_, n in narrow) > 0
    assert report_heat(zoom=12, category="no_such_category") == (360 / 2**17, [])
    assert report_heat(zoom=12, ward_code="99999")[1] == []


def test_the_triggers_follow_every_write(many_reports):
    def total(**filters):
        return assert_same(12, **filters)

    fold_pending()  # the reports are folded: their changes are deltas from now on

    resolved = total(status="resolved")
    report = Report.objects.exclude(status="resolved").first()
    Report.objects.filter(pk=report.pk).update(status="resolved")
    assert total(status="resolved") == resolved + 1
    # A change that moves no key (the description) writes no delta row.
    rows = ReportCell.objects.count(), ReportCellTotal.objects.count()
    Report.objects.filter(pk=report.pk).update(description="changed")
    assert (ReportCell.objects.count(), ReportCellTotal.objects.count()) == rows
    # Moving a report to another cell and month; a bulk update of many rows.
    Report.objects.filter(pk=report.pk).update(
        location=Point(108.05, 21.48, srid=4326), reported_at=local(dt.date(2026, 8, 3), 9)
    )
    Report.objects.filter(category__code="khac").update(status="verified")
    total()
    total(since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31))  # the yearly table
    total(status="verified", since=dt.date(2026, 1, 1))
    # Deletes subtract.
    Report.objects.filter(category__code="ha_tang").delete()
    assert total(category="ha_tang") == 0
    assert total() == Report.objects.count()

    # Compaction folds deltas, and changes no answer.
    def answers_now():
        return [sorted(report_heat(zoom=z, **p)[1]) for z in (9, 13) for p in PERIODS[:4]]

    answers = answers_now()

    def cell_rows():
        return sum(m.objects.count() for m in (ReportCell, ReportCellTotal, ReportCellYear))

    cells_before = cell_rows()
    replaced, written = compact_report_cells()
    assert written < replaced
    assert cell_rows() == cells_before - replaced + written
    assert answers_now() == answers
    assert compact_report_cells() == (0, 0)  # nothing left to fold
    # A later delta is compacted with the row its key already had, and only that key.
    report = Report.objects.exclude(status="resolved").first()
    Report.objects.filter(pk=report.pk).update(status="resolved")
    answers = answers_now()
    replaced, written = compact_report_cells()
    assert 0 < written < replaced <= 4 * (len(CELL_LEVELS) + 2 * len(TOTAL_LEVELS))
    assert answers_now() == answers
    assert compact_report_cells() == (0, 0)
    # A rebuild from scratch gives the same rows as the compacted deltas.
    compacted = sorted(
        ReportCell.objects.values_list(
            "level", "cx", "cy", "month", "category_id", "status", "ward_id", "n"
        ),
        key=str,
    )
    totals = sorted(ReportCellTotal.objects.values_list("level", "cx", "cy", "month", "n"))
    years = sorted(ReportCellYear.objects.values_list("level", "cx", "cy", "year", "n"))
    rebuild_report_cells()
    assert sorted(ReportCellTotal.objects.values_list("level", "cx", "cy", "month", "n")) == totals
    assert sorted(ReportCellYear.objects.values_list("level", "cx", "cy", "year", "n")) == years
    assert compact_report_cells() == (0, 0)  # a rebuild leaves nothing to compact
    rebuilt = sorted(
        ReportCell.objects.values_list(
            "level", "cx", "cy", "month", "category_id", "status", "ward_id", "n"
        ),
        key=str,
    )
    assert rebuilt == compacted
    # Truncating the reports empties the cells.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE gis_core_report CASCADE")
    assert not ReportCell.objects.exists() and not ReportCellTotal.objects.exists()
    assert not ReportCellYear.objects.exists()


def test_the_month_is_local_time(mong_cai_wards):
    """23:30 UTC on 31 January is 06:30 on 1 February in Móng Cái: a February report."""
    Report.objects.create(
        category=Category.objects.get(code="khac"),
        description="x",
        location=Point(107.97, 21.53, srid=4326),
        reported_at=dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC),
    )
    fold_pending()
    assert set(ReportCell.objects.values_list("month", flat=True)) == {dt.date(2026, 2, 1)}
    feb = {"since": dt.date(2026, 2, 1), "until": dt.date(2026, 2, 28)}
    assert sum(n for *_, n in report_heat(zoom=12, **feb)[1]) == 1


def test_grid_cells_nest_and_sum(many_reports):
    size, cells = report_grid(zoom=12)
    assert size == 360 / 2**16
    assert sum(n for *_, n in cells) == many_reports
    fine = report_grid(zoom=13)[1]
    coarse: dict = {}
    for cx, cy, n in fine:
        key = (cx >> 1, cy >> 1)
        coarse[key] = coarse.get(key, 0) + n
    assert sorted((cx, cy, n) for (cx, cy), n in coarse.items()) == sorted(cells)


def test_a_wide_view_climbs_from_coarse_cells_and_never_reads_its_fine_level(
    many_reports, monkeypatch
):
    """The whole map at zoom 14 asks for level 19; with the cap between two levels' counts the
    answer is the finest level that fits, found without counting level 19 (a row per report
    over the whole country) or anything finer than one level past the answer."""
    truth = {level: len(cell_counts(level, CellFilters())) for level in TOTAL_LEVELS}
    best = max(level for level in range(12, 18) if truth[level] < truth[level + 1])
    monkeypatch.setattr("gis_core.selectors.HEAT_MAX_CELLS", truth[best])
    asked = []

    def counting(level, where, limit=None):
        asked.append(level)
        return cell_counts(level, where, limit)

    monkeypatch.setattr("layers.heat.cell_counts", counting)
    size, cells = report_heat(zoom=14)
    level = round(math.log2(360 / size))
    assert best - 1 <= level <= best, (truth, asked)
    assert len(cells) == truth[level] <= truth[best]
    assert sum(n for *_, n in cells) == many_reports
    assert max(asked) <= best + 1 and 19 not in asked
    # A view too small to hold more cells than the cap is answered at its level at once.
    asked.clear()
    assert report_heat(zoom=14, bbox=(107.97, 21.52, 107.98, 21.53))[0] == cell_size(19)
    assert asked == [19]


def test_split_years():
    d = dt.date
    assert split_years((None, None)) == ((None, None), [])
    assert split_years((d(2026, 1, 1), d(2027, 1, 1))) == ((d(2026, 1, 1), d(2027, 1, 1)), [])
    assert split_years((d(2025, 9, 1), d(2027, 3, 1))) == (
        (d(2026, 1, 1), d(2027, 1, 1)),
        [(d(2025, 9, 1), d(2026, 1, 1)), (d(2027, 1, 1), d(2027, 3, 1))],
    )
    # Less than a whole year: months only; an open end takes the current year whole.
    assert split_years((d(2025, 12, 1), d(2026, 12, 1))) == (
        None,
        [(d(2025, 12, 1), d(2026, 12, 1))],
    )
    assert split_years((d(2025, 3, 1), None)) == (
        (d(2026, 1, 1), None),
        [(d(2025, 3, 1), d(2026, 1, 1))],
    )
    assert split_years((None, d(2026, 5, 1))) == (
        (None, d(2026, 1, 1)),
        [(d(2026, 1, 1), d(2026, 5, 1))],
    )


def test_split_period():
    d = dt.date
    assert split_period(None, None) == ((None, None), [])
    assert split_period(d(2026, 1, 1), d(2026, 3, 31)) == ((d(2026, 1, 1), d(2026, 4, 1)), [])
    assert split_period(d(2026, 1, 15), d(2026, 3, 10)) == (
        (d(2026, 2, 1), d(2026, 3, 1)),
        [(d(2026, 1, 15), d(2026, 2, 1)), (d(2026, 3, 1), d(2026, 3, 11))],
    )
    assert split_period(d(2026, 1, 15), d(2026, 1, 20)) == (
        None,
        [(d(2026, 1, 15), d(2026, 1, 21))],
    )
    assert split_period(d(2026, 1, 15), None) == (
        (d(2026, 2, 1), None),
        [(d(2026, 1, 15), d(2026, 2, 1))],
    )


def test_compact_command(many_reports):
    from io import StringIO

    from django.core.management import call_command

    Report.objects.filter(status="received").update(status="verified")
    out = StringIO()
    call_command("compact_report_cells", stdout=out)
    assert out.getvalue().startswith("Compacted ")
    assert_same(12)
    call_command("compact_report_cells", "--rebuild", stdout=out)
    assert "Rebuilt " in out.getvalue()
    assert_same(12, status="verified")


def test_pending_reports_count_before_and_after_folding(many_reports):
    """New reports are counted from the reports until folded; changes to pending reports need
    no deltas, changes to folded ones do; folding changes no answer."""
    from layers.models import ReportCellState
    from layers.report_cells import fold_pending, pending_reports

    fold_pending()
    assert pending_reports() == 0
    cells_before = ReportCell.objects.count(), ReportCellTotal.objects.count()
    category = Category.objects.get(code="ha_tang")
    new = [
        Report.objects.create(
            category=category,
            description=f"new {i}",
            location=Point(107.97 + i * 0.001, 21.53, srid=4326),
            reported_at=local(dt.date(2026, 3, 10), 8),
        )
        for i in range(5)
    ]
    # Inserting writes no cell row; the answers already count the new reports.
    assert (ReportCell.objects.count(), ReportCellTotal.objects.count()) == cells_before
    assert pending_reports() == 5
    for period in PERIODS:
        assert_same(12, **period)
    # A pending report changed: no delta, still counted once in its new state.
    Report.objects.filter(pk=new[0].pk).update(status="resolved")
    assert (ReportCell.objects.count(), ReportCellTotal.objects.count()) == cells_before
    assert_same(12, status="resolved", category="ha_tang")
    assert fold_pending() == 5
    assert ReportCellState.objects.get().folded_id == new[-1].pk
    assert pending_reports() == 0
    for period in PERIODS:
        assert_same(13, **period)
    # A folded report changed: deltas keep the answers exact.
    Report.objects.filter(pk=new[1].pk).update(status="verified")
    assert ReportCell.objects.count() > cells_before[0]
    assert_same(12, status="verified")
    Report.objects.filter(pk=new[2].pk).delete()
    assert_same(12, category="ha_tang", since=dt.date(2026, 3, 1))


def test_readers_fold_when_many_reports_wait(many_reports, monkeypatch):
    from layers.report_cells import pending_reports

    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_reportcellstate SET folded_id = 0")
        cursor.execute("DELETE FROM layers_reportcell")
        cursor.execute("DELETE FROM layers_reportcelltotal")
    assert pending_reports() >= many_reports
    assert_same(12)  # exact from the reports alone
    monkeypatch.setattr("layers.report_cells.AUTO_FOLD_PENDING", 100)
    # Long enough to outwait an autovacuum of the report table (cancelled after the server's
    # deadlock_timeout, 1 s), which the 200 ms a reader waits in production may not.
    monkeypatch.setattr("layers.report_cells.READER_LOCK_TIMEOUT_MS", 5000)
    assert sum(n for *_, n in report_heat(zoom=12)[1]) == many_reports
    assert pending_reports() == 0  # the reader folded them in
    assert_same(12, since=dt.date(2025, 12, 5))


def test_a_big_fold_goes_in_short_batches_with_the_same_cells(many_reports, monkeypatch):
    """An import ends with fold_all_pending: batches of ids, each its own transaction (so
    submissions wait for one batch, not for the whole import), counting each report once."""
    import layers.report_cells as report_cells
    from layers.models import ReportCellState

    pending = report_cells.pending_reports()
    assert pending >= many_reports > 0
    batches: list[int] = []
    real_fold = report_cells.fold_pending

    def counting_fold(**kwargs):  # the real fold, counted
        batches.append(kwargs["batch_ids"])
        return real_fold(**kwargs)

    monkeypatch.setattr(report_cells, "fold_pending", counting_fold)
    assert report_cells.fold_all_pending(batch_ids=97) == many_reports
    assert len(batches) >= math.ceil(pending / 97)  # one transaction per 97 ids at most
    assert report_cells.pending_reports() == 0
    assert ReportCellState.objects.get().folded_id == Report.objects.order_by("-id").first().pk
    for period in PERIODS:
        assert_same(12, **period)
        assert_same(14, **period)
    assert report_cells.fold_all_pending(batch_ids=97) == 0  # nothing is folded twice


def duplicate_keys() -> dict[str, int]:
    """Keys with more than one row, per cell table (what a compaction would group)."""
    from layers.report_cells import COMPACTED

    found = {}
    with connection.cursor() as cursor:
        for table, key, _ in COMPACTED:
            columns = ", ".join(key)
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY {columns}"  # noqa: S608
                " HAVING count(*) > 1) d"
            )
            found[table] = cursor.fetchone()[0]
    return found


def bounds_and_newest() -> tuple[list[int], list[int]]:
    from layers.report_cells import COMPACTED_COLUMNS, NEWEST_CELL_IDS

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COMPACTED_COLUMNS} FROM layers_reportcellstate")  # noqa: S608
        bounds = list(cursor.fetchone())
        cursor.execute(f"SELECT {NEWEST_CELL_IDS}")
        return bounds, list(cursor.fetchone())


def twins_of_folded_reports(count: int) -> list[Report]:
    """New reports in the same cells, months, categories, statuses and wards as folded ones:
    every key they add to is already in the tables."""
    return [
        Report.objects.create(
            category=old.category,
            status=old.status,
            ward=old.ward,
            description="twin",
            location=old.location,
            reported_at=old.reported_at,
        )
        for old in Report.objects.order_by("id")[:count]
    ]


def assert_compact() -> None:
    """One row per key, none above the compaction's bounds (a sum keeps its key's oldest id):
    the next compaction has nothing to look up."""
    assert duplicate_keys() == dict.fromkeys(duplicate_keys(), 0)
    bounds, newest = bounds_and_newest()
    assert all(top <= bound for top, bound in zip(newest, bounds, strict=True))
    assert compact_report_cells() == (0, 0)


def test_compactions_leave_one_row_per_key_below_their_bounds(many_reports):
    import layers.report_cells as report_cells

    # An import's folds: batches whose keys overlap, each appended.
    assert report_cells.fold_all_pending(batch_ids=53) == many_reports
    assert all(duplicate_keys().values())
    replaced, written = compact_report_cells()  # the first run: every key, in index order
    assert 0 < written < replaced
    assert_compact()
    # Staff changes (deltas), then new reports in keys already there (appended by the fold).
    report = Report.objects.exclude(status="resolved").first()
    Report.objects.filter(pk=report.pk).update(status="resolved")
    twins_of_folded_reports(10)
    assert fold_pending() == 10
    assert all(duplicate_keys().values())
    replaced, written = compact_report_cells()  # a later run: the keys written since
    assert 0 < written < replaced
    assert_compact()
    for period in PERIODS:
        assert_same(12, **period)
        assert_same(16, **period)


def test_a_narrow_bbox_reads_each_column_of_cells_as_its_own_range(many_reports, monkeypatch):
    """An index on (level, cx, cy) walked with cx BETWEEN reads every cell of those columns,
    the length of the country; listed columns keep each range to the box. A box wider than
    MAX_LISTED_COLUMNS columns keeps the BETWEEN. Both count the same."""
    from layers.report_cells import MAX_LISTED_COLUMNS, CellFilters, cell_counts_sql

    narrow = CellFilters(bbox=(107.93, 21.49, 108.02, 21.56))
    sql, params = cell_counts_sql(15, narrow)
    assert params["xs"] == list(range(params["x0"], params["x1"] + 1))
    assert "cx = ANY(%(xs)s::int[])" in sql
    wide = CellFilters(bbox=(-179.0, -80.0, 179.0, 80.0))
    sql, params = cell_counts_sql(19, wide)
    assert params["x1"] - params["x0"] >= MAX_LISTED_COLUMNS
    assert "xs" not in params and "cx BETWEEN" in sql
    assert sum(n for *_, n in cell_counts(19, wide)) == many_reports
    listed = sorted(cell_counts(15, narrow))
    monkeypatch.setattr("layers.report_cells.MAX_LISTED_COLUMNS", 0)
    assert "xs" not in cell_counts_sql(15, narrow)[1]
    assert sorted(cell_counts(15, narrow)) == listed and listed
