"""Map layers. This issue needs points of interest only; the registry grows in the layers issue."""

from __future__ import annotations

from django.contrib.gis.db import models

from gis_core.srid import WGS84


class PointOfInterest(models.Model):
    """A tourism point (beach, temple, attraction...) imported from OpenStreetMap or a CSV."""

    layer = models.SlugField(max_length=50, db_index=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=50, blank=True)
    tags = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=100, help_text="e.g. way/384652651 for OSM")
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200, blank=True)
    location = models.PointField(srid=WGS84)

    class Meta:
        ordering = ["layer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "source_id"], name="poi_unique_source_id")
        ]

    def __str__(self) -> str:
        return self.name
