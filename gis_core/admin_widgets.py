"""The admin's map widget with OpenLayers served by the app (Django's default uses a CDN)."""

from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    default_lat = 21.5246
    default_lon = 107.9660
    default_zoom = 12

    class Media:
        extend = False  # replace, not add to, the parent's CDN URLs
        css = {"all": ("web_map/vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("web_map/vendor/ol/ol.js", "gis/js/OLMapWidget.js")
