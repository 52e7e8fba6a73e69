"""`app_serves_media`: the live server hands /media/ to the application's own view.

Django's LiveServerThread answers /media/ itself with django.views.static.serve, which knows
no byte ranges; `make demo` and the tests of range requests need the app's view
(gis_core.media_views, reached through the URLconf and every middleware) instead, so this
turns the test server's shortcut off for the test.
"""

from __future__ import annotations

import pytest
from django.test.testcases import _MediaFilesHandler


@pytest.fixture
def app_serves_media(live_server, monkeypatch):
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
    return live_server
