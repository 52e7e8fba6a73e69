"""Sizes and numbers as people read them, in the active language: "8 MB", never a byte count."""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def human_size(num_bytes: int) -> str:
    """'11,6 MB' in Vietnamese, '11.6 MB' in English (Django's filesizeformat, localized)."""
    return str(filesizeformat(num_bytes)).replace("\xa0", " ")


def grouped(number: int) -> str:
    """'40.000.000' in Vietnamese, '40,000,000' in English."""
    return number_format(number, force_grouping=True)


def lateness(late: dt.timedelta) -> str:
    """How late, in the two largest units a reader needs: "trễ 2 ngày 3 giờ", "trễ 45 phút"
    (calendar time past the due moment; under a minute counts as one)."""
    minutes = max(1, int(late.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    if not days and minutes:
        parts.append(ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes})
    return _("trễ %(duration)s") % {"duration": " ".join(parts)}
