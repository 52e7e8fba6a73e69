from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from common.admin_widgets import LocalOSMWidget
from layers.models import Layer, PointOfInterest, WifiSite


@admin.register(PointOfInterest)
class PointOfInterestAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget  # type: ignore[assignment]  # a class, as Django wants
    list_display = ("name", "layer", "category", "ward", "ward_match", "source", "is_demo")
    list_filter = ("layer", "category", "is_demo")
    list_select_related = ("ward",)
    search_fields = ("name", "name_ascii", "name_en", "name_zh", "source_id")
    readonly_fields = ("name_ascii", "ward", "ward_match", "ward_distance_m")


@admin.register(WifiSite)
class WifiSiteAdmin(GISModelAdmin):
    gis_widget = LocalOSMWidget  # type: ignore[assignment]  # a class, as Django wants
    list_display = ("name", "ssid", "provider", "hours", "ward", "ward_match", "is_demo")
    list_filter = ("is_demo", "provider")
    list_select_related = ("ward",)
    search_fields = ("name", "ssid", "provider")
    readonly_fields = ("ward", "ward_match", "ward_distance_m")


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ("key", "name_vi", "kind", "audience", "visible_by_default", "sort_order")
    list_editable = ("visible_by_default", "sort_order")
    list_filter = ("kind", "audience")
