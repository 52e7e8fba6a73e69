"""GeoReport v2 paths: the format is the extension (.xml or .json)."""

from django.urls import path, re_path, register_converter

from open311 import views


class FormatConverter:
    regex = "xml|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "open311"
urlpatterns = [
    path("discovery.<fmt:fmt>", views.discovery, name="discovery"),
    path("services.<fmt:fmt>", views.service_list, name="services"),
    path("services/<str:service_code>.<fmt:fmt>", views.service_detail, name="service"),
    path("requests.<fmt:fmt>", views.request_list, name="requests"),
    path("requests/<str:service_request_id>.<fmt:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token>.<fmt:fmt>", views.token_detail, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
