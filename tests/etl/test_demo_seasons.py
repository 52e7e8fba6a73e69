"""The demo's reports carry real seasons: drains in the rain season, rubbish around Tết."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from etl.demo import (
    OUTBREAK_CATEGORY,
    OUTBREAK_DESCRIPTIONS,
    OUTBREAK_REPORTS,
    generate_demo_reports,
    tet_first_days,
)
from tests.conftest import DATA


def test_rain_season_drains_and_tet_rubbish():
    frame = generate_demo_reports(
        DATA / "mong_cai_wards_2024_clean.geojson", count=5000, today=dt.date(2026, 12, 2)
    )
    local = frame["reported_at"].dt.tz_convert("Asia/Ho_Chi_Minh")
    month = local.dt.month

    def share(category: str, mask) -> float:
        return float((frame.loc[mask, "category"] == category).mean())

    # Infrastructure (drains, flooding): far more of the reports in July-August than in
    # December-February.
    assert share("ha_tang", month.isin([7, 8])) > 1.7 * share("ha_tang", month.isin([12, 1, 2]))
    # Environment (rubbish): more of the reports in the days around each year's Tết.
    day = local.dt.tz_localize(None).dt.normalize()
    near_tet = pd.Series(False, index=frame.index)
    for first in tet_first_days(range(2025, 2027)).values():
        offset = (day - pd.Timestamp(first)).dt.days
        near_tet |= (offset >= -10) & (offset <= 6)
    assert near_tet.sum() > 100
    # (×3 weight gives a share of 0.46 against 0.21; a sample of ~170 reports varies.)
    assert share("moi_truong", near_tet) > 1.5 * share("moi_truong", ~near_tet)
    # Tết moves: 29 January 2025, 17 February 2026.
    assert tet_first_days(range(2025, 2027)) == {
        2025: dt.date(2025, 1, 29),
        2026: dt.date(2026, 2, 17),
    }
    # Some reports read like their season.
    assert frame["description"].str.contains("Tết").sum() > 20
    assert frame["description"].str.contains("ngập").sum() > 50


def test_an_outbreak_in_the_last_complete_week():
    today = dt.date(2026, 12, 2)  # a Wednesday: the last complete week is 23-29 November
    frame = generate_demo_reports(
        DATA / "mong_cai_wards_2024_clean.geojson", count=5000, today=today
    )
    day = frame["reported_at"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.date
    week = (day >= dt.date(2026, 11, 23)) & (day <= dt.date(2026, 11, 29))
    food = frame["category"] == OUTBREAK_CATEGORY
    outbreak = frame["description"].isin(OUTBREAK_DESCRIPTIONS)
    assert outbreak.sum() == OUTBREAK_REPORTS
    assert (outbreak & week & food).sum() == OUTBREAK_REPORTS
    wards = DATA / "mong_cai_wards_2024_clean.geojson"
    small = generate_demo_reports(wards, count=400, today=today)
    assert not small["description"].isin(OUTBREAK_DESCRIPTIONS).any()
