from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from common.admin_widgets import LocalOSMWidget
from ward_boundaries.models import BoundaryVersion, Ward


@admin.register(BoundaryVersion)
class BoundaryVersionAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_to", "licence")


@admin.register(Ward)
class WardAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget  # type: ignore[assignment]  # a class, as Django wants
    list_display = ("code", "name", "unit_type", "version", "district_name", "population")
    list_filter = ("version", "unit_type")
    search_fields = ("code", "name", "name_ascii")
