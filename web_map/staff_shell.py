"""What every staff page shares: the access check, the header's role, the map settings and
today's wards (the queue, a report, the planner's map and the league all use them)."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_core.staff import StaffRole, staff_role
from ward_boundaries.models import BoundaryVersion, Ward
from web_map.catalog import catalog_url
from web_map.map_settings import base_map_config


def staff_required(view):
    """Anonymous visitors go to the admin login; signed-in citizens get a 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if staff_role(request.user) is None:
            raise PermissionDenied(_("Chỉ dành cho cán bộ."))
        return view(request, *args, **kwargs)

    return wrapper


def current_wards() -> QuerySet[Ward]:
    """Today's wards by name: the ward choices of the staff filters."""
    versions = BoundaryVersion.objects.valid_on(timezone.localdate())
    return Ward.objects.filter(version__in=versions).order_by("name")


def wards_in_scope(user) -> QuerySet[Ward]:
    """The wards a staff member's queue can hold, by name: a ward officer's own wards (their
    StaffProfile), everyone else today's wards (current_wards)."""
    if staff_role(user) == StaffRole.WARD_OFFICER:
        profile = getattr(user, "staff_profile", None)
        if profile is None:
            return Ward.objects.none()
        return profile.wards.order_by("name")
    return current_wards()


def role_label(user) -> str:
    """The staff role shown in the page header ("" for none)."""
    role = staff_role(user)
    return str(StaffRole(role).label) if role else ""


def page_config(request: HttpRequest) -> dict[str, Any]:
    """The map and CSRF settings every staff page's script reads from its config, and the
    JavaScript catalog of the page's language (the scripts' messages, web_map.catalog)."""
    return {
        "csrfToken": get_token(request),
        "catalogUrl": catalog_url(),
        **base_map_config(),
    }
