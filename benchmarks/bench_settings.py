"""Settings for bench_submit.py: the dev settings, DEBUG off, plus the bare-insert URL.

The real endpoint and the baseline are served by the same gunicorn under these settings, so
the only difference between the two measurements is the view.
"""

import os

from config.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.bench_urls"

# wrk sends about 1,000 submissions a second from 127.0.0.1: the per-address limit would
# refuse nearly all of them, so it is off unless HT_SUBMIT_LIMIT_PER_IP is set explicitly
# (e.g. 100000000/10min, to measure what the check costs). The per-phone limit stays (the
# benchmark sends no phone).
if not os.environ.get("HT_SUBMIT_LIMIT_PER_IP"):
    SUBMIT_LIMIT_PER_IP = None
