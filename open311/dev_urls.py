"""Temporary: the project's URLs plus the Open311 mount."""

from django.urls import include, path

from gis_core.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("open311/v2/", include("open311.urls")), *project_urlpatterns]
