"""GET /api/v1/staff/board/: the operations centre's board as JSON, polled every few seconds.

The answer carries its version as the ETag; a poll sending it back (If-None-Match) gets a 304
at the cost of one index lookup while nothing changed (layers.board). Operators and
administrators only: the board is city-wide.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from gis_core.staff import CITY_WIDE, staff_role
from layers.board import board_snapshot, board_unchanged

# The page asks again itself; no cache (browser or proxy) may answer for the server.
CACHE_CONTROL = "private, no-cache"
MAX_TAGS = 4  # a poll sends one; more are not read


class StaffBoardView(JsonAPIView):
    @extend_schema(
        operation_id="staff_board",
        summary="The operations centre's board: counts per agency and ward, newest reports, "
        "the emerging-hotspot alert",
        description="Send the ETag back as If-None-Match: 304 while nothing changed.",
        responses={200: OpenApiTypes.OBJECT, 304: None, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        role = staff_role(request.user)
        if role not in CITY_WIDE:
            detail = (
                _("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ.")
                if role is None
                else _("Bảng điều hành chỉ dành cho Trung tâm điều hành.")
            )
            return Response({"detail": detail}, status=403)
        tags = (request.headers.get("If-None-Match") or "").split(",")[:MAX_TAGS]
        held = next((t.strip() for t in tags if t.strip() and board_unchanged(t)), None)
        if held is not None:
            response = Response(status=304)
            response["ETag"] = held
        else:
            payload, version = board_snapshot()
            response = Response(payload)
            response["ETag"] = version
        response["Cache-Control"] = CACHE_CONTROL
        return response
