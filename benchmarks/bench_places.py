"""Synthetic places for the place benchmarks: many more than Móng Cái has (about 70), so the
search, the "open now" filter and the first screen are measured where a big city would be.

    import bench_places; bench_places.ensure_places(20_000)   # after bench_db.setup()

Rows go in the layer "bench-places" (source "bench", is_demo), with names built from the
words visitors search for, so "cho" meets both "Chợ …" and "… Vui chơi", and "ha long" meets
"Hạ Long"; a third have English names, a fifth Chinese ones. Opening hours, and for hotels
and restaurants two current prices and a closed one, as the demo places have. Bulk inserts
(the database assigns the ward, as for every place); the names' search copies are made
here (layers.text.name_columns) because bulk_create skips PointOfInterest.save().
Idempotent: the layer is filled up to `n`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

BENCH_LAYER = "bench-places"
COST_PLACES = 20_000  # bench_cost's and bench_tourist's big city
# Móng Cái's built-up area and its beaches, where the wards are.
BBOX = (107.90, 21.45, 108.05, 21.56)

KINDS = [
    ("accommodation", ["Khách sạn", "Nhà nghỉ", "Homestay"], "Hotel", "酒店"),
    ("food", ["Nhà hàng", "Quán phở", "Quán hải sản"], "Restaurant", "餐厅"),
    ("market", ["Chợ", "Chợ đêm"], "Market", "市场"),
    ("attraction", ["Khu vui chơi", "Đền", "Chùa", "Bãi tắm"], "Attraction", "景点"),
    ("ocop_shop", ["Cửa hàng OCOP", "Đặc sản"], "OCOP shop", "OCOP商店"),
    ("transport", ["Taxi", "Xe khách"], "Taxi", "出租车"),
    ("toilet", ["Nhà vệ sinh công cộng"], "Public toilet", "公共厕所"),
    ("info_point", ["Điểm thông tin du lịch"], "Tourist information", "旅游咨询点"),
]
PLACE_WORDS = [
    "Hạ Long",
    "Trà Cổ",
    "Hòa Bình",
    "Ka Long",
    "Vĩnh Thực",
    "Bắc Luân",
    "Hải Hòa",
    "Trần Phú",
    "Hùng Vương",
    "Vân Đồn",
    "Hữu Nghị",
    "Sa Vĩ",
    "Bình Ngọc",
    "Hải Xuân",
    "Vạn Ninh",
    "Quảng Nghĩa",
    "Hải Sơn",
    "Hải Đông",
    "Ninh Dương",
    "Hải Yên",
    "Vui chơi",
    "Biển Xanh",
]
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hours(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.15:
        return {"always": True}
    if roll < 0.25:
        return {}
    opens, closes = rng.choice([("06:00", "22:00"), ("08:00", "17:30"), ("17:00", "02:00")])
    closed = {rng.choice(WEEK)} if rng.random() < 0.3 else set()
    return {d: ([] if d in closed else [[opens, closes]]) for d in WEEK} | {"always": False}


def ensure_places(n: int, *, seed: int = 13) -> int:
    """Fills the bench layer up to `n` places (and their prices); returns how many it holds."""
    from django.contrib.gis.geos import Point
    from django.db import transaction

    from layers.models import PlacePrice, PointOfInterest
    from layers.text import name_columns

    have = PointOfInterest.objects.filter(layer=BENCH_LAYER).count()
    if have >= n:
        return have
    rng = random.Random(seed + have)
    today = dt.date.today()
    with transaction.atomic():
        for start in range(have, n, 2_000):
            rows = []
            for i in range(start, min(n, start + 2_000)):
                kind, prefixes, en, zh = KINDS[i % len(KINDS)]
                words = rng.choice(PLACE_WORDS)
                name = f"{rng.choice(prefixes)} {words} {i}"
                name_en = f"{en} {words} {i}" if i % 3 == 0 else ""
                rows.append(
                    PointOfInterest(
                        public_id=uuid.uuid4(),
                        layer=BENCH_LAYER,
                        kind=kind,
                        name=name,
                        name_en=name_en,
                        **name_columns(name, name_en),
                        name_zh=f"{zh}{i}" if i % 5 == 0 else "",
                        source="bench",
                        source_id=f"bench/{i}",
                        is_demo=True,
                        hours=_hours(rng),
                        location=Point(
                            rng.uniform(BBOX[0], BBOX[2]), rng.uniform(BBOX[1], BBOX[3]), srid=4326
                        ),
                    )
                )
            made = PointOfInterest.objects.bulk_create(rows)
            prices = []
            for place in made:
                if place.kind not in ("accommodation", "food"):
                    continue
                base = 400_000 if place.kind == "accommodation" else 45_000
                for item, factor in (("Suất tiêu chuẩn", 1), ("Suất đặc biệt", 2)):
                    price = base * factor + rng.randrange(0, 20) * 10_000
                    prices.append(
                        PlacePrice(
                            place=place,
                            item=item,
                            unit="đêm" if place.kind == "accommodation" else "suất",
                            price_vnd=price,
                            valid_from=today - dt.timedelta(days=30),
                        )
                    )
                prices.append(
                    PlacePrice(
                        place=place,
                        item="Suất tiêu chuẩn",
                        price_vnd=base,
                        valid_from=today - dt.timedelta(days=400),
                        valid_to=today - dt.timedelta(days=31),
                    )
                )
            PlacePrice.objects.bulk_create(prices)
    return PointOfInterest.objects.filter(layer=BENCH_LAYER).count()
