"""Static files for production: hashed names (cached for a year by whitenoise), pre-compressed."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Also rewrites ES module imports (`import ... from "./api.js"`) to hashed names.

    Without it main.<hash>.js would import the unhashed api.js, which whitenoise may only cache
    for a minute and which can be stale for that minute after a deploy.
    """

    support_js_module_import_aggregation = True
