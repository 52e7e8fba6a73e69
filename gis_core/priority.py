"""Urgent first: who may change a report's priority, the urgent deadline, the queue order.

A report starts with its category's default priority (a database trigger, gis_core 0029, so
every insert path agrees); operators, administrators and ward officers may change it while
the report is open, with the change recorded (PriorityChange). An urgent report is due
`Category.urgent_deadline_hours` clock hours after it is assigned, not working hours: a
live wire at 20:00 on a Saturday cannot wait for Monday. Becoming urgent queues an
immediate notification (gis_core.urgent_notifications) in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_core.models import CLOSED_STATUSES, PriorityChange, Report, ReportPriority, StaffRole
from gis_core.routing import deadline_hours
from gis_core.staff import reports_for_staff, staff_role
from gis_core.working_time import add_working_hours

# Every staff queue (API and page): open urgent reports first, then the newest.
QUEUE_ORDER = ("-urgent_open", "-reported_at", "-id")
NEWEST_FIRST = ("-reported_at", "-id")
SETS_PRIORITY = (StaffRole.ADMINISTRATOR, StaffRole.OPERATOR, StaffRole.WARD_OFFICER)
REASON_MAX_CHARS = 2000


class PriorityError(ValueError):
    """A priority change that is refused; the message says why, for the staff member."""


def can_set_priority(user) -> bool:
    """The operations centre and ward officers decide urgency; agencies act on it."""
    return staff_role(user) in SETS_PRIORITY


def due_at_for(report: Report, start: dt.datetime, working_hours: float) -> dt.datetime:
    """When a report assigned at `start` is due: urgent in clock hours, else in working hours."""
    if report.priority == ReportPriority.URGENT:
        return start + dt.timedelta(hours=report.category.urgent_deadline_hours)
    return add_working_hours(start, working_hours)


def queue_order(status: str | None) -> tuple[str, ...]:
    """QUEUE_ORDER; for a queue of closed reports only, where no report is urgent and open,
    the same order without the key, so the planner need not walk the urgent reports first."""
    return NEWEST_FIRST if status in CLOSED_STATUSES else QUEUE_ORDER


def reports_urgent_open(queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The urgent reports not yet resolved or rejected, newest first (the board's count and
    list; served by report_queue_order_idx)."""
    qs = Report.objects.all() if queryset is None else queryset
    return qs.filter(urgent_open=True).order_by("-reported_at", "-id")


@transaction.atomic
def report_set_priority(
    *, report_id: int, priority: str, actor=None, reason: str = ""
) -> PriorityChange:
    """Sets the priority of an open report in `actor`'s scope, recorded with the reason.

    A running deadline follows: made urgent, it is due within the urgent hours from now (never
    later than it was); made normal, it is due as a normal report assigned when this one was.
    """
    if priority not in ReportPriority.values:
        raise PriorityError(
            _("Mức độ là một trong: %(values)s.") % {"values": ", ".join(ReportPriority.values)}
        )
    scope = reports_for_staff(actor) if actor is not None else Report.objects.all()
    report = scope.select_for_update(of=("self",)).filter(pk=report_id).first()
    if report is None:
        raise PriorityError(_("Không tìm thấy phản ánh."))
    if report.status in CLOSED_STATUSES:
        raise PriorityError(_("Phản ánh đã đóng: không đổi được mức độ."))
    if report.priority == priority:
        raise PriorityError(
            _("Phản ánh đã ở mức %(label)s.") % {"label": ReportPriority(priority).label}
        )
    change = PriorityChange.objects.create(
        report=report,
        from_priority=report.priority,
        to_priority=priority,
        actor=actor,
        reason=reason.strip()[:REASON_MAX_CHARS],
    )
    report.priority = priority
    fields = ["priority", "updated_at"]
    if report.assigned_at is not None and report.due_at is not None:
        report.due_at = _due_after_change(report, report.assigned_at, report.due_at)
        fields.append("due_at")
    report.save(update_fields=fields)
    return change


def _due_after_change(report: Report, assigned_at: dt.datetime, due_at: dt.datetime) -> dt.datetime:
    if report.priority == ReportPriority.URGENT:
        urgent = timezone.now() + dt.timedelta(hours=report.category.urgent_deadline_hours)
        return min(due_at, urgent)
    return add_working_hours(assigned_at, deadline_hours(report, report.agency))
