"""The operators' personal-data page: citizens' erasure requests with their deadlines (the
overdue ones first and marked) and the contact access log. Operators and administrators
only; ward and agency officers get a 403, like everyone else who is not on the staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gis_core.contact_access import can_read_access_log
from gis_core.erasure import erasures_pending
from gis_core.models import ContactAccess, ErasureRequest
from web_map.staff_shell import page_config, role_label, staff_required

LOG_PAGE_SIZE = 100
DONE_SHOWN = 20


@require_safe
@staff_required
def staff_privacy(request: HttpRequest) -> HttpResponse:
    if not can_read_access_log(request.user):
        raise PermissionDenied(_("Chỉ trung tâm điều hành và quản trị xem được trang này."))
    now = timezone.now()
    pending = [{"request": r, "overdue": r.deadline < now} for r in erasures_pending()]
    done = (
        ErasureRequest.objects.filter(done_at__isnull=False)
        .select_related("done_by")
        .order_by("-done_at")[:DONE_SHOWN]
    )
    log = ContactAccess.objects.select_related("report").order_by("-at", "-id")
    page_number = request.GET.get("page") or "1"
    number = int(page_number) if page_number.isascii() and page_number.isdigit() else 1
    number = max(1, min(number, 10_000))
    start = (number - 1) * LOG_PAGE_SIZE
    entries = list(log[start : start + LOG_PAGE_SIZE + 1])
    context = {
        "pending": pending,
        "overdue_count": sum(1 for p in pending if p["overdue"]),
        "done": done,
        "entries": entries[:LOG_PAGE_SIZE],
        "page_number": number,
        "has_next": len(entries) > LOG_PAGE_SIZE,
        "config": page_config(request),
        "role_label": role_label(request.user),
    }
    return render(request, "web_map/staff_privacy.html", context)
