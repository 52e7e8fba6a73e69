"""The categories the Quảng Ninh smart-city apps use (Móng Cái Smart, Hạ Long Smart)."""

from typing import Any

# Security and public order starts urgent, due within 4 clock hours (gis_core 0029).
SEED_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "an_ninh_trat_tu",
        "name_vi": "An ninh trật tự",
        "name_en": "Security and public order",
        "default_priority": "urgent",
        "urgent_deadline_hours": 4,
    },
    {"code": "an_toan_giao_thong", "name_vi": "An toàn giao thông", "name_en": "Traffic safety"},
    {
        "code": "ve_sinh_an_toan_thuc_pham",
        "name_vi": "Vệ sinh an toàn thực phẩm",
        "name_en": "Food safety and hygiene",
    },
    {"code": "moi_truong", "name_vi": "Môi trường", "name_en": "Environment"},
    {"code": "trat_tu_xay_dung", "name_vi": "Trật tự xây dựng", "name_en": "Construction order"},
    {"code": "trat_tu_do_thi", "name_vi": "Trật tự đô thị", "name_en": "Urban order"},
    {
        "code": "chat_luong_phuc_vu",
        "name_vi": "Chất lượng phục vụ của cán bộ",
        "name_en": "Quality of public service",
    },
    {
        "code": "van_hoa_thong_tin",
        "name_vi": "Văn hóa thông tin",
        "name_en": "Culture and information",
    },
    {"code": "y_te_co_so", "name_vi": "Y tế cơ sở", "name_en": "Primary health care"},
    {
        "code": "ha_tang",
        "name_vi": "Hạ tầng (cống rãnh, đường, chiếu sáng)",
        "name_en": "Infrastructure (drains, roads, lighting)",
    },
    {"code": "khac", "name_vi": "Khác", "name_en": "Other"},
]
