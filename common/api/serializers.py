"""The base of every API input serializer: strict fields only (common.api.fields).

A model serializer built on StrictModelSerializer gets the strict fields for its model's
columns without naming them; tests/security/test_strict_types.py walks every serializer the
URLconf's views use and fails on a plain DRF CharField, FloatField, IntegerField,
BooleanField, UUIDField or PrimaryKeyRelatedField, so a new endpoint cannot forget.
"""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers

from common.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    StrictUUIDField,
)
from common.validation import FieldErrors

# DRF field class -> its strict replacement (what the walking test checks against).
STRICT_REPLACEMENTS: dict[type, type] = {
    serializers.CharField: StrictCharField,
    serializers.FloatField: StrictFloatField,
    serializers.IntegerField: StrictIntegerField,
    serializers.BooleanField: StrictBooleanField,
    serializers.UUIDField: StrictUUIDField,
    serializers.PrimaryKeyRelatedField: StrictPrimaryKeyRelatedField,
}


class StrictSerializer(serializers.Serializer):
    """Declare fields with common.api.fields; read input with `strict_data`."""

    def get_fields(self) -> dict[str, serializers.Field]:
        """Each instance binds its own field objects, as DRF's deep copy gives it, but a flat
        field needs only a shallow copy: its arguments and validators are never changed after
        it is declared. Deep-copying a report's dozen fields cost about 1 ms per request.
        A list's child is copied and bound to the copy; a nested serializer is deep-copied."""
        return {name: _field_copy(field) for name, field in self._declared_fields.items()}


def _field_copy(field: serializers.Field) -> serializers.Field:
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    copied = copy.copy(field)
    child = getattr(field, "child", None)
    if child is not None:
        # The declared child is already bound to the declared list: unbind its copy first.
        child_copy = _field_copy(child)
        child_copy.source = child._kwargs.get("source")
        child_copy.bind(field_name="", parent=copied)  # type: ignore[arg-type]  # as ListField does
        copied.child = child_copy  # type: ignore[attr-defined]
    return copied


def _strict_mapping() -> dict[type, type]:
    mapping = dict(serializers.ModelSerializer.serializer_field_mapping)
    for model_field, drf_field in mapping.items():
        for plain, strict in STRICT_REPLACEMENTS.items():
            if drf_field is plain:
                mapping[model_field] = strict
    return mapping


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = _strict_mapping()
    serializer_related_field = StrictPrimaryKeyRelatedField


def _messages(detail: Any) -> list[str]:
    """A field's errors as flat text (a list field's are per item: {0: [...]})."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def strict_data(
    serializer_class: type[serializers.Serializer], data: Any, *, partial: bool = False
) -> dict[str, Any]:
    """The validated fields of `data`; FieldErrors (the API's 400) naming each bad field.
    With `partial`, absent required fields are left to the service (and its messages)."""
    serializer = serializer_class(data=data, partial=partial)
    if not serializer.is_valid():
        raise FieldErrors({str(k): _messages(v) for k, v in serializer.errors.items()})
    return dict(serializer.validated_data)
