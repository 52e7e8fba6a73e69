"""Ward lookup routes, included under api/v1/ in the "api" namespace by config.api_urls."""

from django.urls import path

from ward_boundaries.api import views

urlpatterns = [
    path("wards/outlines/", views.WardOutlinesView.as_view(), name="ward-outlines"),
    path("wards/lookup/", views.WardLookupView.as_view(), name="ward-lookup"),
]
