"""Settings fragment (privacy): retention of reporters' contact data; photo storage.

Star-imported at the end of base.py.
"""

import os

# Contact data (name, phone, e-mail, the link to the reporter's account) of a report closed
# (resolved or rejected) more than this many months ago is blanked by `anonymise_reports`.
# The report itself, its place, photos and answer stay: they are the city's public record.
RETENTION_MONTHS = int(os.environ.get("HT_RETENTION_MONTHS", "24"))

# Photo storage (HT_STORAGE=local|s3, the media quota) lives in its own fragment; imported
# here so base.py needs no change.
from .storage import *  # noqa: E402, F403
