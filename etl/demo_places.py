"""Demo places for visitors in Móng Cái, with listed prices. DEMO DATA: invented for the
demonstration, not a survey: names, phone numbers, hours, prices and notes are made up.

Source: "demo, invented for the demonstration". Every row is stored with is_demo=True,
source "demo" and source id "demo/<ref>", in the tourism layer, beside (never over) the
OpenStreetMap places. Streets are real streets of Móng Cái (Hùng Vương, Trần Phú, Hòa Bình,
Vân Đồn, Hữu Nghị, Tuệ Tĩnh, the Trà Cổ beach road...); the points were placed by hand near
them, APPROXIMATE (±300 m), and checked to fall inside the 2025 wards (tests/layers). Phone
numbers use the 0203 0000 range, which no subscriber holds.

Prices are in VND, plausible for 2026 (hotel nights 350,000-1,800,000; phở 40,000-60,000;
taxi opening fare and per km; OCOP products with their stars). Most were "updated" on the
day the demo is loaded; rows with "age_days" were written that many days earlier, so a few
places show the stale-price flag; "history" rows are an older, closed price of an item.
The dates are fixed so a second load finds the same rows and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEMO_PLACE_SOURCE = "demo"
DEMO_PLACE_LICENCE = "demo, invented for the demonstration"
PRICES_FROM = dt.date(2026, 1, 1)
HISTORY_FROM = dt.date(2025, 1, 1)
HISTORY_TO = dt.date(2025, 12, 31)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def week(open_: str, close: str, *, closed: tuple[str, ...] = ()) -> dict[str, Any]:
    """The same hours every day but the `closed` ones."""
    return {d: ([] if d in closed else [[open_, close]]) for d in DAYS} | {"always": False}


def office_hours() -> dict[str, Any]:
    days: dict[str, Any] = {d: [["07:30", "11:30"], ["13:30", "17:00"]] for d in DAYS[:5]}
    return days | {"sat": [["08:00", "11:30"]], "sun": [], "always": False}


ALWAYS: dict[str, Any] = {"always": True}


def p(
    item: tuple[str, str, str],
    unit: tuple[str, str, str],
    price_vnd: int,
    *,
    ocop_stars: int | None = None,
    history: int | None = None,
) -> dict[str, Any]:
    """A price row: (vi, en, zh) item and unit; `history` an older price of the same item."""
    return {
        "item": item,
        "unit": unit,
        "price_vnd": price_vnd,
        "ocop_stars": ocop_stars,
        "history": history,
    }


NIGHT = ("đêm", "night", "晚")
PORTION = ("suất", "portion", "份")
BOWL = ("bát", "bowl", "碗")
KM = ("km", "km", "公里")
TRIP = ("chuyến", "trip", "趟")
TICKET = ("vé", "ticket", "张")
TURN = ("lượt", "visit", "次")
KG = ("kg", "kg", "公斤")
BOTTLE = ("chai", "bottle", "瓶")
BOX = ("hộp", "box", "盒")
PLATE = ("đĩa", "plate", "盘")

DOUBLE = ("Phòng đôi", "Double room", "双人间")
TWIN = ("Phòng hai giường", "Twin room", "标准双床房")
SUITE = ("Phòng hạng sang", "Suite", "豪华套房")
SINGLE = ("Phòng đơn", "Single room", "单人间")
FAMILY = ("Phòng gia đình", "Family room", "家庭房")
OPENING = ("Giá mở cửa", "Opening fare", "起步价")
PER_KM = ("Mỗi km tiếp theo", "Each further km", "每公里")
TO_TRA_CO = ("Trung tâm - Trà Cổ", "Centre to Trà Cổ", "市中心至茶古")
TOILET = ("Vệ sinh", "Toilet", "如厕")

STEP_FREE = (
    "Lối vào không bậc, có nhà vệ sinh cho người khuyết tật.",
    "Step-free entrance and an accessible toilet.",
    "入口无台阶，设有无障碍卫生间。",
)
LIFT = (
    "Có thang máy; một phòng cho người đi xe lăn ở tầng 1.",
    "Lift; one wheelchair-accessible room on the first floor.",
    "有电梯；一楼有一间无障碍客房。",
)
RAMP = (
    "Có dốc cho xe lăn ở cổng chính.",
    "Wheelchair ramp at the main gate.",
    "正门设有轮椅坡道。",
)
STEPS = (
    "Có ba bậc ở lối vào, nhân viên hỗ trợ khi cần.",
    "Three steps at the entrance; staff will help.",
    "入口有三级台阶，工作人员可协助。",
)


def place(
    ref: str,
    kind: str,
    names: tuple[str, str, str],
    lon: float,
    lat: float,
    address: str,
    *,
    hours: dict[str, Any] | None = None,
    prices: list[dict[str, Any]] | None = None,
    phone: str = "",
    website: str = "",
    accommodation_type: str = "",
    star_rating: int | None = None,
    ocop_stars: int | None = None,
    accessibility: tuple[str, str, str] = ("", "", ""),
    description: tuple[str, str, str] = ("", "", ""),
    age_days: int = 0,
) -> dict[str, Any]:
    return {
        "ref": ref,
        "kind": kind,
        "name": names[0],
        "name_en": names[1],
        "name_zh": names[2],
        "lon": lon,
        "lat": lat,
        "address": address,
        "phone": phone,
        "website": website,
        "accommodation_type": accommodation_type,
        "star_rating": star_rating,
        "ocop_stars": ocop_stars,
        "hours": hours if hours is not None else {},
        "accessibility": accessibility[0],
        "accessibility_en": accessibility[1],
        "accessibility_zh": accessibility[2],
        "description": description[0],
        "description_en": description[1],
        "description_zh": description[2],
        "prices": prices or [],
        "age_days": age_days,
    }


def _phone(n: int) -> str:
    return f"0203 0000 {n:03d}"


DEMO_PLACES: list[dict[str, Any]] = [
    # --- accommodation -------------------------------------------------------------------
    place(
        "ks-ha-long-mc",
        "accommodation",
        ("Khách sạn Hạ Long Móng Cái", "Ha Long Mong Cai Hotel", "芒街下龙酒店"),
        107.9662,
        21.5262,
        "25 Hùng Vương, Móng Cái",
        hours=ALWAYS,
        phone=_phone(101),
        accommodation_type="hotel",
        star_rating=4,
        accessibility=LIFT,
        description=(
            "Khách sạn bốn sao gần chợ Trung tâm, có nhà hàng và phòng họp.",
            "Four-star hotel near the Central Market, with a restaurant and meeting rooms.",
            "四星级酒店，靠近中心市场，设有餐厅和会议室。",
        ),
        prices=[
            p(DOUBLE, NIGHT, 1_200_000, history=1_050_000),
            p(TWIN, NIGHT, 1_100_000),
            p(SUITE, NIGHT, 1_800_000),
        ],
    ),
    place(
        "ks-hoa-binh",
        "accommodation",
        ("Khách sạn Hòa Bình", "Hoa Binh Hotel", "和平酒店"),
        107.9645,
        21.5248,
        "12 Hòa Bình, Móng Cái",
        hours=ALWAYS,
        phone=_phone(102),
        accommodation_type="hotel",
        star_rating=3,
        prices=[p(DOUBLE, NIGHT, 750_000), p(SINGLE, NIGHT, 550_000)],
    ),
    place(
        "ks-tran-phu",
        "accommodation",
        ("Khách sạn Trần Phú", "Tran Phu Hotel", "陈富酒店"),
        107.9630,
        21.5275,
        "48 Trần Phú, Móng Cái",
        hours=ALWAYS,
        phone=_phone(103),
        accommodation_type="hotel",
        star_rating=3,
        prices=[p(DOUBLE, NIGHT, 650_000), p(FAMILY, NIGHT, 950_000)],
        age_days=200,
    ),
    place(
        "ks-bac-luan",
        "accommodation",
        ("Khách sạn Bắc Luân", "Bac Luan Hotel", "北仑酒店"),
        107.9672,
        21.5335,
        "5 Hữu Nghị, Móng Cái",
        hours=ALWAYS,
        phone=_phone(104),
        accommodation_type="hotel",
        star_rating=5,
        accessibility=LIFT,
        description=(
            "Gần cửa khẩu Bắc Luân, nhân viên nói tiếng Trung.",
            "Near the Bắc Luân border gate; staff speak Chinese.",
            "靠近北仑口岸，员工会说中文。",
        ),
        prices=[p(DOUBLE, NIGHT, 1_500_000), p(SUITE, NIGHT, 1_800_000)],
    ),
    place(
        "ks-tra-co-beach",
        "accommodation",
        ("Khách sạn Biển Trà Cổ", "Tra Co Beach Hotel", "茶古海滩酒店"),
        108.0400,
        21.4850,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=ALWAYS,
        phone=_phone(105),
        accommodation_type="hotel",
        star_rating=3,
        accessibility=STEP_FREE,
        prices=[p(DOUBLE, NIGHT, 900_000, history=800_000), p(FAMILY, NIGHT, 1_300_000)],
    ),
    place(
        "ks-sao-bien",
        "accommodation",
        ("Khách sạn Sao Biển", "Starfish Hotel", "海星酒店"),
        108.0300,
        21.4860,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=ALWAYS,
        phone=_phone(106),
        accommodation_type="hotel",
        star_rating=2,
        prices=[p(DOUBLE, NIGHT, 500_000), p(TWIN, NIGHT, 550_000)],
        age_days=150,
    ),
    place(
        "ks-van-don",
        "accommodation",
        ("Khách sạn Vân Đồn", "Van Don Hotel", "云屯酒店"),
        107.9685,
        21.5255,
        "30 Vân Đồn, Móng Cái",
        hours=ALWAYS,
        phone=_phone(107),
        accommodation_type="hotel",
        star_rating=2,
        prices=[p(DOUBLE, NIGHT, 450_000), p(SINGLE, NIGHT, 380_000)],
    ),
    place(
        "nn-hoa-hong",
        "accommodation",
        ("Nhà nghỉ Hoa Hồng", "Rose Guesthouse", "玫瑰旅馆"),
        107.9610,
        21.5235,
        "7 Tuệ Tĩnh, Móng Cái",
        hours=ALWAYS,
        phone=_phone(108),
        accommodation_type="guesthouse",
        prices=[
            p(DOUBLE, NIGHT, 350_000),
            p(("Nghỉ theo giờ", "Hourly rest", "钟点房"), ("2 giờ", "2 hours", "2小时"), 150_000),
        ],
    ),
    place(
        "nn-minh-chau",
        "accommodation",
        ("Nhà nghỉ Minh Châu", "Minh Chau Guesthouse", "明珠旅馆"),
        108.0350,
        21.4870,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=ALWAYS,
        phone=_phone(109),
        accommodation_type="guesthouse",
        prices=[p(DOUBLE, NIGHT, 400_000)],
    ),
    place(
        "nn-song-ka-long",
        "accommodation",
        ("Nhà nghỉ Sông Ka Long", "Ka Long River Guesthouse", "卡龙河旅馆"),
        107.9600,
        21.5300,
        "15 Lý Thường Kiệt, Móng Cái",
        hours=ALWAYS,
        phone=_phone(110),
        accommodation_type="guesthouse",
        prices=[p(DOUBLE, NIGHT, 380_000)],
    ),
    place(
        "hs-tra-co-xanh",
        "accommodation",
        ("Homestay Trà Cổ Xanh", "Green Tra Co Homestay", "茶古绿色民宿"),
        108.0250,
        21.4880,
        "Khu phố Hải Tiến, Trà Cổ, Móng Cái",
        hours=ALWAYS,
        phone=_phone(111),
        accommodation_type="homestay",
        description=(
            "Nhà dân cách biển 300 m, có xe đạp cho khách mượn.",
            "A family home 300 m from the sea; bicycles to borrow.",
            "民居距海边300米，可免费借用自行车。",
        ),
        prices=[p(DOUBLE, NIGHT, 450_000), p(("Bữa sáng", "Breakfast", "早餐"), PORTION, 40_000)],
    ),
    place(
        "hs-mui-sa-vi",
        "accommodation",
        ("Homestay Mũi Sa Vĩ", "Sa Vi Cape Homestay", "沙尾角民宿"),
        108.0600,
        21.4900,
        "Khu phố Nam Thọ, Trà Cổ, Móng Cái",
        hours=ALWAYS,
        phone=_phone(112),
        accommodation_type="homestay",
        prices=[p(FAMILY, NIGHT, 700_000)],
        age_days=120,
    ),
    # --- food ----------------------------------------------------------------------------
    place(
        "pho-hung",
        "food",
        ("Quán Phở Hùng", "Hung's Pho", "阿雄河粉店"),
        107.9655,
        21.5270,
        "60 Hùng Vương, Móng Cái",
        hours=week("06:00", "10:30"),
        phone=_phone(201),
        prices=[
            p(("Phở bò", "Beef pho", "牛肉河粉"), BOWL, 50_000, history=45_000),
            p(("Phở gà", "Chicken pho", "鸡肉河粉"), BOWL, 45_000),
        ],
    ),
    place(
        "pho-ba-lan",
        "food",
        ("Phở Bà Lan", "Mrs Lan's Pho", "兰婆河粉"),
        107.9620,
        21.5255,
        "22 Trần Phú, Móng Cái",
        hours=week("05:30", "11:00"),
        prices=[p(("Phở bò tái", "Rare beef pho", "生牛肉河粉"), BOWL, 55_000)],
    ),
    place(
        "banh-canh-ca",
        "food",
        ("Bánh canh cá Móng Cái", "Mong Cai fish noodle soup", "芒街鱼汤粉"),
        107.9678,
        21.5280,
        "9 Vân Đồn, Móng Cái",
        hours=week("06:00", "13:00"),
        prices=[p(("Bánh canh cá", "Fish noodle soup", "鱼汤粉"), BOWL, 40_000)],
    ),
    place(
        "nh-hai-san-tra-co",
        "food",
        ("Nhà hàng Hải sản Trà Cổ", "Tra Co Seafood Restaurant", "茶古海鲜餐厅"),
        108.0380,
        21.4855,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=week("10:00", "22:00"),
        phone=_phone(204),
        accessibility=STEP_FREE,
        prices=[
            p(("Sá sùng xào", "Stir-fried peanut worms", "炒沙虫"), PLATE, 350_000),
            p(("Tôm hấp", "Steamed prawns", "清蒸虾"), KG, 450_000),
            p(("Cơm rang hải sản", "Seafood fried rice", "海鲜炒饭"), PLATE, 90_000),
        ],
    ),
    place(
        "nh-bien-xanh",
        "food",
        ("Nhà hàng Biển Xanh", "Blue Sea Restaurant", "蓝海餐厅"),
        108.0280,
        21.4870,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=week("10:00", "21:30"),
        phone=_phone(205),
        prices=[p(("Lẩu hải sản", "Seafood hotpot", "海鲜火锅"), ("nồi", "pot", "锅"), 600_000)],
        age_days=180,
    ),
    place(
        "nh-kinh-do",
        "food",
        ("Nhà hàng Kinh Đô", "Kinh Do Restaurant", "京都餐厅"),
        107.9640,
        21.5285,
        "3 Hòa Bình, Móng Cái",
        hours=week("10:00", "22:00"),
        phone=_phone(206),
        prices=[p(("Cơm suất", "Set rice meal", "套餐饭"), PORTION, 60_000)],
    ),
    place(
        "cafe-cau-bac-luan",
        "food",
        ("Cà phê Cầu Bắc Luân", "Bac Luan Bridge Café", "北仑桥咖啡"),
        107.9680,
        21.5350,
        "Hữu Nghị, Móng Cái",
        hours=week("06:30", "22:30"),
        prices=[
            p(("Cà phê sữa đá", "Iced milk coffee", "冰奶咖啡"), ("cốc", "glass", "杯"), 30_000)
        ],
    ),
    place(
        "cafe-quang-truong",
        "food",
        ("Cà phê Quảng trường", "Square Café", "广场咖啡"),
        107.9618,
        21.5268,
        "Quảng trường 3/2, Móng Cái",
        hours={d: [["07:00", "23:30"]] for d in DAYS} | {"sat": [["07:00", "01:00"]]},
        prices=[p(("Nước cam", "Orange juice", "橙汁"), ("cốc", "glass", "杯"), 35_000)],
    ),
    place(
        "bun-cha-van-don",
        "food",
        ("Bún chả Vân Đồn", "Van Don grilled pork noodles", "云屯烤肉米粉"),
        107.9690,
        21.5265,
        "41 Vân Đồn, Móng Cái",
        hours=week("10:00", "14:00", closed=("sun",)),
        prices=[p(("Bún chả", "Grilled pork with noodles", "烤肉米粉"), PORTION, 45_000)],
    ),
    place(
        "an-dem-tra-co",
        "food",
        ("Quán ăn đêm Trà Cổ", "Tra Co Night Eatery", "茶古夜宵店"),
        108.0330,
        21.4880,
        "Khu phố Hải Tiến, Trà Cổ, Móng Cái",
        hours={d: [["18:00", "02:00"]] for d in DAYS} | {"always": False},
        prices=[p(("Ốc luộc", "Boiled sea snails", "煮螺"), PLATE, 70_000)],
    ),
    place(
        "che-ba-tu",
        "food",
        ("Chè bà Tư", "Mrs Tu's Sweet Soups", "四婆甜品"),
        107.9635,
        21.5240,
        "18 Tuệ Tĩnh, Móng Cái",
        hours=week("14:00", "22:00"),
        prices=[
            p(("Chè thập cẩm", "Mixed sweet soup", "什锦甜汤"), ("cốc", "glass", "杯"), 25_000)
        ],
    ),
    place(
        "com-ga-hoa-binh",
        "food",
        ("Cơm gà Hòa Bình", "Hoa Binh Chicken Rice", "和平鸡饭"),
        107.9650,
        21.5232,
        "40 Hòa Bình, Móng Cái",
        hours=week("10:00", "20:00"),
        prices=[p(("Cơm gà", "Chicken rice", "鸡饭"), PORTION, 50_000)],
    ),
    # --- OCOP shops ----------------------------------------------------------------------
    place(
        "ocop-quang-ninh",
        "ocop_shop",
        ("Cửa hàng OCOP Quảng Ninh", "Quang Ninh OCOP Shop", "广宁OCOP特产店"),
        107.9660,
        21.5250,
        "14 Hùng Vương, Móng Cái",
        hours=week("08:00", "21:00"),
        phone=_phone(301),
        ocop_stars=4,
        accessibility=STEP_FREE,
        description=(
            "Sản phẩm OCOP của tỉnh: chả mực, sá sùng khô, trà hoa vàng, rượu ba kích.",
            "The province's OCOP products: squid cakes, dried peanut worms, golden camellia"
            " tea, morinda wine.",
            "本省OCOP产品：墨鱼饼、沙虫干、金花茶、巴戟酒。",
        ),
        prices=[
            p(
                ("Chả mực Hạ Long", "Ha Long squid cakes", "下龙墨鱼饼"),
                KG,
                380_000,
                ocop_stars=4,
                history=350_000,
            ),
            p(
                ("Sá sùng khô", "Dried peanut worms", "沙虫干"),
                ("100 g", "100 g", "100克"),
                450_000,
                ocop_stars=4,
            ),
            p(("Trà hoa vàng", "Golden camellia tea", "金花茶"), BOX, 250_000, ocop_stars=5),
        ],
    ),
    place(
        "ocop-tra-co",
        "ocop_shop",
        ("Gian hàng OCOP Trà Cổ", "Tra Co OCOP Stall", "茶古OCOP摊位"),
        108.0360,
        21.4860,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=week("08:00", "22:00"),
        ocop_stars=3,
        prices=[
            p(
                ("Nước mắm Cái Rồng", "Cai Rong fish sauce", "盖龙鱼露"),
                BOTTLE,
                120_000,
                ocop_stars=4,
            ),
            p(("Mực khô", "Dried squid", "鱿鱼干"), KG, 900_000, ocop_stars=3),
        ],
    ),
    place(
        "ocop-banh-gat-gu",
        "ocop_shop",
        ("Cơ sở bánh gật gù Móng Cái", "Mong Cai nodding cake bakery", "芒街点头糕作坊"),
        107.9615,
        21.5280,
        "27 Trần Phú, Móng Cái",
        hours=week("07:00", "19:00"),
        ocop_stars=3,
        prices=[
            p(
                ("Bánh gật gù", "Nodding rice cake", "点头糕"),
                ("chiếc", "piece", "个"),
                10_000,
                ocop_stars=3,
            )
        ],
        age_days=240,
    ),
    place(
        "ocop-ruou-ba-kich",
        "ocop_shop",
        ("Cửa hàng rượu ba kích Ka Long", "Ka Long morinda wine shop", "卡龙巴戟酒店"),
        107.9598,
        21.5262,
        "8 Lý Thường Kiệt, Móng Cái",
        hours=week("08:00", "20:00"),
        ocop_stars=4,
        prices=[p(("Rượu ba kích", "Morinda wine", "巴戟酒"), BOTTLE, 280_000, ocop_stars=4)],
    ),
    place(
        "ocop-che-dac-san",
        "ocop_shop",
        ("Đặc sản Móng Cái", "Mong Cai Specialities", "芒街特产"),
        107.9670,
        21.5290,
        "Vân Đồn, Móng Cái",
        hours=week("07:30", "21:00"),
        prices=[
            p(("Chả mực", "Squid cakes", "墨鱼饼"), KG, 360_000, ocop_stars=3),
            p(("Ruốc tôm", "Shrimp floss", "虾松"), BOX, 150_000, ocop_stars=3),
        ],
    ),
    place(
        "ocop-hai-san-kho",
        "ocop_shop",
        ("Hải sản khô Bà Hai", "Mrs Hai's Dried Seafood", "二婆海鲜干货"),
        107.9650,
        21.5300,
        "Chợ Trung tâm, Móng Cái",
        hours=week("06:00", "18:00"),
        ocop_stars=3,
        prices=[p(("Tôm khô", "Dried shrimp", "虾干"), KG, 800_000, ocop_stars=3)],
    ),
    # --- markets -------------------------------------------------------------------------
    place(
        "cho-trung-tam",
        "market",
        ("Chợ Trung tâm Móng Cái", "Mong Cai Central Market", "芒街中心市场"),
        107.9664,
        21.5296,
        "Đường Tuệ Tĩnh, Móng Cái",
        hours=week("06:00", "19:00"),
        accessibility=RAMP,
        description=(
            "Chợ lớn nhất thành phố, nhiều gian hàng quần áo, hải sản khô.",
            "The city's largest market: clothes, dried seafood and more.",
            "全市最大的市场，有服装、海鲜干货等摊位。",
        ),
    ),
    place(
        "cho-dem",
        "market",
        ("Chợ đêm Móng Cái", "Mong Cai Night Market", "芒街夜市"),
        107.9640,
        21.5260,
        "Hòa Bình, Móng Cái",
        hours={d: [["18:00", "23:00"]] for d in DAYS} | {"always": False},
    ),
    place(
        "cho-hai-san-tra-co",
        "market",
        ("Chợ hải sản Trà Cổ", "Tra Co Seafood Market", "茶古海鲜市场"),
        108.0220,
        21.4870,
        "Khu phố Hải Tiến, Trà Cổ, Móng Cái",
        hours=week("05:00", "12:00"),
    ),
    place(
        "cho-ka-long",
        "market",
        ("Chợ Ka Long", "Ka Long Market", "卡龙市场"),
        107.9590,
        21.5320,
        "Ka Long, Móng Cái",
        hours=week("05:30", "18:00"),
    ),
    # --- transport -----------------------------------------------------------------------
    place(
        "taxi-mong-cai",
        "transport",
        ("Taxi Móng Cái", "Mong Cai Taxi", "芒街出租车"),
        107.9668,
        21.5245,
        "Hùng Vương, Móng Cái",
        hours=ALWAYS,
        phone=_phone(401),
        description=(
            "Hãng taxi: xe 4 và 7 chỗ, gọi 24/7.",
            "Taxi company: 4- and 7-seat cars, 24/7.",
            "出租车公司：4座和7座车，24小时服务。",
        ),
        prices=[
            p(OPENING, ("0,5 km đầu", "first 0.5 km", "首0.5公里"), 12_000),
            p(PER_KM, KM, 16_000, history=15_000),
            p(TO_TRA_CO, TRIP, 200_000),
        ],
    ),
    place(
        "taxi-tra-co",
        "transport",
        ("Taxi Trà Cổ", "Tra Co Taxi", "茶古出租车"),
        108.0370,
        21.4875,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=ALWAYS,
        phone=_phone(402),
        prices=[
            p(OPENING, ("0,5 km đầu", "first 0.5 km", "首0.5公里"), 10_000),
            p(PER_KM, KM, 15_000),
        ],
        age_days=130,
    ),
    place(
        "ben-xe-mong-cai",
        "transport",
        ("Bến xe khách Móng Cái", "Mong Cai Bus Station", "芒街客运站"),
        107.9560,
        21.5250,
        "Đại lộ Hòa Bình, Móng Cái",
        hours=week("04:30", "19:00"),
        phone=_phone(403),
        accessibility=RAMP,
        prices=[
            p(
                ("Xe khách Móng Cái - Hạ Long", "Coach to Hạ Long", "芒街至下龙大巴"),
                TICKET,
                180_000,
            ),
            p(("Xe khách Móng Cái - Hà Nội", "Coach to Hà Nội", "芒街至河内大巴"), TICKET, 300_000),
        ],
    ),
    place(
        "xe-dien-tra-co",
        "transport",
        ("Xe điện du lịch Trà Cổ", "Tra Co electric tourist cars", "茶古旅游电瓶车"),
        108.0420,
        21.4845,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=week("07:00", "22:00"),
        prices=[p(("Một vòng bãi biển", "A beach loop", "海滩一圈"), TURN, 50_000)],
    ),
    place(
        "xe-om-cua-khau",
        "transport",
        ("Điểm xe ôm cửa khẩu", "Border gate motorbike taxis", "口岸摩的点"),
        107.9676,
        21.5342,
        "Hữu Nghị, Móng Cái",
        hours=week("06:00", "20:00"),
        prices=[
            p(("Cửa khẩu - chợ Trung tâm", "Border gate to the market", "口岸至市场"), TRIP, 30_000)
        ],
    ),
    # --- border gates --------------------------------------------------------------------
    place(
        "ck-bac-luan-lanes",
        "border_gate",
        (
            "Lối khách du lịch cửa khẩu Bắc Luân",
            "Bắc Luân border gate visitors' lane",
            "北仑口岸游客通道",
        ),
        107.9690,
        21.5365,
        "Hữu Nghị, Móng Cái",
        hours=week("07:00", "22:00"),
        accessibility=RAMP,
        description=(
            "Lối làm thủ tục cho khách du lịch, mang theo hộ chiếu hoặc giấy thông hành.",
            "Visitors' immigration lane: bring a passport or border pass.",
            "游客通关通道，请携带护照或通行证。",
        ),
    ),
    place(
        "ck-ka-long",
        "border_gate",
        ("Cửa khẩu Ka Long", "Ka Long border crossing", "卡龙口岸"),
        107.9610,
        21.5355,
        "Ka Long, Móng Cái",
        hours=week("07:00", "19:00"),
    ),
    place(
        "ck-km3-hai-yen",
        "border_gate",
        ("Lối thông quan Km3+4 Hải Yên", "Km3+4 Hai Yen crossing", "海烟Km3+4通关点"),
        107.9350,
        21.5450,
        "Km3+4, Hải Yên, Móng Cái",
        hours=week("07:00", "17:00", closed=("sun",)),
    ),
    # --- public toilets ------------------------------------------------------------------
    place(
        "wc-quang-truong",
        "toilet",
        ("Nhà vệ sinh công cộng Quảng trường 3/2", "Public toilet, 3/2 Square", "3/2广场公共厕所"),
        107.9612,
        21.5272,
        "Quảng trường 3/2, Móng Cái",
        hours=week("05:00", "23:00"),
        accessibility=STEP_FREE,
        prices=[p(TOILET, TURN, 3_000)],
    ),
    place(
        "wc-cho-trung-tam",
        "toilet",
        ("Nhà vệ sinh chợ Trung tâm", "Central Market toilet", "中心市场厕所"),
        107.9670,
        21.5302,
        "Chợ Trung tâm, Móng Cái",
        hours=week("06:00", "19:00"),
        prices=[p(TOILET, TURN, 3_000)],
    ),
    place(
        "wc-tra-co-1",
        "toilet",
        ("Nhà vệ sinh bãi tắm Trà Cổ 1", "Trà Cổ beach toilet 1", "茶古海滩厕所1"),
        108.0450,
        21.4845,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=ALWAYS,
        accessibility=STEP_FREE,
        prices=[p(("Tắm nước ngọt", "Fresh-water shower", "淡水冲澡"), TURN, 15_000)],
    ),
    place(
        "wc-tra-co-2",
        "toilet",
        ("Nhà vệ sinh bãi tắm Trà Cổ 2", "Trà Cổ beach toilet 2", "茶古海滩厕所2"),
        108.0320,
        21.4855,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=week("05:00", "22:00"),
    ),
    place(
        "wc-ben-xe",
        "toilet",
        ("Nhà vệ sinh bến xe", "Bus station toilet", "客运站厕所"),
        107.9562,
        21.5255,
        "Đại lộ Hòa Bình, Móng Cái",
        hours=week("04:30", "19:30"),
        accessibility=RAMP,
    ),
    # --- tourist information ---------------------------------------------------------------
    place(
        "ttdl-trung-tam",
        "info_point",
        (
            "Trung tâm Thông tin Du lịch Móng Cái",
            "Mong Cai Tourist Information Centre",
            "芒街旅游咨询中心",
        ),
        107.9625,
        21.5265,
        "Quảng trường 3/2, Móng Cái",
        hours=office_hours(),
        phone=_phone(501),
        accessibility=STEP_FREE,
        description=(
            "Bản đồ, lịch xe, tư vấn tiếng Việt, Anh và Trung.",
            "Maps, bus times, advice in Vietnamese, English and Chinese.",
            "提供地图、班车时刻表，以及越南语、英语和中文咨询。",
        ),
    ),
    place(
        "ttdl-cua-khau",
        "info_point",
        ("Quầy thông tin cửa khẩu Bắc Luân", "Bắc Luân border information desk", "北仑口岸咨询台"),
        107.9685,
        21.5358,
        "Hữu Nghị, Móng Cái",
        hours=week("07:00", "21:00"),
        phone=_phone(502),
    ),
    place(
        "ttdl-tra-co",
        "info_point",
        ("Điểm thông tin du lịch Trà Cổ", "Tra Co tourist information point", "茶古旅游咨询点"),
        108.0390,
        21.4862,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=week("07:30", "21:00"),
        accessibility=STEP_FREE,
    ),
    place(
        "ttdl-ben-xe",
        "info_point",
        ("Quầy thông tin bến xe", "Bus station information desk", "客运站咨询台"),
        107.9558,
        21.5247,
        "Đại lộ Hòa Bình, Móng Cái",
        hours=week("05:00", "18:00"),
    ),
    # --- free Wi-Fi ----------------------------------------------------------------------
    place(
        "wifi-quang-truong",
        "wifi",
        ("Wi-Fi miễn phí Quảng trường 3/2", "Free Wi-Fi, 3/2 Square", "3/2广场免费Wi-Fi"),
        107.9616,
        21.5270,
        "Quảng trường 3/2, Móng Cái",
        hours=ALWAYS,
    ),
    place(
        "wifi-tra-co",
        "wifi",
        ("Wi-Fi miễn phí bãi biển Trà Cổ", "Free Wi-Fi, Trà Cổ beach", "茶古海滩免费Wi-Fi"),
        108.0440,
        21.4848,
        "Đường ven biển Trà Cổ, Móng Cái",
        hours=ALWAYS,
    ),
    place(
        "wifi-cua-khau",
        "wifi",
        ("Wi-Fi miễn phí cửa khẩu", "Free Wi-Fi, border gate", "口岸免费Wi-Fi"),
        107.9682,
        21.5355,
        "Hữu Nghị, Móng Cái",
        hours=week("06:00", "22:00"),
    ),
    # --- attractions ---------------------------------------------------------------------
    place(
        "chua-xuan-lan",
        "attraction",
        ("Chùa Xuân Lan", "Xuan Lan Pagoda", "春兰寺"),
        107.9600,
        21.5250,
        "Trần Phú, Móng Cái",
        hours=week("06:00", "18:00"),
        accessibility=STEPS,
        description=(
            "Ngôi chùa cổ giữa phố, lễ hội đầu xuân.",
            "An old pagoda in town, with a spring festival.",
            "市区古寺，每年初春举办庙会。",
        ),
        prices=[p(("Vé tham quan", "Admission", "门票"), TICKET, 0)],
    ),
    place(
        "nha-tho-tra-co",
        "attraction",
        ("Nhà thờ Trà Cổ", "Tra Co Church", "茶古天主教堂"),
        108.0150,
        21.4890,
        "Trà Cổ, Móng Cái",
        hours={"sun": [["05:00", "19:00"]], "sat": [["17:00", "19:00"]], "always": False},
        description=(
            "Nhà thờ Công giáo xây năm 1880.",
            "A Catholic church built in 1880.",
            "建于1880年的天主教堂。",
        ),
    ),
    place(
        "dinh-tra-co",
        "attraction",
        ("Đình Trà Cổ", "Tra Co Communal House", "茶古亭"),
        108.0180,
        21.4900,
        "Trà Cổ, Móng Cái",
        hours=week("07:00", "17:00"),
        accessibility=STEPS,
        prices=[p(("Vé tham quan", "Admission", "门票"), TICKET, 20_000)],
    ),
    place(
        "cong-vien-ka-long",
        "attraction",
        ("Công viên bờ sông Ka Long", "Ka Long Riverside Park", "卡龙河滨公园"),
        107.9630,
        21.5310,
        "Bờ sông Ka Long, Móng Cái",
        hours=ALWAYS,
        accessibility=RAMP,
    ),
    place(
        "bao-tang-mong-cai",
        "attraction",
        ("Nhà trưng bày lịch sử Móng Cái", "Mong Cai History Exhibition", "芒街历史展览馆"),
        107.9640,
        21.5275,
        "Hùng Vương, Móng Cái",
        hours={d: [["08:00", "11:30"], ["14:00", "17:00"]] for d in DAYS[1:]} | {"mon": []},
        accessibility=STEP_FREE,
        prices=[
            p(("Vé người lớn", "Adult ticket", "成人票"), TICKET, 30_000),
            p(("Vé trẻ em", "Child ticket", "儿童票"), TICKET, 15_000),
        ],
    ),
    place(
        "ngam-hoang-hon-sa-vi",
        "attraction",
        ("Điểm ngắm hoàng hôn Sa Vĩ", "Sa Vi sunset viewpoint", "沙尾日落观景点"),
        108.0640,
        21.4915,
        "Mũi Sa Vĩ, Trà Cổ, Móng Cái",
        hours=ALWAYS,
    ),
]
