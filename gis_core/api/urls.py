from django.urls import include, path

from gis_core.api import views

app_name = "api"

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("reports/", views.ReportListCreateView.as_view(), name="report-list"),
    path("reports/duplicates/", views.ReportDuplicatesView.as_view(), name="report-duplicates"),
    path("reports/<uuid:public_id>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("", include("ward_boundaries.api.urls")),
]
