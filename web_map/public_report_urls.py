"""The public report page route; included from web_map.urls, so its name is web_map:report."""

from django.urls import path

from web_map import public_report

urlpatterns = [
    path("phan-anh/<uuid:public_id>/", public_report.report_page, name="report"),
]
