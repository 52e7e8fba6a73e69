"""The project's URLs plus the bare-insert baseline of bench_submit.py."""

from django.urls import path

from benchmarks.bare_insert_app import bare_insert
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/bare-insert/", bare_insert, name="bench-bare-insert"),
    *project_urlpatterns,
]
