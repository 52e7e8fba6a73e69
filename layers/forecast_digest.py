"""The forecast alerts' section of the staff digest (registered in gis_core.digest_sections
by layers.apps): each alert once, in the first digest after compute_forecasts recorded it.

The operations centre (operators, administrators) hears of every alert; a ward officer of
those in their own wards; other roles of none (their queue is an agency's or the places').
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gis_core.models import StaffRole
from gis_core.staff import CITY_WIDE, staff_role
from layers.forecast_read import recent_alerts


def forecast_digest_lines(user, since: dt.datetime, now: dt.datetime) -> list[str]:
    role = staff_role(user)
    if role in CITY_WIDE:
        wards = None
    elif role == StaffRole.WARD_OFFICER:
        profile = getattr(user, "staff_profile", None)
        wards = set(profile.wards.values_list("code", flat=True)) if profile else set()
        if not wards:
            return []
    else:
        return []
    alerts = recent_alerts(since=since, ward_codes=wards)
    if not alerts:
        return []
    lines = [_("Tăng bất thường so với dự báo (tuần qua):")]
    template = _(
        "%(ward)s · %(category)s: %(count)s phản ánh tuần từ %(week)s, "
        "dự báo %(expected)s (cao nhất %(upper)s)"
    )
    for a in alerts:
        values = {
            "ward": a.ward_name,
            "category": a.category_name,
            "count": a.count,
            "week": a.week_start.strftime("%d/%m/%Y"),
            "expected": f"{a.expected:.1f}",
            "upper": f"{a.upper:g}",
        }
        lines.append("- " + template % values)
    lines.append(_("Xem dự báo: %(url)s") % {"url": "/quy-hoach/"})
    return lines
