"""The categories the Quảng Ninh smart-city apps use (Móng Cái Smart, Hạ Long Smart), with
their names in English and Simplified Chinese (visitors from China read the map too)."""

from typing import Any

# Security and public order starts urgent, due within 4 clock hours (gis_core 0029).
SEED_CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "an_ninh_trat_tu",
        "name_vi": "An ninh trật tự",
        "name_en": "Security and public order",
        "name_zh": "治安秩序",
        "default_priority": "urgent",
        "urgent_deadline_hours": 4,
    },
    {
        "code": "an_toan_giao_thong",
        "name_vi": "An toàn giao thông",
        "name_en": "Traffic safety",
        "name_zh": "交通安全",
    },
    {
        "code": "ve_sinh_an_toan_thuc_pham",
        "name_vi": "Vệ sinh an toàn thực phẩm",
        "name_en": "Food safety and hygiene",
        "name_zh": "食品卫生安全",
    },
    {
        "code": "moi_truong",
        "name_vi": "Môi trường",
        "name_en": "Environment",
        "name_zh": "环境",
    },
    {
        "code": "trat_tu_xay_dung",
        "name_vi": "Trật tự xây dựng",
        "name_en": "Construction order",
        "name_zh": "建设秩序",
    },
    {
        "code": "trat_tu_do_thi",
        "name_vi": "Trật tự đô thị",
        "name_en": "Urban order",
        "name_zh": "城市秩序",
    },
    {
        "code": "chat_luong_phuc_vu",
        "name_vi": "Chất lượng phục vụ của cán bộ",
        "name_en": "Quality of public service",
        "name_zh": "干部服务质量",
    },
    {
        "code": "van_hoa_thong_tin",
        "name_vi": "Văn hóa thông tin",
        "name_en": "Culture and information",
        "name_zh": "文化信息",
    },
    {
        "code": "y_te_co_so",
        "name_vi": "Y tế cơ sở",
        "name_en": "Primary health care",
        "name_zh": "基层医疗",
    },
    {
        "code": "ha_tang",
        "name_vi": "Hạ tầng (cống rãnh, đường, chiếu sáng)",
        "name_en": "Infrastructure (drains, roads, lighting)",
        "name_zh": "基础设施（排水、道路、照明）",
    },
    # Tourism: offered first on a place's report form (for_places; gis_core 0038). An
    # overcharging report also names the item and what was charged, judged against the
    # place's listed price (layers.PlaceReport).
    {
        "code": "du_lich_chat_chem",
        "name_vi": "Chặt chém, bán cao hơn giá niêm yết",
        "name_en": "Overcharging above the listed price",
        "name_zh": "宰客、高于公示价格收费",
        "for_places": True,
    },
    {
        "code": "du_lich_ve_sinh",
        "name_vi": "Mất vệ sinh tại điểm du lịch",
        "name_en": "Poor hygiene at a tourist place",
        "name_zh": "旅游场所卫生差",
        "for_places": True,
    },
    {
        "code": "du_lich_an_toan",
        "name_vi": "Mất an toàn cho du khách",
        "name_en": "Unsafe for visitors",
        "name_zh": "游客安全隐患",
        "for_places": True,
    },
    {
        "code": "du_lich_cheo_keo",
        "name_vi": "Chèo kéo, đeo bám du khách",
        "name_en": "Touts pestering visitors",
        "name_zh": "拉客、纠缠游客",
        "for_places": True,
    },
    {
        "code": "du_lich_sai_thong_tin",
        "name_vi": "Địa điểm đóng cửa nhưng hiển thị đang mở",
        "name_en": "Place closed but shown as open",
        "name_zh": "场所已关门却显示营业",
        "for_places": True,
    },
    {
        "code": "khac",
        "name_vi": "Khác",
        "name_en": "Other",
        "name_zh": "其他",
    },
]
