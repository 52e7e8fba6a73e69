"""Who may edit places, prices and photos: the one question the office's page and API ask.

The tourism office (StaffRole.TOURISM) and administrators; the operations centre, ward and
agency officers work on reports and may not change the places a visitor reads.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gis_core.staff import StaffRole, staff_role

PLACE_EDITORS = (StaffRole.TOURISM, StaffRole.ADMINISTRATOR)


def can_edit_places(user) -> bool:
    """Whether `user` may add, edit and delete places, prices and photos."""
    return staff_role(user) in PLACE_EDITORS


def refusal_message(user) -> str:
    """The 403's words: sign in as staff, or this is the tourism office's work."""
    if staff_role(user) is None:
        return _("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ.")
    return _("Chỉ cán bộ du lịch và quản trị được sửa địa điểm, giá và ảnh.")


def with_verifier(values: dict[str, Any], user) -> dict[str, Any]:
    """`values` with the office that checked the place: a verification date sent by the page
    ("Đã kiểm tra hôm nay") is signed with the editor's agency (StaffProfile.agency), never
    with one the body names; a cleared date clears the office too."""
    if "verified_at" not in values:
        return values
    profile = getattr(user, "staff_profile", None)
    agency = getattr(profile, "agency", None) if values["verified_at"] is not None else None
    return {**values, "verified_by": agency}
