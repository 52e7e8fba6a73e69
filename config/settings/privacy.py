"""Settings fragment (privacy): retention of reporters' contact data; photo storage.

Star-imported at the end of base.py.
"""

import os

# Contact data (name, phone, e-mail, the link to the reporter's account) of a report closed
# (resolved or rejected) more than this many months ago is blanked by `anonymise_reports`.
# The report itself, its place, photos and answer stay: they are the city's public record.
RETENTION_MONTHS = int(os.environ.get("HT_RETENTION_MONTHS", "24"))

# The privacy notice shown beside the contact fields (Law 91/2025/QH15, Decree 356/2025):
# a report that carries contact data records the version its sender agreed to. Change the
# version whenever the text changes. HT_PRIVACY_NOTICE_TEXT replaces the built-in text (in
# Vietnamese and, through the catalogs, English: gis_core.privacy_notice); empty keeps it.
PRIVACY_NOTICE_VERSION = os.environ.get("HT_PRIVACY_NOTICE_VERSION", "2026-01")
PRIVACY_NOTICE_TEXT = os.environ.get("HT_PRIVACY_NOTICE_TEXT", "")
# Earlier versions still accepted from clients (an app's outbox holding a report written
# before a change); comma-separated. Any other version is refused with a 400.
_accepted = os.environ.get("HT_PRIVACY_NOTICE_ACCEPTED_VERSIONS", "")
PRIVACY_NOTICE_ACCEPTED_VERSIONS = tuple(v.strip() for v in _accepted.split(",") if v.strip())
# Who saw which reporter's contact (gis_core.ContactAccess) is kept this many months, then
# purged by `anonymise_reports`.
CONTACT_ACCESS_LOG_MONTHS = int(os.environ.get("HT_CONTACT_ACCESS_LOG_MONTHS", "24"))
# A data subject's request to erase their contact data is carried out within this many
# working days (Decree 356/2025: 2), by `process_erasure_requests`.
ERASURE_WORKING_DAYS = int(os.environ.get("HT_ERASURE_WORKING_DAYS", "2"))

# Photo storage (HT_STORAGE=local|s3, the media quota) lives in its own fragment; imported
# here so base.py needs no change.
from .storage import *  # noqa: E402, F403
