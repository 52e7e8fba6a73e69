"""Failed password sign-ins limited per address and account (the admin and staff sign-in).

A password check is PBKDF2 (about 0.7 s of CPU), and Django hashes a dummy password for an
unknown name too, so every attempt costs that. Failures are charged to GCRA buckets (the
table of gis_core.ratelimit): the address and name together, the name alone, the address
alone (a spray of names). Once one is full the form refuses with a read-only look at the
buckets, before authenticate() runs: a locked-out attempt checks no password at all, even the
right one. A success forgets the failures of that address and name.
"""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext as _

from gis_core.ratelimit import bucket_key, buckets_wait, charge_buckets, client_ip, forget_buckets


def signin_buckets(request, username: str) -> dict[str, tuple[str, int, int]]:
    """kind -> (key, count, seconds) of each limit that applies; keys are keyed hashes,
    never the name or address."""
    name = (username or "").strip().lower()
    ip = client_ip(request) if request is not None else None
    limits = [
        ("signin-ip-user", f"{ip}|{name}" if ip and name else None, "SIGNIN_LIMIT_PER_IP_USER"),
        ("signin-user", name or None, "SIGNIN_LIMIT_PER_USER"),
        ("signin-ip", ip, "SIGNIN_LIMIT_PER_IP"),
    ]
    out = {}
    for kind, value, setting in limits:
        rate = getattr(settings, setting)
        if value and rate is not None:
            out[kind] = (bucket_key(kind, value), *rate)
    return out


def locked_message(wait: float) -> str:
    return _("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %(minutes)s phút.") % {
        "minutes": max(1, math.ceil(wait / 60))
    }


class ThrottledAuthenticationForm(AdminAuthenticationForm):
    """The admin sign-in form (also the staff pages' sign-in), refusing while locked out."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        buckets = signin_buckets(self.request, username)
        wait = buckets_wait(list(buckets.values()))
        if wait > 0:
            raise forms.ValidationError(locked_message(wait), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            # Charged whatever the reason (wrong password, unknown name, inactive account):
            # each cost a password hash.
            charge_buckets(list(buckets.values()))
            raise
        if "signin-ip-user" in buckets:
            forget_buckets([buckets["signin-ip-user"][0]])
        return cleaned
