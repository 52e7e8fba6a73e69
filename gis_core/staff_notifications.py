"""A digest e-mail to each staff member: new reports in their queue since the last one,
and their queue's overdue reports, and what other apps register (gis_core.digest_sections:
the forecast alerts of layers). Run by cron (`notify_staff`), e.g. every hour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gis_core.digest_sections import digest_lines
from gis_core.models import StaffDigestSent
from gis_core.selectors import reports_overdue
from gis_core.staff import reports_for_staff, staff_role


@dataclass
class DigestTally:
    sent: int = 0
    nothing_new: int = 0
    no_address: int = 0


def notify_staff(*, dry_run: bool = False) -> DigestTally:
    """One e-mail per staff member who has news; the first run covers the last day."""
    now = timezone.now()
    tally = DigestTally()
    users = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
    for user in users.prefetch_related("groups").select_related("digest"):
        if staff_role(user) is None:
            continue
        if not user.email:
            tally.no_address += 1
            continue
        digest = getattr(user, "digest", None)
        since = digest.last_sent_at if digest else now - dt.timedelta(days=1)
        queue = reports_for_staff(user)
        new = queue.filter(created_at__gt=since, created_at__lte=now).count()
        overdue = reports_overdue(queue, now).count()
        with translation.override(settings.LANGUAGE_CODE):
            extra = digest_lines(user, since, now)
        if not new and not overdue and not extra:
            tally.nothing_new += 1
            continue
        tally.sent += 1
        if dry_run:
            continue
        with transaction.atomic():
            StaffDigestSent.objects.update_or_create(user=user, defaults={"last_sent_at": now})
            subject, text = _digest(new=new, overdue=overdue, extra=extra)
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    return tally


def _digest(*, new: int, overdue: int, extra: list[str] | None = None) -> tuple[str, str]:
    """(subject, text) of the digest, in the city's language (staff work in Vietnamese)."""
    values = {"new": new, "overdue": overdue}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Hiện Trường: %(new)s phản ánh mới, %(overdue)s quá hạn") % values
        text = (
            _("%(new)s phản ánh mới trong hàng đợi của bạn; %(overdue)s phản ánh quá hạn xử lý.")
            % values
        )
        link = _("Xem: %(url)s") % {"url": "/can-bo/"}
    return subject, "\n".join([text, link, *(["", *extra] if extra else [])])
