"""Realistic generated reports for the demo: mixed categories, statuses and dates over two years.

Reports cluster around a few places per ward (markets, main streets, the beach), and there are
far more in the dense central phường (Ka Long, Trần Phú, Hoà Lạc...) than in the mountain and
island communes, as in a real city. A few fall on Trà Cổ beach, outside the generalised
coastline, to show the "nearest ward" rule. Seeded, so every demo shows the same city.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

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
    rng = np.random.default_rng(seed)
    today = today or dt.date.today()
    features = json.loads(wards_geojson.read_text(encoding="utf-8"))["features"]
    geoms = {f["properties"]["ward_code"]: shape(f["geometry"]) for f in features}
    codes = sorted(geoms)
    weights = np.array([WARD_WEIGHTS.get(c, 1) for c in codes], dtype=float)
    beach = max(1, count // 100)
    per_ward = rng.multinomial(count - beach, weights / weights.sum())
    lon_parts, lat_parts = [], []
    for code, n in zip(codes, per_ward, strict=True):
        if n:
            sigma = 0.003 if WARD_WEIGHTS.get(code, 1) >= 4 else 0.008
            x, y = _points_in(geoms[code], int(n), rng, sigma)
            lon_parts.append(x)
            lat_parts.append(y)
    lon_parts.append(TRA_CO_BEACH[0] + rng.normal(0, 0.0008, beach))
    lat_parts.append(TRA_CO_BEACH[1] + rng.normal(0, 0.0008, beach))
    lon, lat = np.concatenate(lon_parts), np.concatenate(lat_parts)

    categories = list(CATEGORY_WEIGHTS)
    cat_w = np.array(list(CATEGORY_WEIGHTS.values()), dtype=float)
    category = rng.choice(categories, count, p=cat_w / cat_w.sum())
    description = [DESCRIPTIONS[c][rng.integers(0, len(DESCRIPTIONS[c]))] for c in category]

    # Two years back from today, more reports recently (the app's uptake grows).
    age_days = 1 + np.floor(729 * (1 - rng.power(1.6, count))).astype(int)  # up to yesterday
    minutes = rng.integers(6 * 60, 21 * 60, count)  # daytime, local
    start = pd.Timestamp(today, tz=LOCAL_TIME_ZONE)
    reported_at = start - pd.to_timedelta(age_days, unit="D") + pd.to_timedelta(minutes, unit="m")
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
