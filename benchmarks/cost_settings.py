"""Settings for bench_cost.py: the dev settings with DEBUG off, as an anonymous caller meets them.

The database connection is named, long-lived and runs without parallel query workers, so the
one PostgreSQL backend serving the gunicorn worker does all of a request's database work and
bench_cost.py can read its CPU and memory from /proc. Rate limits on reads stay as in
production only for what is measured per request: the benchmark sends each request once.
"""

import os

from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Unique per run (bench_cost.py sets it), so two runs at once never mix up their backends.
APPLICATION_NAME = os.environ.get("HT_COST_APP_NAME", "ht-cost-bench")
DATABASES["default"]["CONN_MAX_AGE"] = 3600
DATABASES["default"]["OPTIONS"]["options"] += " -c max_parallel_workers_per_gather=0"
DATABASES["default"]["OPTIONS"]["application_name"] = APPLICATION_NAME

# One address sends every request of the benchmark; the per-address submission limit would
# refuse the later submissions before their cost is measured.
SUBMIT_LIMIT_PER_IP = None
