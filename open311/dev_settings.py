"""Temporary: the test settings plus open311, until the app is wired into the project."""

from gis_core.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "open311"]  # noqa: F405
ROOT_URLCONF = "open311.dev_urls"
