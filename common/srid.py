"""SRID constants. Migrations freeze SRIDs, so these are constants, not settings."""

WGS84 = 4326
