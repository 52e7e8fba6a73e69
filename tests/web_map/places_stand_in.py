"""A stand-in for the public places API (notes PLACES.md: GET /api/v1/places/ and
/api/v1/places/<id>/), served to the browser through Playwright routes, so the tourist page's
front end is checked against the contract on its own, as test_map_tiles_e2e does for report
tiles. test_tourist_places_e2e.py runs the page against the real API instead.

The stand-in follows the contract's shapes; its search is a plain folded substring match (the
real ranking is the API's to test) and it applies `kind`; it records every request's query so a
test can check what the page asked for."""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from urllib.parse import parse_qs, urlsplit

from tests.web_map.map_page import png_bytes

PHOTO_PATH = "/stand-in/places/photo.png"
DETAIL_RE = re.compile(r"/api/v1/places/([0-9a-f-]{36})/$")

# Đền Xã Tắc (OSM way 610783746): where the visitor stands in these tests.
DEN_XA_TAC = (21.533804, 107.965281)

HOTEL_ID = str(uuid.UUID(int=1))
TEMPLE_ID = str(uuid.UUID(int=2))

KIND_NAMES = {
    "accommodation": ("Lưu trú", "Accommodation", "住宿"),
    "attraction": ("Điểm tham quan", "Attraction", "景点"),
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _place(pid: str, kind: str, lon: float, lat: float, **props) -> dict:
    vi, en, zh = KIND_NAMES[kind]
    base = {
        "id": pid,
        "kind": kind,
        "kind_name_vi": vi,
        "kind_name_en": en,
        "kind_name_zh": zh,
        "name": "",
        "name_en": "",
        "name_zh": "",
        "address": "",
        "phone": "",
        "website": "",
        "accommodation_type": "",
        "star_rating": None,
        "ocop_stars": None,
        "open_now": None,
        "price_from_vnd": None,
        "photo": None,
        "is_demo": True,
        "open_reports": 0,
    }
    base.update(props)
    return {
        "type": "Feature",
        "id": pid,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": base,
    }


def places(origin: str) -> dict[str, dict]:
    """Two places by the contract: a hotel 222 m north of the temple (24/7, a price list) and
    an attraction in Trà Cổ, closed every day (its hours known, so "closed", never unknown)."""
    hotel = _place(
        HOTEL_ID,
        "accommodation",
        DEN_XA_TAC[1],
        DEN_XA_TAC[0] + 0.002,
        name="Khách sạn Hòa Bình",
        name_en="Hoa Binh Hotel",
        name_zh="和平酒店",
        address="12 Hùng Vương, Móng Cái",
        phone="+84 203 388 1234",
        website="https://hoabinh.example.vn/",
        accommodation_type="hotel",
        star_rating=3,
        open_now=True,
        price_from_vnd=350000,
        photo=origin + PHOTO_PATH,
    )
    temple = _place(
        TEMPLE_ID,
        "attraction",
        108.0415,
        21.4877,
        name="Đình Trà Cổ",
        name_en="Tra Co Communal House",
        name_zh="茶古亭",
        address="Trà Cổ, Móng Cái",
        open_now=False,
    )
    details = {
        HOTEL_ID: {
            "description": "Khách sạn gần chợ, có chỗ đỗ xe.",
            "description_en": "A hotel near the market, with parking.",
            "description_zh": "靠近市场的酒店，有停车位。",
            "accessibility": "Lối vào có dốc cho xe lăn.",
            "accessibility_en": "Ramp at the entrance for wheelchairs.",
            "accessibility_zh": "入口有轮椅坡道。",
            "hours": {"always": True},
            "photos": [
                {
                    "url": origin + PHOTO_PATH,
                    "thumbnail": origin + PHOTO_PATH,
                    "credit": "Nguyễn Văn A, CC BY 4.0",
                }
            ],
            "prices": {
                "updated_at": "2025-03-01",
                "stale": False,
                "items": [
                    {
                        "item": "Phòng đôi",
                        "item_en": "Double room",
                        "item_zh": "双人间",
                        "unit": "đêm",
                        "unit_en": "night",
                        "unit_zh": "晚",
                        "price_vnd": 650000,
                        "ocop_stars": None,
                        "valid_from": "2025-03-01",
                        "valid_to": None,
                    },
                    {
                        "item": "Phòng đơn",
                        "item_en": "Single room",
                        "item_zh": "单人间",
                        "unit": "đêm",
                        "unit_en": "night",
                        "unit_zh": "晚",
                        "price_vnd": 350000,
                        "ocop_stars": None,
                        "valid_from": "2025-03-01",
                        "valid_to": None,
                    },
                    {
                        "item": "Phòng đơn (giá cũ)",
                        "item_en": "",
                        "item_zh": "",
                        "unit": "đêm",
                        "unit_en": "",
                        "unit_zh": "",
                        "price_vnd": 300000,
                        "ocop_stars": None,
                        "valid_from": "2024-01-01",
                        "valid_to": "2025-02-28",
                    },
                ],
            },
            "verified_at": "2025-05-15",
            "verified_by": {
                "name": "Phòng Văn hóa và Thông tin",
                "name_en": "Culture and Information Office",
                "name_zh": "文化信息科",
            },
        },
        TEMPLE_ID: {
            "hours": {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "photos": [],
            "prices": {"updated_at": None, "stale": False, "items": []},
            "verified_at": None,
            "verified_by": None,
        },
    }
    out = {}
    for feature in (hotel, temple):
        pid = feature["id"]
        extra = {"hours_today": "mon", "source": "office", "licence": "", "open_reports": 0,
                 "accessibility": "", "accessibility_en": "", "accessibility_zh": "",
                 "description": "", "description_en": "", "description_zh": ""}  # fmt: skip
        extra.update(details[pid])
        out[pid] = {
            "list": feature,
            "detail": {**feature, "properties": {**feature["properties"], **extra}},
        }
    return out


def serve_places(page, origin: str) -> list[dict[str, list[str]]]:
    """Routes the places API (and the photo) of `page` to the stand-in; returns the list of
    the queries the page sent to /api/v1/places/, in order."""
    data = places(origin)
    queries: list[dict[str, list[str]]] = []

    def answer(route):
        url = urlsplit(route.request.url)
        match = DETAIL_RE.search(url.path)
        if match:
            found = data.get(match.group(1))
            if not found:
                route.fulfill(
                    status=404,
                    content_type="application/json",
                    body='{"detail": "Không tìm thấy."}',
                )
                return
            route.fulfill(
                status=200, content_type="application/json", body=json.dumps(found["detail"])
            )
            return
        query = parse_qs(url.query)
        queries.append(query)
        features = [d["list"] for d in data.values()]
        if "kind" in query:
            kinds = set(query["kind"][0].split(","))
            features = [f for f in features if f["properties"]["kind"] in kinds]
        if "q" in query:
            q = fold(query["q"][0])
            fields = ("name", "name_en", "name_zh", "kind_name_vi", "kind_name_en")
            features = [f for f in features if any(q in fold(f["properties"][k]) for k in fields)]
        body = {"type": "FeatureCollection", "count": len(features), "features": features}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route(re.compile(r".*/api/v1/places/.*"), answer)
    page.route(
        f"**{PHOTO_PATH}",
        lambda route: route.fulfill(status=200, content_type="image/png", body=png_bytes()),
    )
    return queries
