"""Query parameters of /api/v1/places/: each checked, bounded and reported under its name.

The list is public and unauthenticated, so every input is bounded: q at most 100
characters, at most one value per known kind, prices as whole numbers of đồng, a bbox of
four WGS84 numbers, limit capped at 200.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.strict_types import TypeProblem, parse_bool, parse_decimal_text, parse_int_text
from layers.models import PlaceKind
from layers.places.search import QUERY_MAX_LENGTH
from layers.places.selectors import PlaceFilters

PLACE_DEFAULT_LIMIT = 100
PLACE_MAX_LIMIT = 200
PRICE_MAX_VND = 10**12


def _price(raw: str | None, name: str, errors: dict[str, list[str]]) -> int | None:
    if not raw:
        return None
    try:
        value = parse_int_text(raw.strip())
    except TypeProblem as exc:
        errors[name] = [exc.message]
        return None
    if not 0 <= value <= PRICE_MAX_VND:
        errors[name] = [
            _("%(field)s phải là số đồng từ 0 đến %(max)s.") % {"field": name, "max": PRICE_MAX_VND}
        ]
        return None
    return value


def _bbox(
    raw: str | None, errors: dict[str, list[str]]
) -> tuple[float, float, float, float] | None:
    if not raw:
        return None
    parts = raw.split(",")
    message = _("bbox phải là tây,nam,đông,bắc (bốn số thập phân tính bằng độ, WGS84).")
    if len(parts) != 4:
        errors["bbox"] = [message]
        return None
    try:
        west, south, east, north = (parse_decimal_text(p.strip()) for p in parts)
    except TypeProblem:
        errors["bbox"] = [message]
        return None
    inside = -180 <= west < east <= 180 and -90 <= south < north <= 90
    if not inside:
        errors["bbox"] = [message]
        return None
    return west, south, east, north


def parse_place_filters(params, errors: dict[str, list[str]]) -> PlaceFilters:
    """The list's filters; problems go to `errors` (then the answer is a 400)."""
    raw_q = params.get("q") or ""
    q = " ".join(raw_q.split())
    if len(raw_q) > QUERY_MAX_LENGTH:
        errors["q"] = [
            _("q (từ khóa tìm kiếm) dài tối đa %(max)s ký tự.") % {"max": QUERY_MAX_LENGTH}
        ]
        q = ""
    kinds: list[str] = []
    raw_kinds = params.get("kind") or ""
    if raw_kinds:
        asked = [k.strip() for k in raw_kinds.split(",") if k.strip()]
        unknown = [k for k in asked if k not in PlaceKind.values]
        if unknown or len(asked) > len(PlaceKind.values):
            errors["kind"] = [
                _("kind không hợp lệ; các loại: %(kinds)s.")
                % {"kinds": ", ".join(PlaceKind.values)}
            ]
        else:
            kinds = list(dict.fromkeys(asked))
    open_now = None
    if params.get("open_now"):
        try:
            open_now = parse_bool(params.get("open_now"), form_words=True)
        except TypeProblem:
            errors["open_now"] = [_("open_now phải là 1 hoặc 0.")]
    price_min = _price(params.get("price_min"), "price_min", errors)
    price_max = _price(params.get("price_max"), "price_max", errors)
    if price_min is not None and price_max is not None and price_min > price_max:
        errors["price_max"] = [_("price_max phải lớn hơn hoặc bằng price_min.")]
    return PlaceFilters(
        q=q,
        kinds=tuple(kinds),
        open_now=open_now,
        price_min=price_min,
        price_max=price_max,
        bbox=_bbox(params.get("bbox"), errors),
    )


def parse_place_limit(raw: str | None, errors: dict[str, list[str]]) -> int:
    """1.. a whole number, capped at PLACE_MAX_LIMIT; PLACE_DEFAULT_LIMIT when absent."""
    if not raw:
        return PLACE_DEFAULT_LIMIT
    try:
        value = parse_int_text(raw.strip())
    except TypeProblem as exc:
        errors["limit"] = [exc.message]
        return PLACE_DEFAULT_LIMIT
    if value < 1:
        errors["limit"] = [_("limit phải từ 1 đến %(high)s.") % {"high": PLACE_MAX_LIMIT}]
        return PLACE_DEFAULT_LIMIT
    return min(value, PLACE_MAX_LIMIT)
