"""One rate limit for the heavy read endpoints (exports, big list pages, Open311 lists,
hotspots), per client address, through the same GCRA buckets as submissions.

Each kind of read has its own bucket and setting (config/settings/abuse.py), so a script
hammering exports does not use up a map user's list pages. Signed-in staff are charged to a
bucket of their own account instead of the address (planners sit behind one city NAT), with
its own, higher, limit. A request refused for bad input costs nothing: views charge after
parsing, just before the expensive part.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import get_user
from django.utils.translation import gettext as _

from gis_core.accounts import RateLimited
from gis_core.ratelimit import bucket_key, charge_buckets, client_ip
from gis_core.staff import staff_role

# kind -> the setting holding its per-address (count, seconds), or None for no limit.
READ_LIMIT_SETTINGS = {
    "export": "READ_LIMIT_EXPORT",
    "list": "READ_LIMIT_LIST",
    "hotspots": "READ_LIMIT_HOTSPOTS",
}


def staff_user(request):
    """The signed-in staff member (a staff role, or admin access) making the request, or
    None. Read from the session itself: DRF's public views skip authentication and set
    request.user to anonymous. Without a session cookie this is no query; the answer is kept
    on the request."""
    django_request = getattr(request, "_request", request)
    if not hasattr(django_request, "_ht_staff_user"):
        user = get_user(django_request) if hasattr(django_request, "session") else None
        is_staff = user is not None and (
            (user.is_authenticated and user.is_staff) or staff_role(user) is not None
        )
        django_request._ht_staff_user = user if is_staff else None
    return django_request._ht_staff_user


def is_staff_request(request) -> bool:
    return staff_user(request) is not None


def check_read_limit(request, kind: str) -> None:
    """Charges one heavy read of `kind`; raises RateLimited (Vietnamese message, seconds to
    wait) when the address, or the staff account, has used its share."""
    staff = staff_user(request)
    if staff is not None:
        rate = settings.READ_LIMIT_STAFF
        who = f"staff:{staff.pk}"
    else:
        rate = getattr(settings, READ_LIMIT_SETTINGS[kind])
        who = client_ip(request) or ""
    if rate is None or not who:
        return
    count, seconds = rate
    wait = charge_buckets([(bucket_key(f"read-{kind}", who), count, seconds)])
    if wait <= 0:
        return
    retry_after = max(1, math.ceil(wait))
    raise RateLimited(
        _(
            "Quá nhiều yêu cầu tải dữ liệu lớn: tối đa %(count)s lần trong "
            "%(minutes)s phút. Hãy thử lại sau %(wait)s giây."
        )
        % {"count": count, "minutes": max(1, math.ceil(seconds / 60)), "wait": retry_after},
        retry_after,
    )
