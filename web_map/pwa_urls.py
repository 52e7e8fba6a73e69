"""The manifest and the service worker at the site's root (a worker's scope is its folder)."""

from django.urls import path

from web_map import pwa

urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
]
