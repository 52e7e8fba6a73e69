"""The rules a report's own fields follow, whichever way the report arrives.

The API (gis_core.services.report_submit) and the file importer (etl.reports) both ask these
pure functions, so the same row gets the same verdict and the same message either way; the
point is checked by common.validation.validate_lon_lat (with its swapped-coordinates hint).
Each rule takes one plain value and returns its problems, so the importer can run it once per
distinct value of a column.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from common.phones import normalize_phone
from common.validation import NUL_MESSAGE
from common.xml_text import xml_illegal_characters

# The widths of the report's contact columns (gis_core.models.Report).
CONTACT_NAME_MAX = 120
CONTACT_PHONE_MAX = 30
CONTACT_EMAIL_MAX = 254

Errors = dict[str, list[str]]


def description_problems(text: str, limit: int) -> list[str]:
    """What is wrong with a description (already stripped), at most `limit` characters."""
    problems = []
    if not text:
        problems.append(_("Trường này là bắt buộc."))
    elif len(text) > limit:
        problems.append(
            _("Nội dung dài %(n)s ký tự, vượt giới hạn %(limit)s ký tự.")
            % {"n": len(text), "limit": limit}
        )
    problems.extend(_control_problems(text))
    return problems


def _control_problems(text: str) -> list[str]:
    """NUL (PostgreSQL cannot store it) and the other characters XML 1.0 cannot carry."""
    if "\x00" in text:
        return [str(NUL_MESSAGE)]
    illegal = xml_illegal_characters(text)
    if illegal:
        return [
            _("Có ký tự điều khiển không được phép trong văn bản: %(chars)s.")
            % {"chars": ", ".join(illegal[:5])}
        ]
    return []


def _text_problems(value: str, limit: int) -> list[str]:
    problems = [_("Tối đa %(n)s ký tự.") % {"n": limit}] if len(value) > limit else []
    problems.extend(_control_problems(value))
    return problems


def contact_name_problems(name: str) -> list[str]:
    return _text_problems(name, CONTACT_NAME_MAX)


def contact_phone_problems(phone: str) -> list[str]:
    """Any phone is taken (a visitor's foreign number too); Vietnamese ones are normalised
    when stored (stored_phone)."""
    return _text_problems(phone, CONTACT_PHONE_MAX)


def contact_email_problems(email: str) -> list[str]:
    """Empty is fine (no e-mail given); otherwise an address that fits the column."""
    if not email:
        return []
    problems = _text_problems(email, CONTACT_EMAIL_MAX)
    if problems:
        return problems
    try:
        validate_email(email)
    except ValidationError:
        return [_("“%(email)s” không phải địa chỉ e-mail.") % {"email": email[:120]}]
    return []


def contact_check(name: str, phone: str, email: str, errors: Errors) -> None:
    """Adds the contact fields' problems to `errors` under contact_name/_phone/_email."""
    for field, problems in (
        ("contact_name", contact_name_problems(name or "")),
        ("contact_phone", contact_phone_problems(phone or "")),
        ("contact_email", contact_email_problems(email or "")),
    ):
        if problems:
            errors.setdefault(field, []).extend(problems)


def stored_phone(phone: str | None) -> str:
    """The contact phone as stored: +84... when it is a Vietnamese number, so that signing in
    with that phone (gis_core.accounts) finds and claims the report; else as given."""
    return normalize_phone(phone) or phone or ""


def unknown_category_message(code: object, valid: Iterable[str]) -> str:
    """The refusal of a category code, listing the valid ones in alphabetical order."""
    return _("Không có lĩnh vực “%(code)s”. Các mã hợp lệ: %(valid)s.") % {
        "code": str(code)[:50],
        "valid": ", ".join(sorted(valid)),
    }
