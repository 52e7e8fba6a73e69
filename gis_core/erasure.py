"""A citizen's right to erasure (Law 91/2025/QH15; Decree 356/2025: an answer within 2
working days): the request, logged with its deadline, and carrying it out.

Carrying it out blanks the contact data of every report the account sent (and of unlinked
reports that still hold its phone), unlinks its reports and ratings, deletes its sign-in
codes and retires the account: its name (the phone) is replaced and it can no longer sign
in. The reports stay, anonymised, as the retention rule leaves them (gis_core.retention).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from common.field_crypto import phone_hash
from common.phones import normalize_phone
from gis_core.accounts import account_phone
from gis_core.models import CitizenPhone, ErasureRequest, PhoneLoginCode, Report, ReportRating
from gis_core.retention import reports_blank_contact
from gis_core.staff import staff_role
from gis_core.working_time import add_working_days


def erasure_open(account) -> ErasureRequest | None:
    """The account's request still to be carried out, if any."""
    return ErasureRequest.objects.filter(account=account, done_at__isnull=True).first()


def erasure_request(*, account) -> tuple[ErasureRequest, bool]:
    """Logs the account's request, due ERASURE_WORKING_DAYS working days from now; asking
    again while one is open returns that one. Returns (request, created)."""
    existing = erasure_open(account)
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            created = ErasureRequest.objects.create(
                account=account,
                requested_at=now,
                deadline=add_working_days(now, settings.ERASURE_WORKING_DAYS),
            )
    except IntegrityError:  # a second click raced the first: one open request per account
        return ErasureRequest.objects.get(account=account, done_at__isnull=True), False
    return created, True


def _is_staff(account) -> bool:
    return account.is_staff or account.is_superuser or staff_role(account) is not None


@dataclass(frozen=True)
class ErasureDone:
    reports: int
    account_retired: bool


@transaction.atomic
def erasure_carry_out(request: ErasureRequest, *, by=None) -> ErasureDone:
    """Erases the contact data of the request's account; marks the request done. A staff
    account keeps its sign-in (its work is recorded under it): only its reports are blanked."""
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    account = request.account
    reports = 0
    retired = False
    if request.done_at is None and account is not None:
        phone = normalize_phone(account_phone(account))
        mine = Q(reporter=account)
        if phone:
            # Sent while signed out with the account's phone: the same person's contact.
            mine |= Q(reporter__isnull=True, contact_phone=phone)
        reports = reports_blank_contact(Report.objects.filter(mine))
        ReportRating.objects.filter(rater=account).update(rater=None)
        if phone:
            PhoneLoginCode.objects.filter(phone=phone_hash(phone)).delete()
        if not _is_staff(account):
            CitizenPhone.objects.filter(user=account).delete()
            account.username = f"erased-{account.pk}"
            account.first_name = account.last_name = account.email = ""
            account.is_active = False
            account.set_unusable_password()
            account.save()
            retired = True
    if request.done_at is None:
        request.done_at = timezone.now()
        request.done_by = by
        request.reports_anonymised = reports
        request.save(update_fields=["done_at", "done_by", "reports_anonymised"])
    return ErasureDone(reports=reports, account_retired=retired)


def erasures_pending():
    """The open requests, earliest deadline first."""
    return (
        ErasureRequest.objects.filter(done_at__isnull=True)
        .select_related("account")
        .order_by("deadline", "id")
    )
