"""English and Simplified Chinese names for the Móng Cái demo: agencies, POIs, Wi-Fi notes.

The demo's OpenStreetMap extract (data/mong_cai/mong_cai_poi_osm.geojson) carries no name:en
or name:zh tags, so the demo would show Chinese visitors nothing but Vietnamese. These names
are the project's translations for the demo, not OSM data: the loader writes them only into
blank columns, so a real name:en / name:zh from an OSM import always wins. Chinese follows the
usage of Dongxing across the river (芒街 for Móng Cái, 茶古 for Trà Cổ, 北仑河 for the Ka Long).
"""

from __future__ import annotations

# Agency code (etl.demo.DEMO_AGENCIES) -> (English name, Chinese name).
DEMO_AGENCY_NAMES: dict[str, tuple[str, str]] = {
    "ioc": ("Smart City Monitoring and Operations Centre", "智慧城市监控运营中心"),
    "qldt": ("Urban Management Office", "城市管理科"),
    "tnmt": ("Natural Resources and Environment Office", "资源与环境科"),
    "cong-an": ("City Police", "市公安局"),
    "y-te": ("Health Office", "卫生科"),
    "vhtt": ("Culture and Information Office", "文化信息科"),
    "noi-vu": ("Home Affairs Office", "内务科"),
}

# POI source id -> the translated columns; "description" is the Vietnamese description.
DEMO_POI_TEXTS: dict[str, dict[str, str]] = {
    "way/384652651": {
        "name_en": "Tra Co Beach",
        "name_zh": "茶古海滩",
        "description": "Bãi biển cát trắng thoải, dài khoảng 17 km.",
        "description_en": "A long, gently sloping white-sand beach, about 17 km.",
        "description_zh": "沙白坡缓的长海滩，全长约17公里。",
    },
    "node/7645040503": {"name_en": "Black Rock Beach", "name_zh": "黑石滩"},
    "way/610783746": {
        "name_en": "Xa Tac Temple",
        "name_zh": "社稷庙",
        "description": "Đền thờ cổ bên bờ sông Ka Long, gần cửa khẩu Bắc Luân.",
        "description_en": "An old temple on the Ka Long river, near the Bac Luan border gate.",
        "description_zh": "北仑河畔的古庙，靠近北仑口岸。",
    },
    "node/8998746156": {"name_en": "Martyrs' Memorial", "name_zh": "烈士纪念碑"},
    "node/5784054226": {
        "name_en": "Tra Co Junction Tourism Landmark",
        "name_zh": "茶古三岔路口旅游标志",
    },
    "way/286780025": {
        "name_en": "Bac Luan Bridge",
        "name_zh": "北仑河大桥",
        "description": "Cầu qua sông Ka Long nối Móng Cái với Đông Hưng (Trung Quốc).",
        "description_en": "The bridge over the Ka Long river, Mong Cai to Dongxing (China).",
        "description_zh": "横跨北仑河、连接芒街与东兴的大桥。",
    },
    "node/3099046008": {
        "name_en": "Sa Vi Cape",
        "name_zh": "沙尾角",
        "description": "Mũi đất nơi khởi đầu đường bờ biển Việt Nam.",
        "description_en": "The cape where Vietnam's coastline begins.",
        "description_zh": "越南海岸线的起点。",
    },
    "way/971390941": {"name_en": "Mong Cai Entertainment Centre", "name_zh": "芒街娱乐中心"},
}

# Demo Wi-Fi site name (etl.wifi_demo.DEMO_WIFI_SITES) -> (Vietnamese, English, Chinese) note.
_OPEN = (
    "Mạng mở, không cần mật khẩu.",
    "Open network, no password.",
    "开放网络，无需密码。",
)
DEMO_WIFI_NOTES: dict[str, tuple[str, str, str]] = {
    "Đền Xã Tắc": (
        "Mạng mở, không cần mật khẩu; sóng mạnh nhất ở sân đền.",
        "Open network, no password; strongest in the temple courtyard.",
        "开放网络，无需密码；庙前院子信号最好。",
    ),
    "Cụm thông tin cửa khẩu Sa Vĩ": (
        "Mạng mở; mỗi lần kết nối dùng được 30 phút.",
        "Open network; each connection lasts 30 minutes.",
        "开放网络；每次连接可用30分钟。",
    ),
    "Bãi biển Trà Cổ": (
        "Mạng mở dọc đường ven biển; ngoài bãi tắm sóng yếu.",
        "Open network along the beach road; weak signal on the sand.",
        "沿海滨路的开放网络；沙滩上信号较弱。",
    ),
    "Chợ Trung tâm Móng Cái": _OPEN,
    "Quảng trường 3/2": _OPEN,
    "Cửa khẩu quốc tế Bắc Luân": (
        "Mạng mở ở khu làm thủ tục xuất nhập cảnh.",
        "Open network in the immigration hall.",
        "出入境办理大厅内的开放网络。",
    ),
    "Ngã ba Trà Cổ": _OPEN,
}
