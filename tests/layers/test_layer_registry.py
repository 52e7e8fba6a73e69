"""The layer registry: seeded layers, order, and staff-only layers hidden from the public."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from layers.models import Layer

pytestmark = pytest.mark.django_db


def test_public_sees_public_layers_in_order_staff_see_all():
    public = APIClient().get(reverse("api:layer-list")).json()
    assert [layer["key"] for layer in public] == ["wards", "reports", "tourism", "wifi"]
    assert public[2]["poi_layer"] == "tourism" and public[3]["visible_by_default"] is False
    operator = User.objects.create_user("op")
    operator.groups.add(Group.objects.get(name="operator"))
    client = APIClient()
    client.force_login(operator)
    staff = [layer["key"] for layer in client.get(reverse("api:layer-list")).json()]
    assert staff == ["wards", "reports", "report-heat", "tourism", "wifi"]


def test_colour_must_be_hex():
    with pytest.raises(IntegrityError), transaction.atomic():
        Layer.objects.create(key="x", name_vi="x", name_en="x", kind="pois", color="red")
