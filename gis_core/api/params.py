"""Query parameters shared by the public and staff report lists: filters and pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.request import Request

from common.dates import date_param
from common.strict_types import TypeProblem, parse_int_text
from common.validation import parse_coordinate
from gis_core.models import ReportStatus
from ward_boundaries.api.params import province_param

DEFAULT_PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000
# A page is an OFFSET: page 999 of 1,000 reads and sorts the 998,000 rows before it. The
# public list ends its pages by this row (page × page_size); narrower filters reach the rest.
MAX_LIST_ROWS = 5_000


def parse_report_filters(params) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    filters: dict = {}
    if params.get("bbox"):
        parts = params["bbox"].split(",")
        values = [parse_coordinate(p, "bbox", errors) for p in parts] if len(parts) == 4 else []
        numbers = [v for v in values if v is not None]
        if len(parts) != 4:
            errors["bbox"] = [_("Cần bốn số: minlon,minlat,maxlon,maxlat.")]
        elif len(numbers) == 4:  # each unreadable one has its message already
            minx, miny, maxx, maxy = numbers
            if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
                errors.setdefault("bbox", []).append(
                    _(
                        "Ngoài khoảng cho phép hoặc min > max: cần minlon,minlat,maxlon,maxlat "
                        "tính bằng độ."
                    )
                )
            else:
                filters["bbox"] = (minx, miny, maxx, maxy)
    for name in ("since", "until"):
        day = date_param(params, name, errors)
        if day is not None:
            filters[name] = day
    if params.get("status"):
        if params["status"] not in ReportStatus.values:
            errors["status"] = [
                _("Trạng thái không hợp lệ. Các giá trị hợp lệ: %(valid)s.")
                % {"valid": ", ".join(ReportStatus.values)}
            ]
        else:
            filters["status"] = params["status"]
    if params.get("ward"):
        filters["ward_code"] = params["ward"][:10]
    province = province_param(params, errors)
    if province:
        filters["province_code"] = province
    if params.get("category"):
        filters["category"] = params["category"][:50]
    return filters, errors


def page_params(params, errors: dict[str, list[str]]) -> tuple[int, int]:
    def number(name: str, default: int, low: int, high: int) -> int:
        raw = params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = parse_int_text(raw)
        except TypeProblem as exc:
            errors[name] = [exc.message]
            return default
        if not low <= value <= high:
            errors[name] = [_("Phải từ %(low)s đến %(high)s.") % {"low": low, "high": high}]
            return default
        return value

    return number("page", 1, 1, 1_000_000), number("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)


def page_window_ok(page: int, page_size: int, errors: dict[str, list[str]]) -> bool:
    """True if the page ends by row MAX_LIST_ROWS; else a message under errors["page"]."""
    if page * page_size <= MAX_LIST_ROWS:
        return True
    errors["page"] = [
        _(
            "Chỉ xem được %(rows)s phản ánh đầu tiên (page × page_size): hãy thu hẹp bộ lọc "
            "(vùng bản đồ, thời gian, lĩnh vực, trạng thái) để xem các phản ánh khác."
        )
        % {"rows": f"{MAX_LIST_ROWS:,}".replace(",", ".")}
    ]
    return False


def page_url(request: Request, page: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
