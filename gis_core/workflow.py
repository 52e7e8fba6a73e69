"""The report status workflow: which changes are allowed, and making one safely.

received → assigned | verified | rejected; verified → assigned | rejected; assigned →
in_progress; in_progress → resolved. Verifying is one step when routing finds an agency
(received → assigned: routed and its deadline started in working hours at once); stopping at
verified holds the report with the operations centre. Every change is recorded (who, when,
from, to, notes). The report row is locked for the change, and the caller states the status
it saw (`from_status`): of two staff acting on the same report at once, the second finds the
status moved and is refused, so two transitions can never both win.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_core.models import (
    Agency,
    RatingValue,
    RejectionReason,
    Report,
    ReportRating,
    ReportStatus,
    ReportTransition,
    RoutingChange,
)
from gis_core.notifications import notify_reporter
from gis_core.priority import due_at_for
from gis_core.routing import agency_for, deadline_hours, similar_category_ids
from gis_core.services import answer_photos_save

S = ReportStatus
ALLOWED: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.ASSIGNED, S.VERIFIED, S.REJECTED),
    S.VERIFIED: (S.ASSIGNED, S.REJECTED),
    S.ASSIGNED: (S.IN_PROGRESS,),
    S.IN_PROGRESS: (S.RESOLVED,),
    S.REJECTED: (),
    S.RESOLVED: (),
}


class TransitionError(ValueError):
    """A status change that is refused; the message says why, for the staff member."""


def _label(status: str) -> str:
    return f"{status} ({ReportStatus(status).label})" if status in ReportStatus.values else status


def allowed_next(status: str, report: Report | None = None) -> tuple[str, ...]:
    """The statuses a report may go to next. A resolved report the reporter rated
    "không hài lòng" may be reopened (back to in progress) once, after review."""
    if (
        status == S.RESOLVED
        and report is not None
        and report.needs_review
        and report.reopened_at is None
    ):
        return (S.IN_PROGRESS,)
    return ALLOWED.get(status, ())


@transaction.atomic
def report_transition(
    *,
    report_id: int,
    from_status: str,
    to_status: str,
    actor=None,
    note: str = "",
    public_note: str = "",
    reason: str = "",
    answer: str = "",
    answer_photos: list | None = None,
) -> ReportTransition:
    """Moves a report from `from_status` (what the actor saw) to `to_status`.

    Rejecting needs a `reason` (RejectionReason); resolving needs a public `answer` and may
    carry `answer_photos` (checked ProcessedPhoto, from services.answer_photos_process). Raises
    TransitionError naming the problem; nothing changes then.
    """
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise TransitionError(_("Không tìm thấy phản ánh."))
    if report.status != from_status:
        raise TransitionError(
            _(
                "Phản ánh đang ở trạng thái %(now)s, không phải %(seen)s: có người vừa thay "
                "đổi nó. Hãy tải lại rồi quyết định lại."
            )
            % {"now": _label(report.status), "seen": _label(from_status)}
        )
    if to_status not in allowed_next(from_status, report):
        allowed = ", ".join(_label(s) for s in allowed_next(from_status, report)) or _(
            "không có (trạng thái cuối)"
        )
        raise TransitionError(
            _(
                "Phản ánh không thể chuyển từ %(from)s sang %(to)s. Các bước tiếp theo được "
                "phép: %(allowed)s."
            )
            % {"from": _label(from_status), "to": _label(to_status)[:40], "allowed": allowed}
        )
    fields = ["status", "updated_at"]
    if to_status == S.VERIFIED or (from_status == S.RECEIVED and to_status == S.ASSIGNED):
        # Routing happens on verification; an operator may re-route before assigning.
        report.agency = agency_for(report)
        fields.append("agency")
    if to_status == S.ASSIGNED:
        if report.agency_id is None:
            raise TransitionError(
                _(
                    "Chưa có đơn vị nào xử lý phản ánh này: hãy thêm quy tắc phân công (hoặc "
                    "đơn vị mặc định toàn thành phố) hoặc chuyển nó cho một đơn vị trước."
                )
            )
        _start_deadline(report)
        fields += ["assigned_at", "due_at"]
    if to_status == S.REJECTED:
        if reason not in RejectionReason.values:
            raise TransitionError(
                _("Từ chối cần một lý do, là một trong: %(values)s.")
                % {"values": ", ".join(RejectionReason.values)}
            )
        report.rejection_reason = reason
        fields.append("rejection_reason")
    if to_status == S.RESOLVED:
        text = (answer or "").strip()
        if not text:
            raise TransitionError(_("Hoàn thành xử lý cần câu trả lời công khai cho người gửi."))
        if len(text) > settings.REPORT_DESCRIPTION_MAX_CHARS:
            raise TransitionError(
                _("Câu trả lời có %(n)s ký tự; giới hạn là %(limit)s.")
                % {"n": f"{len(text):,}", "limit": f"{settings.REPORT_DESCRIPTION_MAX_CHARS:,}"}
            )
        report.answer = text
        report.resolved_at = timezone.now()
        fields += ["answer", "resolved_at"]
        if answer_photos:
            answer_photos_save(report, answer_photos)
    if from_status == S.RESOLVED and to_status == S.IN_PROGRESS:
        report.reopened_at = timezone.now()
        report.needs_review = False
        report.resolved_at = None
        fields += ["reopened_at", "needs_review", "resolved_at"]
    report.status = to_status
    report.save(update_fields=fields)
    transition = ReportTransition.objects.create(
        report=report,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
        public_note=public_note,
    )
    # Tell the reporter once the change is committed (never for a change rolled back).
    transaction.on_commit(lambda: notify_reporter(report, transition))
    return transition


def _start_deadline(report: Report) -> None:
    report.assigned_at = timezone.now()
    # Urgent reports: clock hours (gis_core.priority).
    report.due_at = due_at_for(report, report.assigned_at, deadline_hours(report, report.agency))


@transaction.atomic
def report_reroute(*, report_id: int, agency_id: int, actor=None, reason: str) -> Report:
    """Hands a report to another agency, with the reason recorded. An assigned report's
    deadline starts again for the new agency."""
    if not (reason or "").strip():
        raise TransitionError(_("Chuyển đơn vị xử lý cần ghi lý do."))
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise TransitionError(_("Không tìm thấy phản ánh."))
    if report.status not in (S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS):
        raise TransitionError(
            _(
                "Phản ánh ở trạng thái %(status)s không chuyển đơn vị được: hãy xác minh trước, "
                "hoặc phản ánh đã đóng."
            )
            % {"status": _label(report.status)}
        )
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
    if agency is None:
        raise TransitionError(_("Không có đơn vị xử lý đang hoạt động với mã này."))
    if agency.pk == report.agency_id:
        raise TransitionError(_("Phản ánh đã ở đơn vị %(agency)s.") % {"agency": agency.name})
    RoutingChange.objects.create(
        report=report, from_agency=report.agency, to_agency=agency, actor=actor, reason=reason
    )
    report.agency = agency
    fields = ["agency", "updated_at"]
    if report.status in (S.ASSIGNED, S.IN_PROGRESS):
        _start_deadline(report)
        fields += ["assigned_at", "due_at"]
    report.save(update_fields=fields)
    return report


@transaction.atomic
def report_merge(*, duplicate_id: int, survivor_id: int, actor=None, note: str = "") -> Report:
    """Merges a duplicate into the report that survives: the duplicate is rejected as
    `duplicate`, points at the survivor, and its public page follows the survivor's answer.
    """
    if duplicate_id == survivor_id:
        raise TransitionError(_("Không thể gộp một phản ánh vào chính nó."))
    # Lock both rows in id order, so two merges of the same pair cannot deadlock.
    locked = {
        r.pk: r
        for r in Report.objects.select_for_update()
        .filter(pk__in=[duplicate_id, survivor_id])
        .order_by("pk")
    }
    duplicate, survivor = locked.get(duplicate_id), locked.get(survivor_id)
    if duplicate is None or survivor is None:
        raise TransitionError(_("Không tìm thấy phản ánh."))
    if survivor.merged_into_id is not None or survivor.status == S.REJECTED:
        raise TransitionError(
            _(
                "Phản ánh được giữ lại đã bị từ chối hoặc đã gộp; hãy gộp vào phản ánh mà nó "
                "trỏ tới."
            )
        )
    if duplicate.category_id != survivor.category_id and survivor.category_id not in (
        similar_category_ids(duplicate.category)
    ):
        # A similar category (the same agency's, gis_core.duplicate_score) may be merged too:
        # the duplicate is rejected and follows the survivor, whose category stands.
        raise TransitionError(
            _("Chỉ gộp được các phản ánh cùng lĩnh vực hoặc lĩnh vực gần (cùng đơn vị xử lý).")
        )
    if S.REJECTED not in allowed_next(duplicate.status):
        raise TransitionError(
            _("Phản ánh ở trạng thái %(status)s không còn gộp được.")
            % {"status": _label(duplicate.status)}
        )
    report_transition(
        report_id=duplicate.pk,
        from_status=duplicate.status,
        to_status=S.REJECTED,
        actor=actor,
        note=note,
        public_note=f"Trùng với phản ánh {survivor.public_id}",
        reason=RejectionReason.DUPLICATE,
    )
    Report.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    duplicate.refresh_from_db()
    return duplicate


@transaction.atomic
def report_rate(*, report_id: int, user, value: str, comment: str = "") -> ReportRating:
    """The reporter rates a resolved report, once. "Không hài lòng" asks the operations centre
    to review it (needs_review), and it may then be reopened once."""
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise TransitionError(_("Không tìm thấy phản ánh."))
    if user is None or not user.is_authenticated or report.reporter_id != user.pk:
        raise PermissionError(_("Chỉ người gửi phản ánh mới được đánh giá."))
    if report.status != S.RESOLVED:
        raise TransitionError(
            _("Chỉ đánh giá được phản ánh đã xử lý; phản ánh này đang ở trạng thái %(status)s.")
            % {"status": report.get_status_display()}
        )
    if value not in RatingValue.values:
        raise TransitionError(
            _("Đánh giá là một trong: %(values)s.")
            % {"values": ", ".join(str(label) for label in RatingValue.labels)}
        )
    if ReportRating.objects.filter(report=report).exists():
        raise TransitionError(_("Phản ánh này đã được đánh giá."))
    rating = ReportRating.objects.create(
        report=report, value=value, comment=comment[:2000], rater=user
    )
    if value == RatingValue.DISSATISFIED and report.reopened_at is None:
        report.needs_review = True
        report.save(update_fields=["needs_review", "updated_at"])
    return rating
