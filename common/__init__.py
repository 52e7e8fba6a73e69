"""Shared plumbing under every app: no models, no imports of the project's apps.

SRID constants, local time, input validation, the JSON API base classes and error shape,
middleware, observability, health, storage helpers and PostGIS function wrappers. Everything
above (ward_boundaries → gis_core → layers → web_map/open311) may import from here; nothing
here imports from them (an import-linter contract in `make test` keeps it so).
"""
