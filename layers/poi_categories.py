"""Human names of the POI category codes, in Vietnamese, English and Simplified Chinese.

A POI's `category` is a code (bai_bien, temple_historic, hotel...) written by the importers:
the Vietnamese codes of the demo's curated GeoJSON, and the English ones of the OpenStreetMap
tag mapping (etl/data/osm_tag_mapping.json: a rule's "category", or the tag's value when it
names none). The tourist map's category filter showed those codes raw; the POI API now sends
these names beside each code. A code missing from the table (a curator's own, a shop=* value)
is shown as itself with spaces for underscores rather than not at all.
"""

from __future__ import annotations

from typing import NamedTuple


class PoiCategoryName(NamedTuple):
    vi: str
    en: str
    zh: str


POI_CATEGORY_NAMES: dict[str, PoiCategoryName] = {
    # The demo's curated GeoJSON (data/mong_cai/mong_cai_poi_osm.geojson).
    "bai_bien": PoiCategoryName("Bãi biển", "Beach", "海滩"),
    "di_tich": PoiCategoryName("Di tích", "Historic site", "历史遗迹"),
    "dia_danh": PoiCategoryName("Địa danh", "Landmark", "地标景点"),
    "giai_tri": PoiCategoryName("Vui chơi giải trí", "Entertainment", "娱乐休闲"),
    # The OpenStreetMap tag mapping (etl/data/osm_tag_mapping.json).
    "border_control": PoiCategoryName("Cửa khẩu", "Border gate", "口岸"),
    "beach": PoiCategoryName("Bãi biển", "Beach", "海滩"),
    "attraction": PoiCategoryName("Điểm tham quan", "Attraction", "旅游景点"),
    "temple_historic": PoiCategoryName(
        "Đền, chùa, di tích", "Temples and historic sites", "寺庙古迹"
    ),
    "hotel": PoiCategoryName("Khách sạn", "Hotel", "酒店"),
    "guest_house": PoiCategoryName("Nhà nghỉ", "Guest house", "旅馆"),
    "motel": PoiCategoryName("Nhà nghỉ ven đường", "Motel", "汽车旅馆"),
    "hostel": PoiCategoryName("Nhà trọ tập thể", "Hostel", "青年旅舍"),
    "restaurant": PoiCategoryName("Nhà hàng", "Restaurant", "餐厅"),
    "cafe": PoiCategoryName("Quán cà phê", "Café", "咖啡馆"),
    "fast_food": PoiCategoryName("Đồ ăn nhanh", "Fast food", "快餐"),
    "market": PoiCategoryName("Chợ", "Market", "市场"),
    "taxi": PoiCategoryName("Điểm đón taxi", "Taxi rank", "出租车停靠点"),
    "ocop": PoiCategoryName("Sản phẩm OCOP", "OCOP local products", "OCOP特色产品"),
    "wifi": PoiCategoryName("Wi-Fi miễn phí", "Free Wi-Fi", "免费Wi-Fi"),
    # Common shop=* values (the mapping's last shop rule keeps the tag's value as the code).
    "supermarket": PoiCategoryName("Siêu thị", "Supermarket", "超市"),
    "convenience": PoiCategoryName("Cửa hàng tiện lợi", "Convenience store", "便利店"),
    "gift": PoiCategoryName("Quà lưu niệm", "Gifts and souvenirs", "礼品纪念品"),
    "seafood": PoiCategoryName("Hải sản", "Seafood", "海鲜"),
    "clothes": PoiCategoryName("Quần áo", "Clothes", "服装"),
    "mall": PoiCategoryName("Trung tâm thương mại", "Shopping centre", "购物中心"),
}


def poi_category_name(code: str) -> PoiCategoryName:
    """The code's names; an unknown code's are the code itself, underscores as spaces."""
    known = POI_CATEGORY_NAMES.get(code)
    if known is not None:
        return known
    plain = code.replace("_", " ")
    return PoiCategoryName(plain, plain, plain)


def poi_category_properties(code: str) -> dict[str, str]:
    """category_name_vi/_en/_zh for a POI's GeoJSON properties."""
    names = poi_category_name(code)
    return {
        "category_name_vi": names.vi,
        "category_name_en": names.en,
        "category_name_zh": names.zh,
    }
