"""DRF fields that take only their own type, by the rules of common.strict_types.

DRF's own fields convert too eagerly for input from strangers: CharField stores 12 or
True as "12"/"True", FloatField and IntegerField read "107_9979" and Arabic-Indic digits
through float() and int(), IntegerField takes true as 1, UUIDField takes an integer. These
refuse all of that with a message naming the type (never the value). A form-encoded field sent twice
(`description=a&description=b`) is refused too: it is the form's way of sending an array.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, ClassVar, NoReturn

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html
from rest_framework.utils.formatting import lazy_format

from common.strict_types import (
    NOT_BOOLEAN,
    NOT_DECIMAL,
    NOT_INTEGER,
    NOT_TEXT,
    TypeProblem,
    parse_bool,
    parse_decimal,
    parse_int,
    require_string,
)

REQUIRED = _("Trường này là bắt buộc.")
NOT_NULL = _("Không được để trống (null).")
NOT_UUID = _("Phải là một mã UUID (chuỗi 32 chữ số hex, có thể có dấu gạch ngang).")
NO_SUCH_OBJECT = _("Không tìm thấy đối tượng với mã này.")
# DRF fills these with str.format, so the placeholders are {name}, not %(name)s.
TOO_LONG = _("Tối đa {max_length} ký tự.")
TOO_SHORT = _("Cần ít nhất {min_length} ký tự.")
TOO_BIG = _("Không được lớn hơn {max_value}.")
TOO_SMALL = _("Không được nhỏ hơn {min_value}.")
NUMBER_TOO_LONG = _("Số quá dài.")
NUMBER_TOO_LARGE = _("Số quá lớn.")
UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


class _Repeated(list):
    """A form field given more than once: never valid for a single value."""


BASE_MESSAGES: dict[str, Any] = {"required": REQUIRED, "null": NOT_NULL}
# Every message DRF's number fields can give, in the source language (DRF's own Vietnamese
# catalogue has only a few of them: an English sentence would reach a Vietnamese page).
NUMBER_MESSAGES: dict[str, Any] = {
    **BASE_MESSAGES,
    "max_value": TOO_BIG,
    "min_value": TOO_SMALL,
    "max_string_length": NUMBER_TOO_LONG,
    "overflow": NUMBER_TOO_LARGE,
}


class _FormatEachTime:
    """A limit's message ("Tối đa {max_length} ký tự.") rendered in the active language each
    time it is shown. DRF's lazy_format keeps its first rendering, and StrictSerializer copies
    fields shallowly (validators shared by every request), so one request's language would
    answer all the later ones."""

    __slots__ = ("kwargs", "template")

    def __init__(self, template: Any, kwargs: dict[str, Any]) -> None:
        self.template, self.kwargs = template, kwargs

    def __str__(self) -> str:
        return str(self.template).format(**self.kwargs)

    def __mod__(self, values: Any) -> str:  # Django's validators apply their params
        return str(self) % values


class StrictFieldMixin(serializers.Field):
    """Repeated form fields refused (each strict field also has Vietnamese messages)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for validator in self.validators:
            message = getattr(validator, "message", None)
            if isinstance(message, lazy_format):
                text = _FormatEachTime(message.format_string, message.kwargs)
                validator.message = text  # type: ignore[union-attr]  # it has one: read above

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            values = dictionary.getlist(self.field_name)
            if len(values) > 1:
                return _Repeated(values)
        return super().get_value(dictionary)


def _raise(problem: TypeProblem) -> NoReturn:
    raise serializers.ValidationError(problem.message, code="invalid")


class StrictCharField(StrictFieldMixin, serializers.CharField):
    """Text only. Leading and trailing spaces are kept unless trim_whitespace is asked for:
    the services decide what to strip, as before."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        **BASE_MESSAGES,
        "invalid": NOT_TEXT,
        "blank": REQUIRED,
        "max_length": TOO_LONG,
        "min_length": TOO_SHORT,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        try:
            require_string(data)
        except TypeProblem as exc:
            _raise(exc)
        return super().to_internal_value(data)


class StrictFloatField(StrictFieldMixin, serializers.FloatField):
    """A JSON number or ASCII decimal text; with allow_null, blank text is None (a form's
    empty input)."""

    default_error_messages: ClassVar[dict[str, Any]] = {**NUMBER_MESSAGES, "invalid": NOT_DECIMAL}

    def to_internal_value(self, data: Any) -> float | None:
        if self.allow_null and isinstance(data, str) and not data.strip():
            return None
        try:
            return parse_decimal(data)
        except TypeProblem as exc:
            _raise(exc)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if self.allow_null and isinstance(data, str) and not data.strip():
            return (True, None)
        return super().validate_empty_values(data)


class StrictIntegerField(StrictFieldMixin, serializers.IntegerField):
    """A JSON integer or ASCII digits: not true, 1.0 or other scripts' digits."""

    default_error_messages: ClassVar[dict[str, Any]] = {**NUMBER_MESSAGES, "invalid": NOT_INTEGER}

    def to_internal_value(self, data: Any) -> int:
        try:
            return parse_int(data)
        except TypeProblem as exc:
            _raise(exc)


class StrictBooleanField(StrictFieldMixin, serializers.BooleanField):
    """A JSON boolean; from a form (multipart or urlencoded), the fixed words of
    common.strict_types.parse_bool."""

    default_error_messages: ClassVar[dict[str, Any]] = {**BASE_MESSAGES, "invalid": NOT_BOOLEAN}

    def to_internal_value(self, data: Any) -> bool:
        root = self.root
        from_form = html.is_html_input(getattr(root, "initial_data", None))
        try:
            return parse_bool(data, form_words=from_form)
        except TypeProblem as exc:
            _raise(exc)


class StrictUUIDField(StrictFieldMixin, serializers.UUIDField):
    """A UUID as text (hex, hyphens optional): not an integer, braces or a urn: prefix."""

    default_error_messages: ClassVar[dict[str, Any]] = {**BASE_MESSAGES, "invalid": NOT_UUID}

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if not isinstance(data, str) or UUID_TEXT.fullmatch(data.strip()) is None:
            self.fail("invalid")
        return uuid.UUID(data.strip())


class StrictPrimaryKeyRelatedField(StrictFieldMixin, serializers.PrimaryKeyRelatedField):
    """A related row by its integer id: a JSON integer or ASCII digits, never true (which
    DRF would look up as id 1)."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        **BASE_MESSAGES,
        "incorrect_type": NOT_INTEGER,
        "does_not_exist": NO_SUCH_OBJECT,
    }

    def to_internal_value(self, data: Any) -> Any:
        try:
            pk = parse_int(data)
        except TypeProblem:
            self.fail("incorrect_type")
        return super().to_internal_value(pk)
