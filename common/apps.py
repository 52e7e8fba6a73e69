from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Installed only for its templates (the admin map widget); it has no models."""

    name = "common"
    verbose_name = "Shared plumbing"
