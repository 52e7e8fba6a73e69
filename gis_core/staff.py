"""Who on the staff may see and do what: the one place every staff endpoint asks.

Roles are Django groups (StaffRole). Operators and administrators work on the whole city;
a ward officer on the reports of their wards; an agency officer on their agency's reports;
the tourism office (tourism) on places and their prices, and reads (never acts on) the
reports of the tourism categories (Category.for_places), which visitors file from a place.
Reporters' contact details are shown to operators, administrators and ward officers only:
agencies reach reporters through the operations centre.
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from gis_core.models import Report, ReportStatus, StaffRole

S = ReportStatus
ROLE_ORDER = (
    StaffRole.ADMINISTRATOR,
    StaffRole.OPERATOR,
    StaffRole.WARD_OFFICER,
    StaffRole.AGENCY_OFFICER,
    StaffRole.TOURISM,
)
CITY_WIDE = (StaffRole.ADMINISTRATOR, StaffRole.OPERATOR)
SEES_CONTACT = (StaffRole.ADMINISTRATOR, StaffRole.OPERATOR, StaffRole.WARD_OFFICER)
# The status changes each role may make (operators and administrators: all of them).
ROLE_TRANSITIONS: dict[str, set[tuple[str, str]]] = {
    StaffRole.WARD_OFFICER: {
        (S.RECEIVED, S.ASSIGNED),  # verify and hand to the routed agency, in one step
        (S.RECEIVED, S.VERIFIED),
        (S.RECEIVED, S.REJECTED),
        (S.VERIFIED, S.REJECTED),
    },
    StaffRole.AGENCY_OFFICER: {(S.ASSIGNED, S.IN_PROGRESS), (S.IN_PROGRESS, S.RESOLVED)},
}


def staff_role(user) -> str | None:
    """The user's strongest staff role, or None for citizens and anonymous visitors."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return StaffRole.ADMINISTRATOR
    cached = getattr(user, "_ht_role", False)
    if cached is not False:
        return cast("str | None", cached)
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in ROLE_ORDER if r in names), None)
    user._ht_role = role
    return role


def reports_for_staff(user) -> QuerySet[Report]:
    """Every report this staff member may see; none for anyone else."""
    role = staff_role(user)
    reports = Report.objects.all()
    if role in CITY_WIDE:
        return reports
    profile = getattr(user, "staff_profile", None)
    if role == StaffRole.WARD_OFFICER and profile is not None:
        return reports.filter(ward_id__in=_ward_ids(user, profile))
    if role == StaffRole.AGENCY_OFFICER and profile is not None and profile.agency_id:
        return reports.filter(agency_id=profile.agency_id)
    if role == StaffRole.TOURISM:
        # Read only: the tourism role has no ROLE_TRANSITIONS, so can_transition is False.
        return reports.filter(category__for_places=True)
    return reports.none()


def _ward_ids(user, profile) -> list[int]:
    """The officer's ward ids as values, read once per request: with a literal list the
    planner knows how many reports a ward holds and reads the queue's newest rows in index
    order; a subquery made it fetch and sort a whole ward (230,667 rows at 10M reports)."""
    cached = getattr(user, "_ht_ward_ids", None)
    if cached is None:
        cached = list(profile.wards.values_list("id", flat=True))
        user._ht_ward_ids = cached
    return cached


def can_see_contact(user) -> bool:
    return staff_role(user) in SEES_CONTACT


def can_transition(user, from_status: str, to_status: str) -> bool:
    role = staff_role(user)
    if role in CITY_WIDE:
        return True
    if role is None:
        return False
    return (from_status, to_status) in ROLE_TRANSITIONS.get(role, set())


# Who follows the visitors' reports about places (ranking, a place's history, its CSV):
# the tourism office, and the operations centre that routes those reports.
FOLLOWS_PLACE_REPORTS = (StaffRole.ADMINISTRATOR, StaffRole.OPERATOR, StaffRole.TOURISM)


def can_follow_place_reports(user) -> bool:
    return staff_role(user) in FOLLOWS_PLACE_REPORTS


def can_route_and_merge(user) -> bool:
    """Re-routing and merging are the operations centre's decisions."""
    return staff_role(user) in CITY_WIDE


# Who types in a report received by phone, in person, by letter, e-mail or Zalo: the
# operations centre anywhere, a ward officer within their wards; an agency gets its reports
# routed to it and enters none.
ENTERS_REPORTS = (StaffRole.ADMINISTRATOR, StaffRole.OPERATOR, StaffRole.WARD_OFFICER)


def can_enter_reports(user) -> bool:
    return staff_role(user) in ENTERS_REPORTS


def entry_ward_ids(user) -> set[int] | None:
    """The wards a report this user enters must lie in; None: anywhere (city-wide roles)."""
    if staff_role(user) in CITY_WIDE:
        return None
    profile = getattr(user, "staff_profile", None)
    return set(profile.wards.values_list("pk", flat=True)) if profile is not None else set()


# Who may change a photo's blur boxes and republish it: every role that works on reports
# (the tourism office reads them only).
REDACTS_PHOTOS = (
    StaffRole.ADMINISTRATOR,
    StaffRole.OPERATOR,
    StaffRole.WARD_OFFICER,
    StaffRole.AGENCY_OFFICER,
)


def can_redact_photos(user) -> bool:
    return staff_role(user) in REDACTS_PHOTOS
