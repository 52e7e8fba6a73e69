from django.apps import AppConfig


class WardBoundariesConfig(AppConfig):
    name = "ward_boundaries"
    verbose_name = "Ranh giới phường/xã"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ward_boundaries.distance_rule import forget_ward_shapes
        from ward_boundaries.models import BoundaryVersion, Ward

        # The distance rule's copy of the ward parts follows this process's boundary writes.
        for model in (Ward, BoundaryVersion):
            post_save.connect(forget_ward_shapes, sender=model, dispatch_uid=f"shapes-{model}")
            post_delete.connect(forget_ward_shapes, sender=model, dispatch_uid=f"shapes-d-{model}")
