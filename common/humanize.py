"""Sizes and numbers as people read them, in the active language: "8 MB", never a byte count."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format


def human_size(num_bytes: int) -> str:
    """'11,6 MB' in Vietnamese, '11.6 MB' in English (Django's filesizeformat, localized)."""
    return str(filesizeformat(num_bytes)).replace("\xa0", " ")


def grouped(number: int) -> str:
    """'40.000.000' in Vietnamese, '40,000,000' in English."""
    return number_format(number, force_grouping=True)
