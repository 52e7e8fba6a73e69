"""League table routes; included from gis_core.api.urls, so their names are api:league-*."""

from django.urls import path

from gis_core.api import league_views, ward_stats_views

urlpatterns = [
    path("league/", league_views.LeagueTableView.as_view(), name="league-table"),
    path("wards/stats/", ward_stats_views.WardStatsView.as_view(), name="ward-stats"),
    path("league.csv", league_views.LeagueTableCsvView.as_view(), name="league-table-csv"),
]
