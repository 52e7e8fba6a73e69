"""Ward lookup routes, included under api/v1/ in the "api" namespace by config.api_urls."""

from django.urls import path

from ward_boundaries.api import views

urlpatterns = [
    path("wards/lookup/", views.WardLookupView.as_view(), name="ward-lookup"),
]
