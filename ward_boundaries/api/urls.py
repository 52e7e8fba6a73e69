from django.urls import path

from ward_boundaries.api import views

urlpatterns = [
    path("wards/", views.WardListView.as_view(), name="ward-list"),
    path("wards/lookup/", views.WardLookupView.as_view(), name="ward-lookup"),
    path("wards/stats/", views.WardStatsView.as_view(), name="ward-stats"),
]
