"""Names of the place kinds in Vietnamese, English and Simplified Chinese, and the words a
visitor types to find a kind.

Like layers.poi_categories these are data sent beside each code (kind_name_vi/_en/_zh), not
gettext: the visitor's page shows the three side by side whatever the interface language.
The search terms are what visitors type for a kind, which is often not its name: "khách
sạn" or "hotel" for accommodation, "nhà hàng" for food (layers.places.search).
"""

from __future__ import annotations

from typing import NamedTuple


class PlaceKindName(NamedTuple):
    vi: str
    en: str
    zh: str


PLACE_KIND_NAMES: dict[str, PlaceKindName] = {
    "attraction": PlaceKindName("Điểm tham quan", "Attraction", "旅游景点"),
    "accommodation": PlaceKindName("Lưu trú", "Accommodation", "住宿"),
    "food": PlaceKindName("Ăn uống", "Food and drink", "餐饮"),
    "ocop_shop": PlaceKindName("Cửa hàng OCOP", "OCOP shop", "OCOP特产店"),
    "market": PlaceKindName("Chợ", "Market", "市场"),
    "transport": PlaceKindName("Taxi và vận tải", "Taxi and transport", "出租车和交通"),
    "border_gate": PlaceKindName("Cửa khẩu", "Border gate", "口岸"),
    "toilet": PlaceKindName("Nhà vệ sinh công cộng", "Public toilet", "公共厕所"),
    "info_point": PlaceKindName("Điểm thông tin du lịch", "Tourist information", "旅游咨询点"),
    "wifi": PlaceKindName("Wi-Fi miễn phí", "Free Wi-Fi", "免费Wi-Fi"),
}

# Besides the three names: the words people type for the kind, in the three languages.
PLACE_KIND_TERMS: dict[str, tuple[str, ...]] = {
    "attraction": ("tham quan", "du lịch", "sightseeing", "景点", "旅游"),
    "accommodation": (
        "khách sạn",
        "nhà nghỉ",
        "homestay",
        "nhà trọ",
        "hotel",
        "guesthouse",
        "guest house",
        "hostel",
        "酒店",
        "宾馆",
        "旅馆",
    ),
    "food": (
        "nhà hàng",
        "quán ăn",
        "quán",
        "ẩm thực",
        "restaurant",
        "food",
        "café",
        "cafe",
        "餐厅",
        "饭店",
        "美食",
    ),
    "ocop_shop": ("ocop", "đặc sản", "specialities", "local products", "特产"),
    "market": ("chợ", "market", "市场", "集市"),
    "transport": ("taxi", "xe", "vận tải", "transport", "bus", "出租车", "交通"),
    "border_gate": ("cửa khẩu", "border", "口岸", "边境"),
    "toilet": ("nhà vệ sinh", "vệ sinh", "toilet", "wc", "厕所", "洗手间"),
    "info_point": ("thông tin", "information", "tourist information", "咨询", "游客中心"),
    "wifi": ("wifi", "wi-fi", "internet", "无线网"),
}


def place_kind_name(kind: str) -> PlaceKindName:
    """The kind's names; an unknown code's are the code itself (never a blank label)."""
    return PLACE_KIND_NAMES.get(kind) or PlaceKindName(kind, kind, kind)


def place_kind_properties(kind: str) -> dict[str, str]:
    """kind_name_vi/_en/_zh for a place's GeoJSON properties."""
    names = place_kind_name(kind)
    return {"kind_name_vi": names.vi, "kind_name_en": names.en, "kind_name_zh": names.zh}


def place_kind_words(kind: str) -> tuple[str, ...]:
    """Every text that names the kind: its three names and its search terms."""
    return (*place_kind_name(kind), *PLACE_KIND_TERMS.get(kind, ()))


# An imported POI's kind from its category code (the demo GeoJSON's Vietnamese codes and the
# OSM mapping's, etl/data/osm_tag_mapping.json), else from its OSM layer: (kind, stay type).
# layers migration 0018 holds a frozen copy for the points that existed before kinds did.
CATEGORY_KINDS: dict[str, tuple[str, str]] = {
    "bai_bien": ("attraction", ""),
    "di_tich": ("attraction", ""),
    "dia_danh": ("attraction", ""),
    "giai_tri": ("attraction", ""),
    "beach": ("attraction", ""),
    "attraction": ("attraction", ""),
    "temple_historic": ("attraction", ""),
    "border_control": ("border_gate", ""),
    "hotel": ("accommodation", "hotel"),
    "guest_house": ("accommodation", "guesthouse"),
    "motel": ("accommodation", "guesthouse"),
    "hostel": ("accommodation", "guesthouse"),
    "restaurant": ("food", ""),
    "cafe": ("food", ""),
    "fast_food": ("food", ""),
    "market": ("market", ""),
    "taxi": ("transport", ""),
    "ocop": ("ocop_shop", ""),
    "wifi": ("wifi", ""),
}
LAYER_KINDS: dict[str, str] = {
    "border_gate": "border_gate",
    "hotels": "accommodation",
    "food": "food",
    "markets": "market",
    "taxi": "transport",
    "wifi": "wifi",
}


def kind_for_import(category: str, layer: str) -> tuple[str, str]:
    """(kind, accommodation_type) of an imported point; "attraction" when nothing says."""
    kind, stay = CATEGORY_KINDS.get(category, ("", ""))
    return (kind or LAYER_KINDS.get(layer, "attraction")), stay
