"""The report domain's models, one module per concern; every model is importable from here
(`gis_core.models.Report`), as migrations and the rest of the code expect.

- catalogue: categories, agencies, routing rules and deadlines
- reports: the report, its statuses and sources
- media: photos and clips
- workflow: transitions, rerouting, reminders, ratings, staff digests
- accounts: citizens' login codes, staff roles and profiles, rate-limit buckets
- responses: answer templates for staff
- privacy: consent to the privacy notice, the contact access log, erasure requests
- suggestions: the category classifier's stored models, category changes staff confirm
"""

from gis_core.models.accounts import (
    CitizenPhone,
    PhoneLoginCode,
    RateLimitBucket,
    StaffProfile,
    StaffRole,
)
from gis_core.models.catalogue import (
    Agency,
    AgencyDeadline,
    Category,
    RoutingRule,
)
from gis_core.models.media import (
    PhotoBlurBox,
    PhotoRedactionChange,
    ReportPhoto,
    ReportVideo,
    _private_storage,
    photo_upload_to,
)
from gis_core.models.priority import PriorityChange, ReportPriority
from gis_core.models.privacy import (
    ConsentChannel,
    ContactAccess,
    ContactConsent,
    ErasureRequest,
)
from gis_core.models.reports import (
    CLOSED_STATUSES,
    STAFF_CHANNELS,
    RejectionReason,
    Report,
    ReportChannel,
    ReportSource,
    ReportStatus,
)
from gis_core.models.responses import ResponseTemplate
from gis_core.models.suggestions import CategoryChange, CategoryModel
from gis_core.models.workflow import (
    RatingValue,
    ReminderSent,
    ReportRating,
    ReportTransition,
    RoutingChange,
    StaffDigestSent,
)

__all__ = [
    "CLOSED_STATUSES",
    "STAFF_CHANNELS",
    "Agency",
    "AgencyDeadline",
    "Category",
    "CategoryChange",
    "CategoryModel",
    "CitizenPhone",
    "ConsentChannel",
    "ContactAccess",
    "ContactConsent",
    "ErasureRequest",
    "PhoneLoginCode",
    "PhotoBlurBox",
    "PhotoRedactionChange",
    "PriorityChange",
    "RateLimitBucket",
    "RatingValue",
    "RejectionReason",
    "ReminderSent",
    "Report",
    "ReportChannel",
    "ReportPhoto",
    "ReportPriority",
    "ReportRating",
    "ReportSource",
    "ReportStatus",
    "ReportTransition",
    "ReportVideo",
    "ResponseTemplate",
    "RoutingChange",
    "RoutingRule",
    "StaffDigestSent",
    "StaffProfile",
    "StaffRole",
    "_private_storage",
    "photo_upload_to",
]
