"""Changing a report's category, by staff: the one way a suggested category reaches a report.

Only before the report is handed to an agency (received or verified): after that the agency
has the case and a change of hands is a reroute. A verified report is routed again for its new
category (gis_core.routing), and a change of agency is recorded as a RoutingChange. Every change
is a CategoryChange (who, when, from, to, whether it was the classifier's suggestion).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gis_core.models import (
    Category,
    CategoryChange,
    Report,
    ReportStatus,
    RoutingChange,
)
from gis_core.routing import agency_for
from gis_core.workflow import TransitionError

RECATEGORISABLE = (ReportStatus.RECEIVED, ReportStatus.VERIFIED)
REASON_MAX_CHARS = 500


@transaction.atomic
def report_recategorise(
    *,
    report_id: int,
    category_code: str,
    actor=None,
    reason: str = "",
) -> CategoryChange:
    """Moves a report to the active category `category_code`; raises TransitionError (for
    the staff member) when it may not, and then nothing changes. The change is marked as the
    classifier's suggestion taken when the new category is the one suggested."""
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise TransitionError(_("Không tìm thấy phản ánh."))
    if report.status not in RECATEGORISABLE:
        raise TransitionError(
            _(
                "Chỉ đổi lĩnh vực được trước khi phản ánh được chuyển xử lý; phản ánh này "
                "đã chuyển đi: hãy chuyển đơn vị nếu cần."
            )
        )
    category = Category.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        raise TransitionError(_("Không có lĩnh vực đang dùng với mã này."))
    if category.pk == report.category_id:
        raise TransitionError(_("Phản ánh đã thuộc lĩnh vực này."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_CHARS:
        raise TransitionError(
            _("Lý do có %(n)s ký tự; giới hạn là %(limit)s.")
            % {"n": len(reason), "limit": REASON_MAX_CHARS}
        )
    change = CategoryChange.objects.create(
        report=report,
        from_category_id=report.category_id,
        to_category=category,
        from_suggestion=category.pk == report.suggested_category_id,
        actor=actor,
        reason=reason,
    )
    report.category = category
    fields = ["category", "updated_at"]
    if report.status == ReportStatus.VERIFIED:
        agency = agency_for(report)
        if agency is not None and agency.pk != report.agency_id:
            RoutingChange.objects.create(
                report=report,
                from_agency_id=report.agency_id,
                to_agency=agency,
                actor=actor,
                reason=_("Đổi lĩnh vực sang %(category)s") % {"category": category.name_vi},
            )
            report.agency = agency
            fields.append("agency")
    report.save(update_fields=fields)
    return change
