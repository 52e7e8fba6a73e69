"""The privacy notice shown beside the contact fields, and the consent a report records.

The text says what contact data is for, how long it is kept and what the sender can ask
for (Law 91/2025/QH15, Decree 356/2025/NĐ-CP). A sender who gives contact data must have
been shown it: web and app clients send the version they showed (`consent_notice_version`);
Open311 has no such field, so its reports record the version current when they came.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CONSENT_FIELD = "consent_notice_version"

DEFAULT_TEXT = gettext_lazy(
    "Số điện thoại, họ tên và e-mail bạn để lại chỉ dùng để cán bộ liên hệ khi cần xác minh, "
    "báo cho bạn kết quả xử lý phản ánh và để bạn đăng nhập theo dõi phản ánh của mình; "
    "chúng không được công khai. Mỗi lần cán bộ xem thông tin liên hệ đều được ghi lại. "
    "Thông tin liên hệ được xoá %(months)s tháng sau khi phản ánh xử lý xong. Tại trang "
    "“Phản ánh của tôi” bạn có thể tải về dữ liệu của mình hoặc yêu cầu xoá (thực hiện trong "
    "%(days)s ngày làm việc). Thông tin liên hệ chỉ được nhận khi bạn đồng ý với thông báo này."
)


@dataclass(frozen=True)
class PrivacyNotice:
    version: str
    text: str
    accepted_versions: tuple[str, ...]


def current_notice() -> PrivacyNotice:
    """The notice in the active language, with the versions a client may still send."""
    # An operator's own text is used as written (it may hold a literal "%").
    text = settings.PRIVACY_NOTICE_TEXT or str(DEFAULT_TEXT) % {
        "months": settings.RETENTION_MONTHS,
        "days": settings.ERASURE_WORKING_DAYS,
    }
    version = settings.PRIVACY_NOTICE_VERSION
    accepted = (version, *(v for v in settings.PRIVACY_NOTICE_ACCEPTED_VERSIONS if v != version))
    return PrivacyNotice(version=version, text=text, accepted_versions=accepted)


def notice_data() -> dict:
    """The notice as API clients and the map page read it."""
    notice = current_notice()
    return {
        "version": notice.version,
        "text": notice.text,
        "accepted_versions": list(notice.accepted_versions),
        "field": CONSENT_FIELD,
    }


def has_contact(name: str, phone: str, email: str) -> bool:
    return bool((name or "").strip() or (phone or "").strip() or (email or "").strip())


def consent_version_check(version: object, errors: dict[str, list[str]]) -> str | None:
    """The notice version a sender of contact data agreed to, or None with the reason in
    `errors` (under `consent_notice_version`; the client's value is never echoed)."""
    value = version.strip() if isinstance(version, str) else ""
    notice = current_notice()
    if not value:
        errors.setdefault(CONSENT_FIELD, []).append(
            _(
                "Khi để lại thông tin liên hệ, cần đồng ý với thông báo về dữ liệu cá nhân: "
                "gửi phiên bản thông báo đã hiển thị (hiện hành: %(version)s)."
            )
            % {"version": notice.version}
        )
        return None
    if value not in notice.accepted_versions:
        errors.setdefault(CONSENT_FIELD, []).append(
            _(
                "Phiên bản thông báo này không còn hiệu lực; hãy hiển thị bản hiện hành "
                "(%(version)s)."
            )
            % {"version": notice.version}
        )
        return None
    return value
