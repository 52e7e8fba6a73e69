"""Settings fragment (mail): the SMTP server replies go through, and the mailbox citizens
write reports to (read by `fetch_email_reports`, docs/email-channel.md).

Star-imported at the end of base.py.
"""

import os


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


# Outgoing mail (receipts, replies, reminders) when HT_EMAIL_BACKEND is Django's SMTP backend.
EMAIL_HOST = os.environ.get("HT_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HT_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HT_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _flag("HT_SMTP_STARTTLS", "0")
EMAIL_USE_SSL = _flag("HT_SMTP_SSL", "0")
EMAIL_TIMEOUT = 30

# The reports mailbox. Empty host: the e-mail channel is off (the command says so and stops).
IMAP_HOST = os.environ.get("HT_IMAP_HOST", "")
# Implicit TLS (port 993, certificate checked) unless HT_IMAP_SSL=0; then STARTTLS when the
# server offers it, plain text otherwise (only for a mailbox on this machine).
IMAP_SSL = _flag("HT_IMAP_SSL", "1")
IMAP_PORT = int(os.environ.get("HT_IMAP_PORT", "993" if IMAP_SSL else "143"))
IMAP_USER = os.environ.get("HT_IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("HT_IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("HT_IMAP_FOLDER", "INBOX")
# Where handled messages go (empty: they stay in IMAP_FOLDER, marked \Seen; refused ones also
# \Flagged). The folders must exist.
IMAP_DONE_FOLDER = os.environ.get("HT_IMAP_DONE_FOLDER", "")
IMAP_REFUSED_FOLDER = os.environ.get("HT_IMAP_REFUSED_FOLDER", "")
IMAP_TIMEOUT_SECONDS = float(os.environ.get("HT_IMAP_TIMEOUT_SECONDS", "30"))
# A message larger than this is refused unread: five 8 MiB photos in base64 and some text.
IMAP_MAX_MESSAGE_BYTES = int(os.environ.get("HT_IMAP_MAX_MESSAGE_BYTES", str(56 * 1024 * 1024)))
# Messages handled per run at most (the rest wait for the next run).
IMAP_MAX_MESSAGES_PER_RUN = int(os.environ.get("HT_IMAP_MAX_MESSAGES_PER_RUN", "200"))
# The category of an e-mailed report whose subject names none.
EMAIL_DEFAULT_CATEGORY = os.environ.get("HT_EMAIL_DEFAULT_CATEGORY", "khac")
