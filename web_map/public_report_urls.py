"""The public report page routes; included from web_map.urls, so the names are web_map:report
(by public id) and web_map:report-by-reference (MC-2612-0042, the code citizens get by SMS)."""

from django.urls import path, re_path

from web_map import public_report

urlpatterns = [
    path("phan-anh/<uuid:public_id>/", public_report.report_page, name="report"),
    re_path(
        r"^phan-anh/(?P<reference>[A-Za-z]{1,6}-\d{4}-\d{1,9})/$",
        public_report.report_page_by_reference,
        name="report-by-reference",
    ),
]
