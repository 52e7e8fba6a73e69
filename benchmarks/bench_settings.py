"""Settings for bench_submit.py: the dev settings, DEBUG off, plus the bare-insert URL.

The real endpoint and the baseline are served by the same gunicorn under these settings, so
the only difference between the two measurements is the view.
"""

from gis_core.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.bench_urls"
