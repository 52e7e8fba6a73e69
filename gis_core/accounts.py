"""Sign-in with a phone number and a one-time code, and claiming one's anonymous reports.

Codes are six digits, expire after LOGIN_CODE_TTL_SECONDS, are single-use and stored only as
a keyed hash. Requests are rate-limited per phone and per address, guesses per code, and a
phone with too many wrong codes in an hour is locked for the rest of that hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.field_crypto import phone_hash
from common.phones import normalize_phone
from common.validation import FieldErrors
from gis_core.models import CitizenPhone, PhoneLoginCode, Report
from gis_core.reporter_messages import login_code_message
from gis_core.sms import send_sms

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class RateLimited(Exception):
    """Too many requests; `retry_after` seconds until the next one can succeed."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _locked_message() -> str:
    return _("Số điện thoại này bị khoá một giờ vì nhập sai mã quá nhiều lần.")


def _hash(phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _phone_or_error(raw: str | None) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise FieldErrors(
            {"phone": [_("Đây không phải số điện thoại Việt Nam (ví dụ 0912 345 678).")]}
        )
    return phone


def _limit(qs, limit: tuple[int, int], now: dt.datetime, what: str) -> None:
    count, window = limit
    recent = qs.filter(created_at__gte=now - dt.timedelta(seconds=window)).order_by("created_at")
    if recent.count() >= count:
        oldest = recent.first().created_at
        retry = int((oldest + dt.timedelta(seconds=window) - now).total_seconds()) + 1
        message = (
            _("Số điện thoại này đã xin quá nhiều mã; hãy thử lại sau %(minutes)s phút.")
            if what == "phone"
            else _("Đã xin quá nhiều mã từ địa chỉ mạng này; hãy thử lại sau %(minutes)s phút.")
        )
        raise RateLimited(message % {"minutes": max(1, round(retry / 60))}, retry)


def _locked_until(key: str, now: dt.datetime) -> dt.datetime | None:
    count, window = settings.LOGIN_FAILURES_LOCKOUT
    since = now - dt.timedelta(seconds=window)
    totals = PhoneLoginCode.objects.filter(phone=key, created_at__gte=since).aggregate(
        attempts=Sum("attempts"), successes=Count("used_at")
    )
    # A successful sign-in used one attempt; only wrong guesses count towards the lock.
    failures = (totals["attempts"] or 0) - totals["successes"]
    return now + dt.timedelta(seconds=window) if failures >= count else None


_HASHED_USERNAME = re.compile(r"[0-9a-f]{64}")


def citizen_username(number: str) -> str:
    """A citizen account's username: the keyed hash of its normalised phone, so that the
    accounts table holds no phone (the phone itself is in CitizenPhone, encrypted)."""
    return phone_hash(number)


def citizen_for_phone(number: str) -> User:
    """The account of a normalised phone, created (with its encrypted phone) on first use."""
    user, _created = get_user_model().objects.get_or_create(username=citizen_username(number))
    CitizenPhone.objects.get_or_create(user=user, defaults={"phone": number})
    return user


def account_phone(user) -> str:
    """A citizen's phone (decrypted); for staff and accounts without one, the username."""
    try:
        return user.citizen_phone.phone
    except CitizenPhone.DoesNotExist:
        return user.get_username()


def account_phone_hash(user) -> str:
    """The keyed hash of a signed-in citizen's phone, without a query ('' if none): the
    username itself, or the hash of a username that is a phone (an account made by hand)."""
    name = user.get_username()
    if _HASHED_USERNAME.fullmatch(name):
        return name
    number = normalize_phone(name)
    return phone_hash(number) if number else ""


@transaction.atomic
def login_code_request(*, phone: str, ip: str | None = None) -> PhoneLoginCode:
    """Creates a code for `phone` and sends it by SMS."""
    number = _phone_or_error(phone)
    key = phone_hash(number)  # the codes table holds no phone, only this
    now = timezone.now()
    if _locked_until(key, now):
        raise RateLimited(_locked_message(), 3600)
    last = PhoneLoginCode.objects.filter(phone=key).order_by("-created_at").first()
    wait = settings.LOGIN_CODE_RESEND_SECONDS
    if last is not None and last.created_at > now - dt.timedelta(seconds=wait):
        retry = int((last.created_at + dt.timedelta(seconds=wait) - now).total_seconds()) + 1
        raise RateLimited(
            _("Mã vừa được gửi; hãy đợi %(seconds)s giây rồi xin mã mới.") % {"seconds": retry},
            retry,
        )
    _limit(PhoneLoginCode.objects.filter(phone=key), settings.LOGIN_CODES_PER_PHONE, now, "phone")
    if ip:
        _limit(PhoneLoginCode.objects.filter(ip=ip), settings.LOGIN_CODES_PER_IP, now, "address")
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneLoginCode.objects.create(
        phone=key,
        code_hash=_hash(number, code),
        ip=ip,
        expires_at=now + dt.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
    )
    send_sms(number, login_code_message(code, minutes=settings.LOGIN_CODE_TTL_SECONDS // 60))
    return record


def login_code_verify(*, phone: str, code: str) -> tuple[User, int]:
    """The user for `phone` if `code` is right; claims the phone's anonymous reports.

    Returns (user, number of reports claimed). Raises FieldErrors on a wrong or expired code
    and RateLimited when the phone is locked.
    """
    number = _phone_or_error(phone)
    key = phone_hash(number)
    now = timezone.now()
    if _locked_until(key, now):
        raise RateLimited(_locked_message(), 3600)
    # The wrong-guess count must be committed even when the answer is "wrong code", so the
    # error is raised after the transaction, not inside it.
    error = None
    with transaction.atomic():
        record = (
            PhoneLoginCode.objects.select_for_update()
            .filter(phone=key, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if record is None or record.attempts >= settings.LOGIN_CODE_MAX_ATTEMPTS:
            raise FieldErrors({"code": [_("Số này không có mã còn hiệu lực: hãy xin mã mới.")]})
        record.attempts += 1
        if hmac.compare_digest(record.code_hash, _hash(number, str(code or "").strip())):
            record.used_at = now
            record.save(update_fields=["attempts", "used_at"])
            user = citizen_for_phone(number)
            # The phone is encrypted at rest: its keyed hash is what can be looked up.
            claimed = Report.objects.filter(
                reporter__isnull=True, contact_phone_hash=phone_hash(number)
            ).update(reporter=user)
        else:
            record.save(update_fields=["attempts"])
            left = settings.LOGIN_CODE_MAX_ATTEMPTS - record.attempts
            error = FieldErrors(
                {
                    "code": [
                        ngettext(
                            "Mã không đúng; còn %(n)s lần thử cho mã này.",
                            "Mã không đúng; còn %(n)s lần thử cho mã này.",
                            left,
                        )
                        % {"n": left}
                    ]
                }
            )
    if error is not None:
        raise error
    return user, claimed
