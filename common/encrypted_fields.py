"""Model fields whose column holds a Fernet token (common.field_crypto), read back as text.

The ORM sees the plain text: `report.contact_phone` is the number, `contact_phone=""` still
finds reports without one ('' is stored as ''). A token is random, so a column cannot be
compared with a value: such a lookup is an error, except on the phone, whose `exact` lookup
compares the keyed hash beside it (PhoneHashField). Other lookups (`icontains`, ordering
by meaning) are refused rather than silently matching ciphertext.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact

from common.field_crypto import decrypt_text, encrypt_text, phone_hash

_ALLOWED_LOOKUPS = {"exact", "isnull"}


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. `max_length` is kept for forms and validation only."""

    description = "Text encrypted at rest (Fernet)"

    def get_lookup(self, lookup_name: str):
        if lookup_name not in _ALLOWED_LOOKUPS:
            return None  # Django then raises FieldError "Unsupported lookup"
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str):
        return None

    def from_db_value(self, value: Any, expression, connection) -> Any:
        return decrypt_text(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else value


@EncryptedTextField.register_lookup
class EncryptedExact(Exact):
    """Only the empty value can be compared: a token never equals another one."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if self.rhs_is_direct_value() and self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: it can only be compared with ''."
            )
        return super().as_sql(compiler, connection)


class EncryptedPhoneField(EncryptedTextField):
    """An encrypted phone whose `exact` lookup uses the keyed hash in `hash_field`."""

    def __init__(self, *args: Any, hash_field: str, **kwargs: Any):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs


@EncryptedPhoneField.register_lookup
class PhoneExact(Exact):
    """`contact_phone=number` as `contact_phone_hash = phone_hash(number)` (an index scan)."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs_is_direct_value() or self.rhs in ("", None):
            return super().as_sql(compiler, connection)
        if not isinstance(self.lhs, Col):
            raise FieldError(f"{self.lhs} is encrypted: compare the column itself.")
        target = cast(EncryptedPhoneField, self.lhs.target)
        hashed = cast(models.Field, target.model._meta.get_field(target.hash_field))
        lookup: Exact = Exact(hashed.get_col(self.lhs.alias), phone_hash(str(self.rhs)))
        return lookup.as_sql(compiler, connection)


class PhoneHashField(models.CharField):
    """The keyed hash of the phone in `source`, recomputed whenever the row is saved."""

    description = "Keyed hash of a phone number (HMAC-SHA256, hex)"

    def __init__(self, *args: Any, source: str, **kwargs: Any):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add: bool) -> str:
        phone = getattr(model_instance, self.source)
        # No phone given: the column's db_default ('') applies, so its hash is '' too.
        value = phone_hash(phone if isinstance(phone, str) else "")
        setattr(model_instance, self.attname, value)
        return value
