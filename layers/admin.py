from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from gis_core.admin_widgets import LocalOSMWidget
from layers.models import PointOfInterest


@admin.register(PointOfInterest)
class PointOfInterestAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget
    list_display = ("name", "layer", "category", "source", "source_id")
    list_filter = ("layer", "category")
    search_fields = ("name", "source_id")
