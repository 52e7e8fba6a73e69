"""/dieu-hanh/: the operations centre's board, for the centre's wall screen and a phone.

The page carries its first answer (so the wall shows numbers at once), then board.js polls
GET /api/v1/staff/board/ with the answer's version: unchanged polls are 304s (layers.board).
Operators and administrators only; other staff get a 403 page, anonymous visitors the login.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gis_core.staff import CITY_WIDE, staff_role
from layers.board import board_snapshot
from web_map.staff_shell import page_config, role_label, staff_required

# Seconds between polls: a change shows within one interval plus one answer (< 5 s).
POLL_SECONDS = 2.5


def board_labels() -> dict[str, str]:
    """The count names, per key of gis_core.board.board_count_filters (urgent included, for
    when the priority count is wired in), and the page's other words, for board.js."""
    return {
        "new": _("Mới tiếp nhận"),
        "urgent": _("Khẩn cấp"),
        "overdue": _("Quá hạn"),
        "due_today": _("Đến hạn hôm nay"),
        "review": _("Cần xem lại"),
        "updated": _("Cập nhật lúc"),
        "offline": _("Mất kết nối, đang thử lại…"),
        "none": _("Không có gì cần xử lý."),
        "hotspot": _("%(reports)s phản ánh trong %(hexes)s ô, %(days)s ngày trước đó %(before)s"),
        "forecast": _(
            "%(count)s phản ánh trong tuần từ %(week)s, dự báo %(expected)s (cao nhất %(upper)s)"
        ),
    }


@require_safe
@staff_required
def board(request: HttpRequest) -> HttpResponse:
    if staff_role(request.user) not in CITY_WIDE:
        raise PermissionDenied(_("Bảng điều hành chỉ dành cho Trung tâm điều hành."))
    payload, _version = board_snapshot()
    config = {
        **page_config(request),
        "api": reverse("api:staff-board"),
        "pollMs": int(POLL_SECONDS * 1000),
        "labels": board_labels(),
    }
    context = {
        "board": payload,
        "config": config,
        "role_label": role_label(request.user),
        "hotspot_days": payload["hotspot_days"],
    }
    return render(request, "web_map/board.html", context)
