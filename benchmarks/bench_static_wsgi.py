"""The project's WSGI app with its static files served, for browser benchmarks under gunicorn.

With DEBUG off Django serves no static files and no reverse proxy runs here, so the page's
Leaflet and ES modules come through Django's StaticFilesHandler (from the app folders).
"""

import os

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = StaticFilesHandler(get_wsgi_application())
