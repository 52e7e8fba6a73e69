"""The strict API fields answer in the source language (Vietnamese) with every message DRF
could give them: DRF's own Vietnamese catalogue holds only a few sentences, so without ours
an English one would reach a Vietnamese page (a too-long text, a number out of range)."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework import serializers

from common.api.fields import (
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
)
from common.api.serializers import StrictSerializer

FIELDS = [
    (StrictCharField, serializers.CharField, {"max_length": 10, "min_length": 2}),
    (StrictIntegerField, serializers.IntegerField, {"max_value": 5, "min_value": 1}),
    (StrictFloatField, serializers.FloatField, {"max_value": 5, "min_value": 1}),
]


@pytest.mark.parametrize(("strict", "plain", "kwargs"), FIELDS)
def test_no_message_of_a_strict_field_is_drfs_english(strict, plain, kwargs):
    with translation.override("en"):
        english = {key: str(m) for key, m in plain(**kwargs).error_messages.items()}
    with translation.override("vi"):
        ours = {key: str(message) for key, message in strict(**kwargs).error_messages.items()}
    same = sorted(key for key in english if ours.get(key) == english[key])
    assert same == [], f"{strict.__name__} still says DRF's English for {same}"


class _Form(StrictSerializer):
    note = StrictCharField(max_length=10)
    stars = StrictIntegerField(max_value=5)


@pytest.mark.parametrize(
    ("language", "note", "stars"),
    [("vi", "Tối đa 10 ký tự.", "Không được lớn hơn 5."),
     ("en", "At most 10 characters.", "Must not be greater than 5.")],
)  # fmt: skip
def test_length_and_range_errors_in_the_readers_language(language, note, stars):
    """Vietnamese first, then English on the same declared fields: each request gets its own
    language (DRF's lazy_format kept the first rendering for every later request)."""
    with translation.override(language):
        form = _Form(data={"note": "x" * 11, "stars": 6})
        assert not form.is_valid()
        assert [str(m) for m in form.errors["note"]] == [note]
        assert [str(m) for m in form.errors["stars"]] == [stars]
