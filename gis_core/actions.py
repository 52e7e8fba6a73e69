"""What each status change is called on a button: the action, not the status it leads to.

The one home of the mapping: the staff report page labels its buttons with it, and the staff
API lists a report's allowed actions with the same labels.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gis_core.models import Report, ReportStatus
from gis_core.routing import agency_for
from gis_core.staff import can_transition
from gis_core.workflow import allowed_next

S = ReportStatus
ACTION_LABELS: dict[tuple[str, str], Promise] = {
    (S.RECEIVED, S.ASSIGNED): _("Xác minh và chuyển xử lý"),
    (S.RECEIVED, S.VERIFIED): _("Xác minh, giữ lại chưa chuyển"),
    (S.RECEIVED, S.REJECTED): _("Từ chối"),
    (S.VERIFIED, S.ASSIGNED): _("Chuyển xử lý"),
    (S.VERIFIED, S.REJECTED): _("Từ chối"),
    (S.ASSIGNED, S.IN_PROGRESS): _("Bắt đầu xử lý"),
    (S.IN_PROGRESS, S.RESOLVED): _("Hoàn thành và trả lời"),
    (S.RESOLVED, S.IN_PROGRESS): _("Mở lại"),
}
# Verifying without an agency to hand the report to is plain verification, not a hold.
VERIFY_ONLY_LABEL = _("Xác minh")


def action_label(from_status: str, to_status: str) -> str:
    """The button text of the change (the target status's name for one not in the map)."""
    label = ACTION_LABELS.get((from_status, to_status))
    if label is None:
        return str(ReportStatus(to_status).label) if to_status in S.values else to_status
    return str(label)


def allowed_actions(user, report: Report) -> list[dict[str, str]]:
    """The changes this user may make to this report now, each with its action label, as the
    staff page offers them: a received report with no agency to route to is verified only."""
    status = report.status
    steps = [to for to in allowed_next(status, report) if can_transition(user, status, to)]
    unrouted = status == S.RECEIVED and S.ASSIGNED in steps and agency_for(report) is None
    actions = []
    for to in steps:
        if unrouted and to == S.ASSIGNED:
            continue
        label = VERIFY_ONLY_LABEL if unrouted and to == S.VERIFIED else action_label(status, to)
        actions.append({"to_status": to, "label": str(label)})
    return actions
