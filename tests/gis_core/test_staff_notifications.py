"""notify_staff: each staff member hears of new reports in their own queue, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gis_core.models import Category, Report, StaffProfile
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


def run(*args) -> str:
    out = StringIO()
    call_command("notify_staff", *args, stdout=out)
    return out.getvalue()


def test_digest_follows_each_queue(mong_cai_wards, city_agency):
    def staff(name, role, wards=()):
        user = User.objects.create_user(name, email=f"{name}@example.vn")
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user).wards.set(
            Ward.objects.filter(version=mong_cai_wards["2025"], code__in=wards)
        )

    staff("op", "operator")
    staff("mc2", "ward_officer", wards=["06709"])
    staff("vt", "ward_officer", wards=["06757"])
    x, y = POINTS["06709"]
    category = Category.objects.get(code="ha_tang")
    Report.objects.create(category=category, description="a", location=Point(x, y, srid=4326))
    Report.objects.create(
        category=category, description="b", location=Point(x, y, srid=4326), status="assigned",
        agency=city_agency, due_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip

    assert "dry run: would send 2 digests; 1 staff with nothing new." in run("--dry-run")
    assert mail.outbox == []
    assert "sent 2 digests" in run()
    by_user = {m.to[0]: m.subject for m in mail.outbox}
    assert set(by_user) == {"op@example.vn", "mc2@example.vn"}
    assert by_user["mc2@example.vn"] == "Hiện Trường: 2 phản ánh mới, 1 quá hạn"
    mail.outbox.clear()
    # Nothing new since: only the still-overdue report is worth a digest.
    assert "sent 2 digests" in run()
    assert all(m.subject == "Hiện Trường: 0 phản ánh mới, 1 quá hạn" for m in mail.outbox)
