"""load_demo: both Móng Cái ward versions, the OSM points of interest, ~60 demo places with
prices (etl.demo_places) and ~5,000 demo reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from etl.demo import (
    DEMO_AGENCIES,
    DEMO_CITIZEN_PHONE,
    DEMO_PASSWORD,
    DEMO_STAFF,
    generate_demo_reports,
)
from etl.demo_translations import DEMO_AGENCY_NAMES
from etl.pois import read_poi_file
from etl.wards import read_ward_file
from gis_core.accounts import citizen_for_phone
from gis_core.bulk_import import reports_bulk_insert
from gis_core.models import (
    Agency,
    Category,
    Report,
    ReportSource,
    ReportStatus,
    RoutingRule,
    StaffProfile,
)
from gis_core.priority import due_at_for
from gis_core.routing import deadline_hours
from gis_core.working_time import add_working_hours
from layers.places.demo import load_demo_places
from layers.report_cells import fold_pending
from layers.services import fill_poi_translations, load_demo_wifi, poi_import
from ward_boundaries.models import BoundaryVersion, Ward
from ward_boundaries.services import ward_version_import

DATA = settings.BASE_DIR / "data" / "mong_cai"
GADM = (
    "GADM 4.1 level 3 (gadm.org), Móng Cái subset; see data/mong_cai/SOURCES.md. "
    "Licence: GADM, non-commercial use only: demo and tests, not for a public deployment."
)
VERSIONS: list[dict[str, Any]] = [
    {
        "path": DATA / "mong_cai_wards_2024_clean.geojson",
        "version": "mong-cai-2024",
        "valid_to": dt.date(2025, 6, 30),
        "description": (
            "17 phường/xã of Thành phố Móng Cái before the 2025 merger (clean partition)."
        ),
    },
    {
        "path": DATA / "mong_cai_wards_2025_derived.geojson",
        "version": "mong-cai-2025",
        "valid_from": dt.date(2025, 7, 1),
        "description": "6 units in force since 2025-07-01 (dissolve of the 2024 wards).",
    },
]


class Command(BaseCommand):
    help = "Load the Móng Cái demo: ward versions 2024 and 2025, OSM POIs, generated reports."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=5000, help="number of demo reports")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when demo data is already loaded"
        )

    def handle(self, *args, reports: int, if_empty: bool, **options):
        loaded = Report.objects.filter(source=ReportSource.DEMO).exists()
        if if_empty and loaded and BoundaryVersion.objects.exists():
            self.stdout.write("Demo data already loaded; keeping it (make db-reset to start over).")
            # Agencies and accounts are idempotent: a database loaded by an older version
            # of this command gets them too.
            with transaction.atomic():
                load_demo_wifi()
                fill_poi_translations(layer="tourism")
                self.stdout.write(f"demo places: {load_demo_places()}")
                self._agencies_and_routing()
                self._demo_accounts()
            return
        with transaction.atomic():
            for spec in VERSIONS:
                records, repairs = read_ward_file(spec["path"])
                result = ward_version_import(
                    records=records,
                    repairs=repairs,
                    version=spec["version"],
                    valid_from=spec.get("valid_from"),
                    valid_to=spec.get("valid_to"),
                    description=spec["description"],
                    source=GADM,
                    licence="GADM (non-commercial)",
                )
                self.stdout.write(
                    f"wards {spec['version']}: {result.created} created, {result.updated} updated"
                )
            pois = poi_import(
                records=read_poi_file(DATA / "mong_cai_poi_osm.geojson"),
                layer="tourism",
                source="OpenStreetMap",
                licence="ODbL 1.0, © OpenStreetMap contributors",
            )
            self.stdout.write(f"points of interest: {pois}")
            # The extract has no name:en / name:zh: the demo's own translations, in blanks only.
            fill_poi_translations(layer="tourism")
            self.stdout.write(f"demo free-WiFi sites: {load_demo_wifi()}")
            self.stdout.write(f"demo places: {load_demo_places()}")
            frame = generate_demo_reports(DATA / "mong_cai_wards_2024_clean.geojson", count=reports)
            ids = dict(Category.objects.values_list("code", "id"))
            frame["category_id"] = frame["category"].map(ids)
            inserted = reports_bulk_insert(frame, source=ReportSource.DEMO)
            self._agencies_and_routing()
            self._demo_accounts()
        self.stdout.write(f"demo reports: {inserted} added ({len(frame) - inserted} already there)")
        fold_pending(lock_timeout_ms=10_000)  # the heatmap cells, before anyone looks

    def _agencies_and_routing(self) -> None:
        """Demo agencies with routing rules (the first is the city-wide default), and the
        demo reports past verification handed to them with a due time."""
        categories = {c.code: c for c in Category.objects.all()}
        for code, name, category_codes in DEMO_AGENCIES:
            name_en, name_zh = DEMO_AGENCY_NAMES.get(code, ("", ""))
            agency, _ = Agency.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "contact_email": f"{code}@example.vn",
                },
            )
            if not category_codes:
                RoutingRule.objects.update_or_create(
                    category=None, ward=None, defaults={"agency": agency}
                )
            for category_code in category_codes:
                agency.categories.add(categories[category_code])
                RoutingRule.objects.update_or_create(
                    category=categories[category_code], ward=None, defaults={"agency": agency}
                )
        routed = (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED)
        for rule in RoutingRule.objects.filter(ward=None).select_related("category"):
            reports = Report.objects.filter(source=ReportSource.DEMO, status__in=routed)
            reports = (
                reports.filter(category=rule.category)
                if rule.category
                else reports.filter(category__agencies__isnull=True)
            )
            _assign_on_working_time(reports.filter(agency__isnull=True), rule.agency)
        # Resolved demo reports get a resolution time: 2 hours to about 10 days after the
        # report, varying by category so the league table has something to rank.
        Report.objects.filter(
            source=ReportSource.DEMO, status=ReportStatus.RESOLVED, resolved_at__isnull=True
        ).update(
            resolved_at=F("reported_at")
            + dt.timedelta(hours=2)
            + (F("id") * 7 % (100 + F("category_id") * 14)) * dt.timedelta(hours=1)
        )
        self.stdout.write(
            f"agencies: {Agency.objects.count()}, routing rules: {RoutingRule.objects.count()}"
        )

    def _demo_accounts(self) -> None:
        """One account per staff role (documented in the README) and a citizen."""
        for username, role, ward_codes, agency_code in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": role == "administrator"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            profile, _ = StaffProfile.objects.get_or_create(user=user)
            if agency_code:
                profile.agency = Agency.objects.get(code=agency_code)
                profile.save(update_fields=["agency"])
            if ward_codes:
                profile.wards.set(
                    Ward.objects.filter(version__name="mong-cai-2025", code__in=ward_codes)
                )
        citizen_for_phone(DEMO_CITIZEN_PHONE)
        self.stdout.write(
            "demo accounts (password "
            + DEMO_PASSWORD
            + "): "
            + ", ".join(f"{u} ({r})" for u, r, _, _ in DEMO_STAFF)
            + f"; citizen {DEMO_CITIZEN_PHONE} signs in with an SMS code (var/sms/)"
        )


def _assign_on_working_time(reports, agency: Agency) -> None:
    """Hands `reports` to `agency` as the workflow would have: assigned at the first working
    moment a day after the report, due its deadline's working hours later (the rule the
    queue and the league use), so no ordinary demo deadline falls at night or on a weekend;
    an urgent one is due its category's clock hours later (gis_core.priority.due_at_for)."""
    rows = list(
        reports.select_related("category").only("id", "reported_at", "priority", "category")
    )
    hours: dict[int, int] = {}
    for report in rows:
        if report.category_id not in hours:
            hours[report.category_id] = deadline_hours(report, agency)
        report.agency = agency
        report.assigned_at = add_working_hours(report.reported_at + dt.timedelta(days=1), 0)
        report.due_at = due_at_for(report, report.assigned_at, hours[report.category_id])
    Report.objects.bulk_update(rows, ["agency", "assigned_at", "due_at"], batch_size=1000)
