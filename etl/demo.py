"""Realistic generated reports for the demo: mixed categories, statuses and dates over two years.

Reports cluster around a few places per ward (markets, main streets, the beach), and there are
far more in the dense central phường (Ka Long, Trần Phú, Hoà Lạc...) than in the mountain and
island communes, as in a real city. A few fall on Trà Cổ beach, outside the generalised
coastline, to show the "nearest ward" rule. Seeded, so every demo shows the same city.

The dates carry the seasons real reports have, so the planner's forecasts (layers.forecasts)
show something true to life: drains and flooding (infrastructure) rise through the rain season,
May to October, peaking in July and August; rubbish (environment) rises around Tết each year,
the house-cleaning days before it and the days collection pauses, on the dates the `holidays`
package gives Tết (it moves with the lunar calendar).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from common.local_time import LOCAL_TIME_ZONE

# Reports per ward, relative: central wards are dense, communes sparse.
WARD_WEIGHTS = {
    "06709": 14, "06712": 12, "06718": 8, "06715": 7, "06742": 6, "06721": 6, "06751": 5,
    "06736": 5, "06745": 4, "06748": 2, "06724": 1.5, "06727": 1, "06730": 1.5, "06733": 1.2,
    "06739": 1.2, "06754": 1, "06757": 1.2,
}  # fmt: skip

CATEGORY_WEIGHTS = {
    "moi_truong": 22, "ha_tang": 20, "trat_tu_do_thi": 16, "an_toan_giao_thong": 12,
    "trat_tu_xay_dung": 9, "an_ninh_trat_tu": 6, "ve_sinh_an_toan_thuc_pham": 5,
    "chat_luong_phuc_vu": 3, "van_hoa_thong_tin": 2, "y_te_co_so": 2, "khac": 3,
}  # fmt: skip

DESCRIPTIONS = {
    "moi_truong": [
        "Rác thải tập kết bừa bãi ven đường, bốc mùi khó chịu.",
        "Nước thải từ khu dân cư chảy tràn ra mương.",
        "Đốt rác gây khói bụi ảnh hưởng các hộ xung quanh.",
        "Xác động vật chết bên lề đường chưa được thu dọn.",
    ],
    "ha_tang": [
        "Nắp cống bị vỡ, nguy hiểm cho người đi đường.",
        "Đèn chiếu sáng công cộng không hoạt động nhiều ngày.",
        "Mặt đường xuất hiện ổ gà lớn sau mưa.",
        "Cống thoát nước bị tắc, ngập khi trời mưa.",
    ],
    "trat_tu_do_thi": [
        "Lấn chiếm vỉa hè để buôn bán, người đi bộ phải xuống lòng đường.",
        "Quảng cáo rao vặt dán trên cột điện.",
        "Đỗ xe ô tô trái phép trước cổng chợ.",
    ],
    "an_toan_giao_thong": [
        "Biển báo giao thông bị đổ.",
        "Trâu bò thả rông trên đường, nguy hiểm cho xe máy.",
        "Xe tải chở vật liệu rơi vãi ra đường.",
    ],
    "trat_tu_xay_dung": [
        "Công trình xây dựng không che chắn, bụi bay sang nhà bên cạnh.",
        "Xây dựng cơi nới lấn ra hành lang đường.",
    ],
    "an_ninh_trat_tu": [
        "Tụ tập gây ồn ào sau 23 giờ.",
        "Nghi vấn buôn bán hàng lậu qua biên giới.",
    ],
    "ve_sinh_an_toan_thuc_pham": [
        "Quán ăn vỉa hè không đảm bảo vệ sinh.",
        "Bán thực phẩm không rõ nguồn gốc tại chợ.",
    ],
    "chat_luong_phuc_vu": ["Cán bộ một cửa hẹn trả hồ sơ nhiều lần."],
    "van_hoa_thong_tin": ["Loa phát thanh quá to vào buổi sáng sớm."],
    "y_te_co_so": ["Trạm y tế đóng cửa trong giờ hành chính."],
    "khac": ["Cây xanh nghiêng sắp đổ sau bão.", "Chó thả rông không rọ mõm."],
}

# Seasonal descriptions: the rain season's drains, the rubbish around Tết.
RAIN_DESCRIPTIONS = [
    "Mưa lớn, cống thoát nước bị tắc, nước ngập sâu cả đoạn đường.",
    "Mương thoát nước đầy rác, mưa xuống là ngập vào nhà dân.",
    "Hố ga không thoát kịp nước, đường ngập sau mỗi trận mưa.",
]
TET_DESCRIPTIONS = [
    "Rác dọn nhà đón Tết đổ đầy ra vỉa hè, chưa được thu gom.",
    "Mấy ngày Tết không có xe thu gom, rác chất đống đầu ngõ.",
    "Lá vàng, giấy gói quà sau Tết vứt bừa bãi quanh chợ.",
]
# How much the season multiplies a category's share: drains at the rain season's peak, rubbish
# in the days around Tết (10 before its first day to 6 after; less in the week after that).
RAIN_CATEGORY, RAIN_PEAK_FACTOR = "ha_tang", 2.2
TET_CATEGORY, TET_FACTOR, AFTER_TET_FACTOR = "moi_truong", 3.0, 1.8

# One unusual rise the forecasts should catch (the operations board's alert): food-safety
# reports around one market of a central ward in the last complete week, as after a bad batch
# of street food. Only in demos of 1,000 reports or more.
OUTBREAK_WARD, OUTBREAK_CATEGORY, OUTBREAK_REPORTS = "06709", "ve_sinh_an_toan_thuc_pham", 12
OUTBREAK_DESCRIPTIONS = [
    "Nhiều người đau bụng sau khi ăn ở hàng quà sáng gần chợ.",
    "Quán bún cạnh chợ bán đồ ăn ôi thiu, cả nhà bị ngộ độc.",
    "Thịt bày bán ở chợ có mùi hôi, nghi không rõ nguồn gốc.",
]

# Bãi Trà Cổ (OSM way 384652651), 156 m off the generalised coastline.
TRA_CO_BEACH = (108.049323, 21.481915)


def _points_in(geom: BaseGeometry, n: int, rng: np.random.Generator, sigma_deg: float):
    """`n` points in `geom`, clustered around three centres picked inside it."""
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    centres: list[tuple[float, float]] = []
    while len(centres) < 3:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.intersects_xy(geom, x, y):
            centres.append((x, y))
    xs: list[float] = []
    ys: list[float] = []
    while len(xs) < n:
        k = rng.integers(0, 3, 4 * n)
        cx = np.array([centres[i][0] for i in k]) + rng.normal(0, sigma_deg, k.size)
        cy = np.array([centres[i][1] for i in k]) + rng.normal(0, sigma_deg, k.size)
        inside = shapely.intersects_xy(geom, cx, cy)
        xs.extend(cx[inside][: n - len(xs)])
        ys.extend(cy[inside][: n - len(ys)])
    return np.array(xs), np.array(ys)


def rain_season(day_of_year: np.ndarray) -> np.ndarray:
    """0 outside May to October, rising to 1 in late July and falling again (a half sine)."""
    phase = (day_of_year - 121) / 184
    return np.where((phase >= 0) & (phase <= 1), np.sin(np.pi * np.clip(phase, 0, 1)), 0.0)


def tet_first_days(years: range) -> dict[int, dt.date]:
    """The first day of Tết (mùng 1) of each year, from the `holidays` package."""
    calendar = holidays.country_holidays("VN", years=list(years), language="en_US")
    return {day.year: day for day, name in calendar.items() if name == "Lunar New Year"}


def tet_factor(days: pd.DatetimeIndex) -> np.ndarray:
    """The rubbish factor of each day: TET_FACTOR from 10 days before Tết to 6 after,
    AFTER_TET_FACTOR the week after that, 1 otherwise."""
    firsts = tet_first_days(range(days.year.min() - 1, days.year.max() + 2))
    factor = np.ones(len(days))
    for first in firsts.values():
        offset = (days - pd.Timestamp(first)).days.to_numpy()
        factor = np.where((offset >= -10) & (offset <= 6), TET_FACTOR, factor)
        factor = np.where((offset >= 7) & (offset <= 13), AFTER_TET_FACTOR, factor)
    return factor


def seasonal_categories(days: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """A category for a report on each day: the base weights times the season's factors."""
    categories = list(CATEGORY_WEIGHTS)
    weights = np.tile(np.array(list(CATEGORY_WEIGHTS.values()), dtype=float), (len(days), 1))
    rain = rain_season(days.day_of_year.to_numpy())
    weights[:, categories.index(RAIN_CATEGORY)] *= 1 + (RAIN_PEAK_FACTOR - 1) * rain
    weights[:, categories.index(TET_CATEGORY)] *= tet_factor(days)
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    picks = (rng.random(len(days))[:, None] > cumulative).sum(axis=1)
    return np.array(categories)[np.minimum(picks, len(categories) - 1)]


def _description(category: str, in_season: bool, rng: np.random.Generator) -> str:
    """Half the in-season reports of the seasonal categories read like the season."""
    if in_season and rng.random() < 0.5:
        texts = RAIN_DESCRIPTIONS if category == RAIN_CATEGORY else TET_DESCRIPTIONS
    else:
        texts = DESCRIPTIONS[category]
    return texts[rng.integers(0, len(texts))]


def _outbreak_rows(codes: list[str], per_ward: np.ndarray, count: int) -> np.ndarray:
    """The indexes (in ward order, before shuffling) of the outbreak's reports: the first
    OUTBREAK_REPORTS of OUTBREAK_WARD's, none in a small demo."""
    if count < 1000 or OUTBREAK_WARD not in codes:
        return np.array([], dtype=int)
    at = codes.index(OUTBREAK_WARD)
    start = int(per_ward[:at].sum())
    return start + np.arange(min(OUTBREAK_REPORTS, int(per_ward[at]) // 10))


def _status_for(age_days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    old = ["resolved", "rejected", "in_progress", "assigned", "verified", "received"]
    old_p = [0.72, 0.08, 0.07, 0.05, 0.04, 0.04]
    new = ["received", "verified", "assigned", "in_progress", "resolved", "rejected"]
    new_p = [0.35, 0.2, 0.15, 0.12, 0.13, 0.05]
    result = np.where(
        age_days > 45,
        rng.choice(old, age_days.size, p=old_p),
        rng.choice(new, age_days.size, p=new_p),
    )
    return result


def generate_demo_reports(
    wards_geojson: Path, *, count: int = 5000, seed: int = 2026, today: dt.date | None = None
) -> pd.DataFrame:
    """A frame ready for gis_core.bulk_import.reports_bulk_insert (minus category ids).

    Parameters
    ----------
    wards_geojson : Path
        The pre-2025 ward file; its 17 units give the density pattern.
    count : int
        Number of reports (about 1 % land on Trà Cổ beach, off the coastline).
    """
    features = json.loads(wards_geojson.read_text(encoding="utf-8"))["features"]
    geoms = {f["properties"]["ward_code"]: shape(f["geometry"]) for f in features}
    return generate_reports(geoms, count=count, seed=seed, today=today, beach=True)


def generate_reports(
    geoms: dict[str, BaseGeometry],
    *,
    count: int,
    seed: int,
    today: dt.date | None = None,
    years: int = 2,
    beach: bool = False,
) -> pd.DataFrame:
    """Reports spread over `geoms` (code → polygon; Móng Cái's codes weigh by WARD_WEIGHTS,
    any other unit 1), `years` back from `today`, more of them recently (the app's uptake
    grows): the demo's two years of Móng Cái, or a benchmark's ten years of a whole country."""
    rng = np.random.default_rng(seed)
    today = today or dt.date.today()
    codes = sorted(geoms)
    weights = np.array([WARD_WEIGHTS.get(c, 1) for c in codes], dtype=float)
    on_beach = max(1, count // 100) if beach else 0
    per_ward = rng.multinomial(count - on_beach, weights / weights.sum())
    lon_parts, lat_parts = [], []
    for code, n in zip(codes, per_ward, strict=True):
        if n:
            sigma = 0.003 if WARD_WEIGHTS.get(code, 1) >= 4 else 0.008
            x, y = _points_in(geoms[code], int(n), rng, sigma)
            lon_parts.append(x)
            lat_parts.append(y)
    lon_parts.append(TRA_CO_BEACH[0] + rng.normal(0, 0.0008, on_beach))
    lat_parts.append(TRA_CO_BEACH[1] + rng.normal(0, 0.0008, on_beach))
    lon, lat = np.concatenate(lon_parts), np.concatenate(lat_parts)

    # Up to yesterday, `years` back (two years: 729 days, as the demo always had).
    span_days = 365 * years - 1
    age_days = 1 + np.floor(span_days * (1 - rng.power(1.6, count))).astype(int)
    minutes = rng.integers(6 * 60, 21 * 60, count)  # daytime, local
    start = pd.Timestamp(today, tz=LOCAL_TIME_ZONE)

    outbreak = _outbreak_rows(codes, per_ward, count)
    # The last complete week (Monday to Sunday before today's week): today − weekday − 7..1.
    age_days[outbreak] = today.weekday() + rng.integers(1, 8, outbreak.size)
    reported_at = start - pd.to_timedelta(age_days, unit="D") + pd.to_timedelta(minutes, unit="m")

    # The category depends on the day: drains in the rain season, rubbish around Tết.
    days = pd.DatetimeIndex(pd.Timestamp(today) - pd.to_timedelta(age_days, unit="D"))
    category = seasonal_categories(days, rng)
    category[outbreak] = OUTBREAK_CATEGORY
    rainy = rain_season(days.day_of_year.to_numpy()) > 0.3
    tet = tet_factor(days) > 1
    in_season = ((category == RAIN_CATEGORY) & rainy) | ((category == TET_CATEGORY) & tet)
    description = [_description(c, bool(i), rng) for c, i in zip(category, in_season, strict=True)]
    for i in outbreak:
        description[i] = OUTBREAK_DESCRIPTIONS[rng.integers(0, len(OUTBREAK_DESCRIPTIONS))]
    order = rng.permutation(count)
    return pd.DataFrame(
        {
            "row": np.arange(1, count + 1),
            "category": category[order],
            "description": np.array(description, dtype=object)[order],
            "lon": lon[order],
            "lat": lat[order],
            "reported_at": pd.Series(reported_at[order]).reset_index(drop=True),
            "status": _status_for(age_days, rng)[order],
            "idempotency_key": [f"demo:{seed}:{i}" for i in range(count)],
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    )


# Demo agencies (names follow a city's usual departments; e-mail addresses are fictional).
DEMO_AGENCIES = [
    ("ioc", "Trung tâm Giám sát, điều hành đô thị thông minh", []),
    ("qldt", "Phòng Quản lý đô thị", ["ha_tang", "trat_tu_do_thi", "trat_tu_xay_dung"]),
    ("tnmt", "Phòng Tài nguyên và Môi trường", ["moi_truong"]),
    ("cong-an", "Công an thành phố", ["an_ninh_trat_tu", "an_toan_giao_thong"]),
    ("y-te", "Phòng Y tế", ["y_te_co_so", "ve_sinh_an_toan_thuc_pham"]),
    ("vhtt", "Phòng Văn hóa và Thông tin", ["van_hoa_thong_tin"]),
    ("noi-vu", "Phòng Nội vụ", ["chat_luong_phuc_vu"]),
]

# One account per staff role, for trying the platform (password below; demo only).
DEMO_PASSWORD = "hientruong-demo"  # noqa: S105 - demo accounts, public by design
DEMO_STAFF = [
    # username, role (group), ward codes (2025 version), agency code
    ("quantri", "administrator", [], None),
    ("dieuhanh", "operator", [], None),
    ("phuong-mc1", "ward_officer", ["06712"], None),
    ("qldt", "agency_officer", [], "qldt"),
    # The tourism office, in the Culture and Information Office: places, prices, photos.
    ("dulich", "tourism", [], "vhtt"),
]
DEMO_CITIZEN_PHONE = "+84900000001"
