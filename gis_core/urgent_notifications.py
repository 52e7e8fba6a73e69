"""The immediate notice of an urgent report: an e-mail to the agency that handles it (its
public address and its officers) and to the officers of the report's ward.

Run by the task queue (gis_core.tasks.notify_urgent), which a database trigger defers when a
report becomes urgent and open (gis_core 0029). A report not yet routed goes to the agency
routing would pick. Staff read the description (they may); the reporter's contact is not in
the message, as in every staff e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gis_core.models import Report, StaffRole
from gis_core.routing import agency_for

DESCRIPTION_CHARS = 300


def urgent_recipients(report: Report) -> list[str]:
    """The addresses to tell, sorted, each once: the agency's and its officers', the ward's
    officers'."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    addresses: set[str] = set()
    agency = report.agency or agency_for(report)
    if agency is not None:
        if agency.contact_email:
            addresses.add(agency.contact_email)
        officers = users.filter(groups__name=StaffRole.AGENCY_OFFICER, staff_profile__agency=agency)
        addresses.update(officers.values_list("email", flat=True))
    if report.ward_id is not None:
        ward_officers = users.filter(
            groups__name=StaffRole.WARD_OFFICER, staff_profile__wards=report.ward_id
        )
        addresses.update(ward_officers.values_list("email", flat=True))
    return sorted(addresses)


def urgent_message(report: Report) -> tuple[str, str]:
    """(subject, text) in Vietnamese, the staff's language."""
    with translation.override(settings.LANGUAGE_CODE):
        place = report.ward.name if report.ward else _("ngoài ranh giới phường/xã")
        subject = _("Hiện Trường: phản ánh KHẨN %(reference)s (%(category)s)") % {
            "reference": report.reference,
            "category": report.category.name_vi,
        }
        link = settings.PUBLIC_BASE_URL + reverse("web_map:staff-report", args=[report.public_id])
        text = _(
            "Phản ánh khẩn %(reference)s, %(category)s, tại %(place)s.\n%(description)s\n"
            "Xử lý ngay: %(link)s"
        ) % {
            "reference": report.reference,
            "category": report.category.name_vi,
            "place": place,
            "description": report.description[:DESCRIPTION_CHARS],
            "link": link,
        }
    return subject, text


def notify_urgent(report_id: int) -> int:
    """Sends the notice of report `report_id` if it is still urgent and open; returns how
    many addresses it went to. Raises when sending fails, so the task queue retries."""
    report = (
        Report.objects.select_related("category", "ward", "agency")
        .filter(pk=report_id, urgent_open=True)
        .first()
    )
    if report is None:
        return 0
    recipients = urgent_recipients(report)
    subject, text = urgent_message(report)
    for address in recipients:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    return len(recipients)
