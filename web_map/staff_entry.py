"""The "Nhập phản ánh" page: staff type in a report received by phone, in person, by letter,
e-mail or Zalo. A plain form POST with CSRF (it works without JS); the map only helps to pick
the point, which can also be typed. The write is gis_core.services.staff_report_enter, the
same as POST /api/v1/staff/reports/, with the same scope (gis_core.staff)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.api.serializers import strict_data
from common.validation import FieldErrors
from gis_core.api.serializers import StaffReportCreateSerializer
from gis_core.idempotency import IdempotencyConflict
from gis_core.models import STAFF_CHANNELS, ReportChannel
from gis_core.privacy_notice import CONSENT_FIELD, current_notice
from gis_core.selectors import categories_active
from gis_core.services import staff_report_enter
from gis_core.staff import can_enter_reports
from web_map.staff_shell import page_config, role_label, staff_required

FIELDS = (
    "channel",
    "category",
    "description",
    "lon",
    "lat",
    "contact_name",
    "contact_phone",
    "contact_email",
    "language",
    CONSENT_FIELD,
    "idempotency_key",
)
SHOWN_CHARS = 4000  # of a value put back into the form after a mistake


def _context(request: HttpRequest, values: dict[str, str], errors: dict) -> dict[str, Any]:
    return {
        "channels": [(c, ReportChannel(c).label) for c in STAFF_CHANNELS],
        "categories": categories_active().order_by("sort_order", "code"),
        # The language the caller is written to (receipt, status SMS), each named in itself.
        "languages": settings.LANGUAGES,
        "values": values,
        "errors": errors,
        "notice": current_notice(),
        "config": page_config(request),
        "role_label": role_label(request.user),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def staff_report_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_enter_reports(user):
        raise PermissionDenied(
            _("Đơn vị xử lý nhận phản ánh được chuyển đến, không nhập phản ánh.")
        )
    if request.method != "POST":
        # A fresh key per form shown: a second tap on "Lưu" stores the report once.
        return render(
            request,
            "web_map/staff_entry.html",
            _context(request, {"idempotency_key": uuid.uuid4().hex}, {}),
        )
    values = {k: str(request.POST.get(k) or "")[:SHOWN_CHARS] for k in FIELDS}
    try:
        data = strict_data(StaffReportCreateSerializer, request.POST, partial=True)
        submitted = staff_report_enter(user=user, data=data)
    except FieldErrors as exc:
        context = _context(request, values, exc.errors)
        return render(request, "web_map/staff_entry.html", context, status=400)
    except IdempotencyConflict:
        # The same form sent again with other values: a new form, with what was typed.
        values["idempotency_key"] = uuid.uuid4().hex
        errors = {"idempotency_key": [_("Phản ánh này đã được lưu; hãy kiểm tra rồi lưu lại.")]}
        return render(
            request, "web_map/staff_entry.html", _context(request, values, errors), status=409
        )
    return redirect("web_map:staff-report", public_id=submitted.public_id)
