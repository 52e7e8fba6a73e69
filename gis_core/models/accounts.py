"""People: citizens' login codes, staff roles and scopes, rate-limit counters."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from common.encrypted_fields import EncryptedTextField
from gis_core.models.catalogue import Agency


class PhoneLoginCode(models.Model):
    """A one-time login code sent by SMS; only its keyed hash is stored, and the phone only
    as its keyed hash (common.field_crypto.phone_hash), which is all the limits compare."""

    phone = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "created_at"], name="login_code_ip_idx")]


class CitizenPhone(models.Model):
    """A citizen account's phone, encrypted at rest. The account's username is the phone's
    keyed hash (gis_core.accounts.citizen_username), so auth_user holds no phone either."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="citizen_phone",
    )
    phone = EncryptedTextField(max_length=16)


class StaffRole(models.TextChoices):
    OPERATOR = "operator", _("Trung tâm điều hành")
    WARD_OFFICER = "ward_officer", _("Cán bộ phường/xã")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ đơn vị xử lý")
    ADMINISTRATOR = "administrator", _("Quản trị")
    # The tourism office: keeps places, listed prices and photos (layers.places); no reports.
    TOURISM = "tourism", _("Cán bộ du lịch")


class StaffProfile(models.Model):
    """Where a staff member's role applies: a ward officer's wards, an agency officer's agency.

    The role itself is a Django group of the same name (StaffRole), so permissions can be
    managed in the admin like any other.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    wards = models.ManyToManyField("ward_boundaries.Ward", blank=True, related_name="officers")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )

    def __str__(self) -> str:
        return str(self.user)


class RateLimitBucket(models.Model):
    """One rate-limit counter (GCRA): `tat` is the theoretical arrival time of the next
    request. Shared by every worker process because it lives in the database; the key is a
    keyed hash, so the table holds no phone number or address. See gis_core.ratelimit."""

    key = models.CharField(max_length=40, primary_key=True)
    tat = models.DateTimeField()
